import * as z from 'zod/mini';

// zod/mini loads no locale, so its default message is a bare "Invalid input": each check names its rule.
const required = z.string('is missing').check(z.minLength(1, 'must not be empty'));

const environment = z.object({
  DB_HOST: required,
  DB_PORT: z._default(
    z.coerce
      .number('must be a number')
      .check(
        z.int('must be an integer'),
        z.minimum(1, 'must be at least 1'),
        z.maximum(65_535, 'must be at most 65535'),
      ),
    5432,
  ),
  DB_NAME: required,
  DB_ADMIN_SECRET_ARN: required,
  DB_APP_SECRET_ARN: required,
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
