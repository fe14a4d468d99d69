import { createServer } from 'node:net';
import { type PGlite } from '@electric-sql/pglite';
import { ConstraintViolationError, DatabaseConnectionError } from '../../../layers/core/db/errors';
import { runMigrations } from '../../../layers/core/db/migrate';
import { PgDatabase } from '../../../layers/core/db/pg-database';
import { openPglite } from '../../../layers/core/db/pglite-database';
import { type PgliteServer, servePglite } from '../../../layers/core/db/pglite-server';
import { addExpense } from '../../../layers/core/db/repositories/expenses';
import { createTestUser, databaseErrorFrom, type TestUser } from './support';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const countExpenses = async (db: PgDatabase, user: TestUser): Promise<number> =>
  db.transaction(user, async (tx) => (await tx.query('SELECT id FROM expenses')).rowCount);

describe('pg adapter over the Postgres wire protocol', () => {
  let pglite: PGlite;
  let server: PgliteServer;
  let db: PgDatabase;
  let user: TestUser;

  beforeAll(async () => {
    pglite = await openPglite();
    server = await servePglite(pglite);
    // One connection, so consecutive transactions certainly share it. PGlite's only user is a superuser,
    // which row-level security ignores: switch to the application role as in the local stack.
    db = new PgDatabase({
      connection: { connectionString: server.connectionString, max: 1 },
      applicationRole: 'chasqui_app',
    });
    await runMigrations(db);
    user = await createTestUser(db);
  });

  afterAll(async () => {
    await db.close();
    await server.stop();
    await pglite.close();
  });

  it('commits what a transaction writes', async () => {
    // Prepare
    const before = await countExpenses(db, user);

    // Act
    await db.transaction(user, (tx) =>
      addExpense(tx, { amount: 12.5, currency: 'PEN', category: 'food', occurredAt: new Date() }),
    );

    // Assess
    expect(await countExpenses(db, user)).toBe(before + 1);
  });

  it('rolls back everything when the function throws, and rethrows its error', async () => {
    // Prepare
    const before = await countExpenses(db, user);
    const failure = new Error('tool failed half-way');

    // Act
    const outcome = db.transaction(user, async (tx) => {
      await addExpense(tx, { amount: 3, currency: 'PEN', category: 'taxi', occurredAt: new Date() });
      throw failure;
    });

    // Assess
    await expect(outcome).rejects.toBe(failure);
    expect(await countExpenses(db, user)).toBe(before);
  });

  it('scopes the tenant, user and role to the transaction: the next one on the connection sees none of them', async () => {
    // Prepare
    const settingsSql = `SELECT current_setting('app.tenant_id', true) AS tenant,
      current_setting('app.user_id', true) AS "user", current_user AS role`;

    // Act
    const inside = await db.transaction(user, async (tx) => (await tx.query(settingsSql)).rows[0]);
    const after = (await db.query(settingsSql)).rows[0];
    const tenantOnly = await db.transaction(
      { tenantId: user.tenantId },
      async (tx) => (await tx.query(settingsSql)).rows[0],
    );

    // Assess
    expect(inside).toEqual({ tenant: user.tenantId, user: user.userId, role: 'chasqui_app' });
    expect(after).toEqual({ tenant: '', user: '', role: 'postgres' });
    expect(tenantOnly).toEqual({ tenant: user.tenantId, user: '', role: 'chasqui_app' });
  });

  it('rolls back an opening that failed after BEGIN, so the connection is clean for the next transaction', async () => {
    // Prepare: the role does not exist, so the opening fails at its last statement, after BEGIN.
    const missingRole = new PgDatabase({
      connection: { connectionString: server.connectionString, max: 1 },
      applicationRole: 'chasqui_missing',
    });

    // Act
    const error = await databaseErrorFrom(missingRole.transaction(user, (tx) => tx.query('SELECT 1')));
    const next = await Promise.allSettled([
      missingRole.systemTransaction(
        async (tx) => (await tx.query("SELECT current_setting('app.tenant_id', true) AS tenant")).rows[0],
      ),
    ]);
    await missingRole.close();

    // Assess
    expect(error.code).toBe('22023');
    expect(next).toEqual([{ status: 'fulfilled', value: { tenant: '' } }]);
  });

  it('reports a constraint violation as a permanent ConstraintViolationError carrying the SQLSTATE', async () => {
    // Act
    const error = await databaseErrorFrom(
      db.transaction(user, (tx) =>
        addExpense(tx, { amount: -1, currency: 'PEN', category: 'food', occurredAt: new Date() }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect(error.code).toBe('23514');
    expect(error.retryable).toBe(false);
    expect(error.constraint).toBe('expenses_amount_check');
  });

  it('refuses to COMMIT a transaction in which a failed statement was caught, instead of silently rolling back', async () => {
    // Prepare
    const before = await countExpenses(db, user);

    // Act
    const outcome = db.transaction(user, async (tx) => {
      await addExpense(tx, { amount: 1, currency: 'PEN', category: 'food', occurredAt: new Date() });
      await tx.query('SELECT 1 / 0').catch(() => undefined);
    });

    // Assess
    const error = await databaseErrorFrom(outcome);
    expect(error.code).toBe('25P02');
    expect(await countExpenses(db, user)).toBe(before);
  });

  it('stops a Tx that outlives its transaction from running statements', async () => {
    // Prepare
    const leaked = await db.transaction(user, (tx) => Promise.resolve(tx));

    // Act
    const late = leaked.query('SELECT 1');

    // Assess
    await expect(late).rejects.toThrow(/already ended/);
  });

  it('reports an unreachable server as a retryable DatabaseConnectionError', async () => {
    // Prepare
    const unreachable = new PgDatabase({
      connection: {
        host: '127.0.0.1',
        port: await closedPort(),
        user: 'postgres',
        connectionTimeoutMillis: 2_000,
      },
    });

    // Act
    const error = await databaseErrorFrom(unreachable.transaction(user, (tx) => tx.query('SELECT 1')));
    await unreachable.close();

    // Assess
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    expect(error.retryable).toBe(true);
  });
});
