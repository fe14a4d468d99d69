import { runMigrations } from '../../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../../layers/core/db/pglite-database';
import type { Database } from '../../../layers/core/db/database';
import { IdentityCache } from '../../../layers/core/processor/identity';

describe('identity cache', () => {
  let db: Database;
  let now = new Date('2026-11-22T15:00:00Z');
  const clock = { now: () => now };
  const tenant = { phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' };
  const user = { key: '573001112233', waId: '573001112233' };
  const defaults = { locale: 'es', timeZone: 'America/Bogota' };

  beforeAll(async () => {
    db = await createPgliteDatabase();
    await runMigrations(db);
  });
  afterAll(() => db.close());

  const calls = () => {
    const counted = { queries: 0 };
    const counting: Database = Object.create(db) as Database;
    counting.query = (sql, params) => {
      counted.queries++;
      return db.query(sql, params);
    };
    return { counting, counted };
  };

  it('resolves a tenant and user once, then answers from memory', async () => {
    const cache = new IdentityCache();
    const { counting, counted } = calls();
    const first = await cache.scopeOf({ db: counting, clock }, tenant, user, {
      ...defaults,
      profileName: 'Ana',
    });
    const second = await cache.scopeOf({ db: counting, clock }, tenant, user, defaults);
    expect(second).toEqual(first);
    expect(counted.queries).toBe(2);
  });

  it('asks the database again when the profile name changes or the entry is old', async () => {
    const cache = new IdentityCache();
    const { counting, counted } = calls();
    await cache.scopeOf({ db: counting, clock }, tenant, user, { ...defaults, profileName: 'Ana' });
    await cache.scopeOf({ db: counting, clock }, tenant, user, { ...defaults, profileName: 'Ana María' });
    const { rows } = await db.query<{ name: string }>('SELECT name FROM users WHERE wa_id = $1', [user.waId]);
    expect(rows[0]!.name).toBe('Ana María');
    now = new Date(now.getTime() + 6 * 60_000);
    await cache.scopeOf({ db: counting, clock }, tenant, user, defaults);
    expect(counted.queries).toBe(4);
  });
});
