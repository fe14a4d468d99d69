import { type CloudFormationCustomResourceEvent } from 'aws-lambda';
import { type Database } from '../../layers/core/db/database';
import { type MigrationSource, runMigrations } from '../../layers/core/db/migrate';
import { type DbCredentials, ensureAppLogin } from './app-login';

export { type DbCredentials } from './app-login';

export interface MigrateDeps {
  /** The schema owner: the RDS master user. */
  readonly getAdminCredentials: () => Promise<DbCredentials>;
  /** The login user the other functions connect as (through RDS Proxy). */
  readonly getAppCredentials: () => Promise<DbCredentials>;
  /** Opens a connection as `credentials`; the handler closes it. */
  readonly connect: (credentials: DbCredentials) => Database | Promise<Database>;
  /** @default the embedded migrations */
  readonly migrations?: readonly MigrationSource[];
}

/** What the CDK custom resource provider framework expects back from its onEvent handler. */
export interface MigrateResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly applied: readonly string[] };
}

const PHYSICAL_RESOURCE_ID = 'chasqui-database-schema';

/**
 * The deploy-time custom resource: on Create and Update, migrate the schema and make sure the application's
 * login user exists. On Delete, nothing: the data outlives the resource, and the database's own removal
 * policy decides what happens to it.
 */
export const createMigrateHandler =
  (deps: MigrateDeps) =>
  async (event: CloudFormationCustomResourceEvent): Promise<MigrateResponse> => {
    if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };

    const [admin, app] = await Promise.all([deps.getAdminCredentials(), deps.getAppCredentials()]);
    const db = await deps.connect(admin);
    try {
      const { applied } = await runMigrations(db, deps.migrations);
      await ensureAppLogin(db, app);
      const physicalResourceId =
        event.RequestType === 'Create' ? PHYSICAL_RESOURCE_ID : event.PhysicalResourceId;
      return { PhysicalResourceId: physicalResourceId, Data: { applied } };
    } finally {
      await db.close();
    }
  };
