import { z } from 'zod';

const environment = z.object({
  DB_HOST: z.string().min(1),
  DB_PORT: z.coerce.number().int().min(1).max(65_535).default(5432),
  DB_NAME: z.string().min(1),
  DB_ADMIN_SECRET_ARN: z.string().min(1),
  DB_APP_SECRET_ARN: z.string().min(1),
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
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment for the migrate function: ${problems.join('; ')}`);
  }
  return {
    host: parsed.data.DB_HOST,
    port: parsed.data.DB_PORT,
    database: parsed.data.DB_NAME,
    adminSecretArn: parsed.data.DB_ADMIN_SECRET_ARN,
    appSecretArn: parsed.data.DB_APP_SECRET_ARN,
  };
}
