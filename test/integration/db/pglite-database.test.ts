import { randomUUID } from 'node:crypto';
import { type PGlite } from '@electric-sql/pglite';
import { openPglite, PgliteDatabase } from '../../../layers/core/db/pglite-database';

describe('PgliteDatabase', () => {
  let pglite: PGlite;
  let db: PgliteDatabase;

  beforeAll(async () => {
    pglite = await openPglite();
    db = new PgliteDatabase(pglite);
  });

  afterAll(() => pglite.close());

  it("lets the event loop in between a transaction's statements, so the local webhook is answered meanwhile", async () => {
    const statements = 20;
    let executed = 0;
    const transaction = db.systemTransaction(async (tx) => {
      for (let statement = 0; statement < statements; statement++) {
        await tx.query('SELECT $1::int AS n', [statement]);
        executed += 1;
      }
    });
    // Stands for an HTTP request arriving while the transaction runs: it is a macrotask, like I/O.
    const executedWhenOtherWorkRan = await new Promise<number>((resolve) =>
      setImmediate(() => resolve(executed)),
    );
    await transaction;

    expect(executed).toBe(statements);
    expect(executedWhenOtherWorkRan).toBeLessThan(statements);
  });

  it('rolls back an opening that failed after BEGIN, so the next transaction starts clean', async () => {
    // Prepare: this database is not migrated, so the application role the opening switches to is missing.
    const scope = { tenantId: randomUUID(), userId: randomUUID() };

    // Act
    const opening = await Promise.allSettled([db.transaction(scope, (tx) => tx.query('SELECT 1'))]);
    const next = await db.systemTransaction(
      async (tx) => (await tx.query("SELECT current_setting('app.tenant_id', true) AS tenant")).rows[0],
    );

    // Assess
    expect(opening).toEqual([{ status: 'rejected', reason: expect.objectContaining({ code: '22023' }) }]);
    expect(next).toEqual({ tenant: '' });
  });

  it('still runs one transaction at a time', async () => {
    const order: string[] = [];
    const run = (name: string) =>
      db.systemTransaction(async (tx) => {
        order.push(`${name}:begin`);
        await tx.query('SELECT 1');
        await tx.query('SELECT 2');
        order.push(`${name}:end`);
      });

    await Promise.all([run('a'), run('b')]);

    expect(order).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end']);
  });
});
