import * as z from 'zod/mini';

/**
 * Runtime code uses `zod/mini`: classic zod bundles every locale (≈450 KB minified), which a Lambda
 * pays for on each cold start; mini tree-shakes to ≈15 KB.
 *
 * Every Lambda parses its environment once, at cold start, with its own schema (`env.ts`,
 * `ingress-env.ts`). The CDK constructs set exactly these variables; `test/infra` checks that they agree.
 */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses `env` with `schema`; on failure names every missing or invalid variable. */
export const parseEnv = <S extends z.ZodMiniType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> => {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.');
    return env[variable] === undefined
      ? `${variable} is missing`
      : `${variable} is invalid: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
};

export const nonEmpty = z.string().check(z.trim(), z.minLength(1));
export const arn = z.string().check(z.regex(/^arn:aws[a-z-]*:/, 'must be an ARN'));

export const stageSchema = z.enum(['dev', 'staging', 'prod', 'local']);
export type Stage = z.infer<typeof stageSchema>;

export const common = {
  STAGE: stageSchema,
  POWERTOOLS_SERVICE_NAME: nonEmpty,
  POWERTOOLS_METRICS_NAMESPACE: nonEmpty,
};
