import * as z from 'zod/mini';
import { migrateEnvSchema } from '../../layers/core/config/env';
import { parseEnv } from '../../layers/core/config/parse-env';

/**
 * The connection settings of the function's environment, as the CDK sets them (the same schema the
 * infra tests check); the Powertools variables are Powertools' own business.
 */
const environment = z.pick(migrateEnvSchema, {
  DB_HOST: true,
  DB_PORT: true,
  DB_NAME: true,
  DB_ADMIN_SECRET_ARN: true,
  DB_APP_SECRET_ARN: true,
});

export interface MigrateConfig {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly adminSecretArn: string;
  readonly appSecretArn: string;
}

/** Parses the function's environment once, at cold start; a bad one fails naming each variable at fault. */
export function loadMigrateConfig(env: Readonly<Record<string, string | undefined>>): MigrateConfig {
  const parsed = parseEnv(environment, env);
  return {
    host: parsed.DB_HOST,
    port: parsed.DB_PORT,
    database: parsed.DB_NAME,
    adminSecretArn: parsed.DB_ADMIN_SECRET_ARN,
    appSecretArn: parsed.DB_APP_SECRET_ARN,
  };
}
