import { createHash, createHmac } from 'node:crypto';
import { type CloudFormationCustomResourceEvent } from 'aws-lambda';
import { type PGlite } from '@electric-sql/pglite';
import { loadMigrateConfig } from '../../../functions/migrate/config';
import {
  createMigrateHandler,
  type DbCredentials,
  type MigrateDeps,
} from '../../../functions/migrate/migrate';
import { scramSha256Secret } from '../../../functions/migrate/scram';
import { migrationSources } from '../../../layers/core/db/migrations';
import { openPglite, PgliteDatabase } from '../../../layers/core/db/pglite-database';

const ADMIN: DbCredentials = { username: 'postgres', password: 'admin-password' };

function customResourceEvent(
  requestType: 'Create' | 'Update' | 'Delete',
  physicalResourceId = 'chasqui-database-schema',
): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/chasqui-dev/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'DatabaseSchema',
    ResourceType: 'Custom::DatabaseSchema',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider' },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' };
  if (requestType === 'Update') {
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalResourceId,
      OldResourceProperties: common.ResourceProperties,
    };
  }
  return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalResourceId };
}

describe('migrate custom resource handler', () => {
  let pglite: PGlite;
  let connections: DbCredentials[];
  let appLogin: DbCredentials;

  const deps: MigrateDeps = {
    getAdminCredentials: () => Promise.resolve(ADMIN),
    getAppCredentials: () => Promise.resolve(appLogin),
    connect: (credentials) => {
      connections.push(credentials);
      // Closing this adapter leaves the shared PGlite instance open for the next test.
      return new PgliteDatabase(pglite);
    },
  };
  const handler = createMigrateHandler(deps);

  const loginRole = async (username: string) =>
    (
      await pglite.query<{ rolcanlogin: boolean; rolpassword: string | null; member: boolean }>(
        `SELECT rolcanlogin, rolpassword, pg_has_role(rolname, 'chasqui_app', 'MEMBER') AS member
         FROM pg_authid WHERE rolname = $1`,
        [username],
      )
    ).rows[0];

  beforeAll(async () => {
    pglite = await openPglite();
  });

  beforeEach(() => {
    connections = [];
    appLogin = { username: 'chasqui_app_login', password: 'first-Password-1' };
  });

  afterAll(async () => {
    await pglite.close();
  });

  it('on Create, applies the migrations as the admin and creates the app login in the application role', async () => {
    // Act
    const response = await handler(customResourceEvent('Create'));

    // Assess
    expect(response).toEqual({
      PhysicalResourceId: 'chasqui-database-schema',
      Data: { applied: migrationSources.map((source) => source.file) },
    });
    expect(connections).toEqual([ADMIN]);
    const role = await loginRole('chasqui_app_login');
    expect(role).toMatchObject({ rolcanlogin: true, member: true });
    expect(role?.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
  });

  it('on Update, applies nothing already applied and sets a rotated password', async () => {
    // Prepare
    await handler(customResourceEvent('Create'));
    const before = await loginRole('chasqui_app_login');
    appLogin = { username: 'chasqui_app_login', password: 'rotated-Password-2' };

    // Act
    const response = await handler(customResourceEvent('Update', 'existing-id'));

    // Assess
    expect(response).toEqual({ PhysicalResourceId: 'existing-id', Data: { applied: [] } });
    const after = await loginRole('chasqui_app_login');
    expect(after?.rolpassword).not.toBe(before?.rolpassword);
    expect(after).toMatchObject({ rolcanlogin: true, member: true });
  });

  it('on Delete, does nothing and does not even connect', async () => {
    // Act
    const response = await handler(customResourceEvent('Delete', 'existing-id'));

    // Assess
    expect(response).toEqual({ PhysicalResourceId: 'existing-id' });
    expect(connections).toEqual([]);
  });

  it('refuses an app secret that names the admin, leaving the admin untouched', async () => {
    // Prepare
    appLogin = { username: 'postgres', password: 'attacker-Password-3' };

    // Act
    const outcome = handler(customResourceEvent('Update'));

    // Assess
    await expect(outcome).rejects.toThrow(/Refusing to manage postgres/);
    expect((await loginRole('postgres'))?.rolpassword).toBeNull();
  });
});

describe('SCRAM-SHA-256 secret for the app login', () => {
  it('matches the RFC 7677 test vector: its keys verify the RFC client proof and reproduce the server signature', () => {
    // Prepare (RFC 7677, section 3: user "user", password "pencil")
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    const clientProof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');

    // Act
    const secret = scramSha256Secret('pencil', salt);

    // Assess
    const [, storedKey64, serverKey64] = /^SCRAM-SHA-256\$4096:[^$]+\$([^:]+):(.+)$/.exec(secret) ?? [];
    const storedKey = Buffer.from(storedKey64!, 'base64');
    const serverKey = Buffer.from(serverKey64!, 'base64');
    const clientSignature = createHmac('sha256', storedKey).update(authMessage).digest();
    const clientKey = Buffer.from(clientProof.map((byte, index) => byte ^ clientSignature[index]!));
    expect(createHash('sha256').update(clientKey).digest()).toEqual(storedKey);
    expect(createHmac('sha256', serverKey).update(authMessage).digest('base64')).toBe(
      '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    );
  });

  it('refuses a password it cannot hash exactly as Postgres would', () => {
    expect(() => scramSha256Secret('contraseña')).toThrow(RangeError);
  });
});

describe('migrate function environment', () => {
  const complete = {
    DB_HOST: 'db.example.internal',
    DB_NAME: 'chasqui',
    DB_ADMIN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:admin',
    DB_APP_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app',
  };

  it('reads the connection settings, defaulting the port to 5432', () => {
    expect(loadMigrateConfig(complete)).toEqual({
      host: 'db.example.internal',
      port: 5432,
      database: 'chasqui',
      adminSecretArn: complete.DB_ADMIN_SECRET_ARN,
      appSecretArn: complete.DB_APP_SECRET_ARN,
    });
  });

  it('fails at cold start naming the missing variable', () => {
    // Prepare
    const { DB_APP_SECRET_ARN: _missing, ...incomplete } = complete;

    // Act / Assess
    expect(() => loadMigrateConfig(incomplete)).toThrow(/DB_APP_SECRET_ARN/);
  });
});
