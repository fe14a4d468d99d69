import { PgliteDatabase, openPglite } from '../../layers/core/db/pglite-database';
import { runMigrations } from '../../layers/core/db/migrate';
import { servePglite } from '../../layers/core/db/pglite-server';

/**
 * A database in its own process, as RDS is for Lambda, so a benchmark can measure the memory of
 * the processor alone. Prints the connection string on stdout, then serves until killed.
 */
const main = async () => {
  const pglite = await openPglite();
  await runMigrations(new PgliteDatabase(pglite));
  const server = await servePglite(pglite, { maxConnections: 4 });
  process.stdout.write(`${server.connectionString}\n`);
};

void main();
