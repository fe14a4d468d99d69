import { createPgDatabase } from '../../db/pg-database';
import type { Database } from '../../db/database';
import { dbCredentialsSchema, jsonSecret } from './secrets';

export interface AppDatabaseEnv {
  DB_HOST: string;
  DB_PORT: number;
  DB_NAME: string;
  DB_APP_SECRET_ARN: string;
}

/**
 * The functions' connection through RDS Proxy, as the non-owner app login (so RLS applies), with
 * TLS. The password is read per new connection, so a rotated one is picked up without a restart.
 */
export const appDatabase = async (env: AppDatabaseEnv, poolSize: number): Promise<Database> => {
  const credentials = jsonSecret(env.DB_APP_SECRET_ARN, dbCredentialsSchema);
  const { username } = await credentials();
  return createPgDatabase({
    connection: {
      host: env.DB_HOST,
      port: env.DB_PORT,
      database: env.DB_NAME,
      user: username,
      password: async () => (await credentials()).password,
      max: poolSize,
    },
    ssl: true,
  });
};
