import { type PGlite } from '@electric-sql/pglite';
import { runMigrations } from '../../../layers/core/db/migrate';
import { migrationSources } from '../../../layers/core/db/migrations';
import { PgDatabase } from '../../../layers/core/db/pg-database';
import { openPglite } from '../../../layers/core/db/pglite-database';
import { type PgliteServer, servePglite } from '../../../layers/core/db/pglite-server';

describe('migrations run by two processes at once', () => {
  let pglite: PGlite;
  let server: PgliteServer;
  let first: PgDatabase;
  let second: PgDatabase;

  beforeAll(async () => {
    pglite = await openPglite();
    server = await servePglite(pglite);
    first = new PgDatabase({ connection: server.connectionString });
    second = new PgDatabase({ connection: server.connectionString });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await server.stop();
    await pglite.close();
  });

  it('applies each migration exactly once between them', async () => {
    // Act
    const [a, b] = await Promise.all([runMigrations(first), runMigrations(second)]);

    // Assess
    const appliedByBoth = a.applied.filter((file) => b.applied.includes(file));
    expect(appliedByBoth).toEqual([]);
    expect([...a.applied, ...b.applied].sort()).toEqual(migrationSources.map((source) => source.file));
    const { rows } = await first.query('SELECT version FROM schema_migrations');
    expect(rows).toHaveLength(migrationSources.length);
  });
});
