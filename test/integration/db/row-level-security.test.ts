import { type Queryable } from '../../../layers/core/db/database';
import { type DatabaseError } from '../../../layers/core/db/errors';
import { type PgliteDatabase } from '../../../layers/core/db/pglite-database';
import { eraseCurrentUserData } from '../../../layers/core/db/repositories/erasure';
import { eraseCurrentUser } from '../../../layers/core/db/repositories/users';
import {
  createTestUser,
  databaseErrorFrom,
  type MigratedPglite,
  openMigratedPglite,
  type TestUser,
  unique,
} from './support';

type Fixture = (owner: TestUser) => [sql: string, params: unknown[]];

/**
 * One row for any user-owned table, inserted with explicit tenant and user ids. A new table with a user_id
 * column needs an entry here: the tests below fail until it has one.
 */
const fixtures: Record<string, Fixture> = {
  messages: (owner) => [
    `INSERT INTO messages (tenant_id, user_id, wamid, direction, type, body, status)
     VALUES ($1, $2, $3, 'in', 'text', 'hola', 'received')`,
    [owner.tenantId, owner.userId, unique('wamid.')],
  ],
  reminders: (owner) => [
    `INSERT INTO reminders (tenant_id, user_id, text, due_at, time_zone)
     VALUES ($1, $2, 'call mum', now() + interval '1 day', 'America/Lima')`,
    [owner.tenantId, owner.userId],
  ],
  calendar_events: (owner) => [
    `INSERT INTO calendar_events (tenant_id, user_id, title, starts_at, ends_at)
     VALUES ($1, $2, 'dentist', now(), now() + interval '1 hour')`,
    [owner.tenantId, owner.userId],
  ],
  expenses: (owner) => [
    `INSERT INTO expenses (tenant_id, user_id, amount, currency, category, occurred_at)
     VALUES ($1, $2, 25, 'PEN', 'food', now())`,
    [owner.tenantId, owner.userId],
  ],
  user_memory: (owner) => [
    `INSERT INTO user_memory (tenant_id, user_id, kind, content) VALUES ($1, $2, 'fact', 'likes ceviche')`,
    [owner.tenantId, owner.userId],
  ],
  preferences: (owner) => [
    `INSERT INTO preferences (tenant_id, user_id, key, value) VALUES ($1, $2, $3, '"es"')`,
    [owner.tenantId, owner.userId, unique('reply.language.')],
  ],
  ai_usage: (owner) => [
    `INSERT INTO ai_usage (tenant_id, user_id, provider, model, input_tokens, output_tokens, cost_usd, latency_ms,
       outcome)
     VALUES ($1, $2, 'anthropic', 'claude', 100, 20, 0.001, 800, 'ok')`,
    [owner.tenantId, owner.userId],
  ],
  tool_executions: (owner) => [
    `INSERT INTO tool_executions (tenant_id, user_id, message_wamid, tool, call_index, input, status, duration_ms)
     VALUES ($1, $2, $3, 'add_expense', 0, '{}', 'ok', 5)`,
    [owner.tenantId, owner.userId, unique('wamid.')],
  ],
  dead_letters: (owner) => [
    `INSERT INTO dead_letters (tenant_id, user_id, source, reason, payload, external_id)
     VALUES ($1, $2, 'processor', 'poison', '{}', $3)`,
    [owner.tenantId, owner.userId, unique('sqs-')],
  ],
  handoff_requests: (owner) => [
    `INSERT INTO handoff_requests (tenant_id, user_id, message_wamid, last_message)
     VALUES ($1, $2, $3, 'talk to a human')`,
    [owner.tenantId, owner.userId, unique('wamid.')],
  ],
};

async function insertFixture(db: Queryable, table: string, owner: TestUser): Promise<void> {
  const fixture = fixtures[table];
  if (!fixture) throw new Error(`No RLS fixture for table ${table}: add one to this test`);
  const [sql, params] = fixture(owner);
  await db.query(sql, params);
}

/** The tables a user owns: those with a user_id column, found in the catalog rather than listed by hand. */
async function userOwnedTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND c.column_name = 'user_id' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name`,
  );
  return rows.map((row) => row.table_name);
}

async function appRoleMay(db: Queryable, table: string, privilege: 'UPDATE' | 'DELETE'): Promise<boolean> {
  const { rows } = await db.query<{ allowed: boolean }>(
    "SELECT has_table_privilege('chasqui_app', $1, $2) AS allowed",
    [table, privilege],
  );
  return rows[0]!.allowed;
}

/** Rows changed, or the error that stopped the statement. */
async function attempt(
  db: PgliteDatabase,
  scope: TestUser,
  sql: string,
  params: unknown[],
): Promise<number | DatabaseError> {
  return db
    .transaction(scope, async (tx) => (await tx.query(sql, params)).rowCount)
    .catch((error: DatabaseError) => error);
}

describe('row-level security', () => {
  let database: MigratedPglite;
  let db: PgliteDatabase;
  let tables: string[];
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    database = await openMigratedPglite();
    db = database.db;
    tables = await userOwnedTables(db);
    alice = await createTestUser(db);
    bob = await createTestUser(db, alice.tenantId);
    carol = await createTestUser(db);
    for (const table of tables) {
      for (const owner of [alice, bob, carol]) await insertFixture(db, table, owner);
    }
  });

  afterAll(async () => {
    await database.pglite.close();
  });

  it('finds the user-owned tables in the catalog, each with a fixture', () => {
    // Assess
    expect(tables).toEqual(expect.arrayContaining(['messages', 'expenses', 'user_memory', 'dead_letters']));
    expect(tables.filter((table) => !(table in fixtures))).toEqual([]);
  });

  it('is enabled and forced on every table that holds tenant or user data', async () => {
    // Act
    const { rows } = await db.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
         AND c.relname <> 'schema_migrations'
         AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`,
    );

    // Assess
    expect(rows.map((row) => row.relname)).toEqual([]);
  });

  it('shows a user only its own rows in every user-owned table', async () => {
    // Act
    const seen = await db.transaction(alice, async (tx) => {
      const byTable: Record<string, { own: number; others: number }> = {};
      for (const table of tables) {
        const { rows } = await tx.query<{ user_id: string }>(`SELECT * FROM ${table}`);
        const own = rows.filter((row) => row.user_id === alice.userId).length;
        byTable[table] = { own, others: rows.length - own };
      }
      return byTable;
    });

    // Assess: user_memory also holds the searchable text of the reminder, event and expense fixtures
    // (triggers of migration 0009).
    const own = (table: string) => (table === 'user_memory' ? 4 : 1);
    for (const table of tables)
      expect({ table, ...seen[table] }).toEqual({ table, own: own(table), others: 0 });
  });

  it('shows a user only its own user row and its own tenant', async () => {
    // Act
    const visible = await db.transaction(alice, async (tx) => ({
      users: (await tx.query<{ id: string }>('SELECT id FROM users')).rows.map((row) => row.id),
      tenants: (await tx.query<{ id: string }>('SELECT id FROM tenants')).rows.map((row) => row.id),
    }));

    // Assess
    expect(visible).toEqual({ users: [alice.userId], tenants: [alice.tenantId] });
  });

  it("lets a user neither update nor delete another user's rows", async () => {
    // Prepare
    const statements: Array<{ table: string; privilege: 'UPDATE' | 'DELETE'; sql: string }> = [
      ...tables.flatMap((table) => [
        {
          table,
          privilege: 'UPDATE' as const,
          sql: `UPDATE ${table} SET updated_at = now() WHERE user_id = $1`,
        },
        { table, privilege: 'DELETE' as const, sql: `DELETE FROM ${table} WHERE user_id = $1` },
      ]),
      { table: 'users', privilege: 'UPDATE', sql: "UPDATE users SET name = 'x' WHERE id = $1" },
      { table: 'users', privilege: 'DELETE', sql: 'DELETE FROM users WHERE id = $1' },
    ];
    const expected: Record<string, string> = {};
    const actual: Record<string, string> = {};

    // Act
    for (const { table, privilege, sql } of statements) {
      // Without the privilege the statement fails outright; with it, the policy hides Bob's rows.
      expected[`${privilege} ${table}`] = (await appRoleMay(db, table, privilege)) ? '0 rows' : 'error 42501';
      const result = await attempt(db, alice, sql, [bob.userId]);
      actual[`${privilege} ${table}`] =
        typeof result === 'number' ? `${result} rows` : `error ${result.code}`;
    }

    // Assess
    expect(actual).toEqual(expected);
    const bobsExpenses = await db.query('SELECT 1 FROM expenses WHERE user_id = $1', [bob.userId]);
    expect(bobsExpenses.rowCount).toBe(1);
  });

  it('shows a user only its own rows through every view, which reads as the invoker', async () => {
    // Prepare: a priced outbound message each, so every cost view has a row per user.
    for (const owner of [alice, bob, carol]) {
      await db.query(
        `INSERT INTO messages (tenant_id, user_id, wamid, direction, type, status, pricing_category, cost_usd)
         VALUES ($1, $2, $3, 'out', 'text', 'delivered', 'service', 0.004)`,
        [owner.tenantId, owner.userId, unique('wamid.out.')],
      );
    }
    const { rows: views } = await db.query<{ name: string; options: string[] | null }>(
      `SELECT c.relname AS name, c.reloptions AS options FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN information_schema.columns col ON col.table_schema = n.nspname AND col.table_name = c.relname
       WHERE n.nspname = 'public' AND c.relkind = 'v' AND col.column_name = 'user_id'
       ORDER BY c.relname`,
    );

    // Act
    const seen = await db.transaction(alice, async (tx) => {
      const byView: Record<string, { own: number; others: number }> = {};
      for (const { name } of views) {
        const { rows } = await tx.query<{ user_id: string }>(`SELECT * FROM ${name}`);
        const own = rows.filter((row) => row.user_id === alice.userId).length;
        byView[name] = { own, others: rows.length - own };
      }
      return byView;
    });
    const ownerSees = await db.query<{ users: number }>(
      'SELECT count(DISTINCT user_id)::integer AS users FROM cost_user_daily',
    );

    // Assess
    expect(views.map((view) => view.name)).toEqual([
      'cost_ai_daily',
      'cost_messages_daily',
      'cost_user_daily',
    ]);
    for (const view of views) expect(view.options).toContain('security_invoker=true');
    for (const { name } of views) expect({ name, ...seen[name] }).toEqual({ name, own: 1, others: 0 });
    expect(ownerSees.rows[0]!.users).toBeGreaterThanOrEqual(3);
  });

  it('rejects a row written for another user, in every user-owned table', async () => {
    // Prepare
    const codes: Record<string, string | undefined> = {};

    // Act
    for (const table of tables) {
      const error = await databaseErrorFrom(db.transaction(alice, (tx) => insertFixture(tx, table, bob)));
      codes[table] = error.code;
    }

    // Assess
    expect(codes).toEqual(Object.fromEntries(tables.map((table) => [table, '42501'])));
  });

  it('shows nothing from any user-owned table when no user, or no scope at all, is set', async () => {
    // Prepare
    const visibleRows = async (tx: Queryable): Promise<Record<string, number>> => {
      const byTable: Record<string, number> = {};
      for (const table of [...tables, 'users'])
        byTable[table] = (await tx.query(`SELECT * FROM ${table}`)).rowCount;
      return byTable;
    };
    const nothing = Object.fromEntries([...tables, 'users', 'tenants'].map((table) => [table, 0]));

    // Act
    const tenantOnly = await db.transaction({ tenantId: alice.tenantId }, visibleRows);
    // As the production login connects: the application role, and no settings at all.
    const unscoped = await db.systemTransaction(async (tx) => {
      await tx.exec('SET LOCAL ROLE chasqui_app');
      return { ...(await visibleRows(tx)), tenants: (await tx.query('SELECT * FROM tenants')).rowCount };
    });

    // Assess
    expect(tenantOnly).toEqual(Object.fromEntries([...tables, 'users'].map((table) => [table, 0])));
    expect(unscoped).toEqual(nothing);
  });

  it('lets the application role resolve identities through the SECURITY DEFINER functions only', async () => {
    // Act
    const resolved = await db.transaction({ tenantId: alice.tenantId }, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        "SELECT app_resolve_user($1, $2, NULL, 'Dora', 'es', 'America/Lima', 'PE') AS id",
        [alice.tenantId, unique('51')],
      );
      return rows[0]!.id;
    });
    const directInsert = await databaseErrorFrom(
      db.transaction({ tenantId: alice.tenantId }, (tx) =>
        tx.query("INSERT INTO users (tenant_id, wa_id, locale, time_zone) VALUES ($1, '5100', 'es', 'UTC')", [
          alice.tenantId,
        ]),
      ),
    );

    // Assess
    expect(resolved).toMatch(/^[0-9a-f-]{36}$/);
    expect(directInsert.code).toBe('42501');
  });

  it('erases a user and everything the user owns with one delete', async () => {
    // Prepare
    const dora = await createTestUser(db, alice.tenantId);
    for (const table of tables) await insertFixture(db, table, dora);

    // Act
    const erased = await db.transaction(dora, (tx) => eraseCurrentUser(tx));

    // Assess
    expect(erased).toBe(true);
    for (const table of tables) {
      const { rowCount } = await db.query(`SELECT 1 FROM ${table} WHERE user_id = $1`, [dora.userId]);
      expect({ table, rowCount }).toEqual({ table, rowCount: 0 });
    }
  });

  it("erases a user's data in their own scope, keeping only their identity and the exchange that confirms it", async () => {
    // Prepare
    const erin = await createTestUser(db, alice.tenantId);
    for (const table of tables) await insertFixture(db, table, erin);
    await db.query(
      `INSERT INTO messages (tenant_id, user_id, wamid, direction, type, body, status)
       VALUES ($1, $2, 'wamid.CONFIRM', 'in', 'interactive', 'Sí, borrar todo', 'received')`,
      [erin.tenantId, erin.userId],
    );
    await db.query(
      `INSERT INTO messages (tenant_id, user_id, idempotency_key, direction, type, body, status)
       VALUES ($1, $2, 'reply:wamid.CONFIRM:0', 'out', 'text', 'Listo', 'pending')`,
      [erin.tenantId, erin.userId],
    );
    const countsOf = async (userId: string) => {
      const counts: Record<string, number> = {};
      for (const table of tables) {
        counts[table] = (await db.query(`SELECT 1 FROM ${table} WHERE user_id = $1`, [userId])).rowCount;
      }
      return counts;
    };
    const aliceBefore = await countsOf(alice.userId);

    // Act
    const deleted = await db.transaction(erin, (tx) =>
      eraseCurrentUserData(tx, { inboundWamid: 'wamid.CONFIRM', replyKeyPrefix: 'reply:wamid.CONFIRM:' }),
    );

    // Assess
    expect(await countsOf(erin.userId)).toEqual({
      ...Object.fromEntries(tables.map((table) => [table, 0])),
      messages: 2,
    });
    expect(Object.values(deleted).every((count) => count >= 1)).toBe(true);
    expect((await db.query('SELECT 1 FROM users WHERE id = $1', [erin.userId])).rowCount).toBe(1);
    expect(await countsOf(alice.userId)).toEqual(aliceBefore);
  });
});
