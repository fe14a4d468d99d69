import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod/mini';
import { ConfigError } from '../../config/env';

/** Secrets change rarely; five minutes bounds both Secrets Manager calls and rotation lag. */
const SECRET_CACHE_SECONDS = 300;

/** A reader for one JSON secret, validated with `schema` and cached by Powertools Parameters. */
export const jsonSecret =
  <S extends z.ZodMiniType>(secretArn: string, schema: S) =>
  async (): Promise<z.infer<S>> => {
    const value = await getSecret(secretArn, { transform: 'json', maxAge: SECRET_CACHE_SECONDS });
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new ConfigError(`Secret ${secretArn} is missing or has invalid fields: ${fields}`);
    }
    return parsed.data;
  };

export const whatsappSecretSchema = z.object({
  appSecret: z.string().check(z.minLength(1)),
  verifyToken: z.string().check(z.minLength(1)),
  accessToken: z.string().check(z.minLength(1)),
});
export type WhatsAppSecret = z.infer<typeof whatsappSecretSchema>;

/** LLM keys; an absent key leaves that provider out, and with none the offline planner answers. */
export const llmSecretSchema = z.object({
  anthropicApiKey: z.optional(z.string()),
  openaiApiKey: z.optional(z.string()),
});

/** The shape of an RDS-generated secret; its other fields (engine, host, port) are not needed. */
export const dbCredentialsSchema = z.object({
  username: z.string().check(z.minLength(1)),
  password: z.string().check(z.minLength(1)),
});
