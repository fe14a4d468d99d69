import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod/mini';
import { createPgDatabase } from '../../layers/core/db/pg-database';
import { type DbCredentials } from './app-login';
import { type MigrateConfig } from './config';
import { type MigrateDeps } from './migrate';

// The shape of an RDS-generated secret; its other fields (engine, host, port, dbname) are not needed.
const credentials = z.object({
  username: z.string().check(z.minLength(1)),
  password: z.string().check(z.minLength(1)),
});

async function readCredentials(secretArn: string): Promise<DbCredentials> {
  const parsed = credentials.safeParse(await getSecret(secretArn, { transform: 'json' }));
  if (!parsed.success) throw new Error(`Secret ${secretArn} must be JSON with a username and a password`);
  return parsed.data;
}

export function awsMigrateDeps(config: MigrateConfig): MigrateDeps {
  return {
    getAdminCredentials: () => readCredentials(config.adminSecretArn),
    getAppCredentials: () => readCredentials(config.appSecretArn),
    connect: ({ username, password }) =>
      createPgDatabase({
        // One invocation runs one statement at a time.
        connection: {
          host: config.host,
          port: config.port,
          database: config.database,
          user: username,
          password,
          max: 1,
        },
        ssl: true,
      }),
  };
}
