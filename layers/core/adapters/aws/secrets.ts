import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { ConfigError } from '../../config/env';

/** Secrets change rarely; five minutes bounds both Secrets Manager calls and rotation lag. */
const SECRET_CACHE_MS = 5 * 60 * 1000;

let sharedClient: SecretsManagerClient | undefined;

const parseJson = (text: string | undefined): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text ?? '') };
  } catch {
    // JSON.parse quotes the text it failed on, and this text is a secret.
    return { ok: false };
  }
};

/**
 * A reader for one JSON secret, validated with `schema` and cached for five minutes. One
 * GetSecretValue and a timestamp, rather than Powertools Parameters: from the Powertools layer that
 * utility loads a dozen modules on every cold start, ≈10 ms of the ingress's 150 ms budget (issue #3).
 */
export const jsonSecret = <S extends z.ZodMiniType>(
  secretArn: string,
  schema: S,
  client?: SecretsManagerClient,
): (() => Promise<z.infer<S>>) => {
  let cached: { value: z.infer<S>; expiresAt: number } | undefined;
  return async () => {
    if (cached !== undefined && Date.now() < cached.expiresAt) return cached.value;
    const secrets = client ?? (sharedClient ??= new SecretsManagerClient({}));
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const json = parseJson(SecretString);
    if (!json.ok) throw new ConfigError(`Secret ${secretArn} is not JSON`);
    const parsed = schema.safeParse(json.value);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new ConfigError(`Secret ${secretArn} is missing or has invalid fields: ${fields}`);
    }
    cached = { value: parsed.data, expiresAt: Date.now() + SECRET_CACHE_MS };
    return parsed.data;
  };
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
