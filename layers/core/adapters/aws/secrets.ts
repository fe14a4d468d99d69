import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { ConfigError } from '../../config/parse-env';

/** Secrets change rarely; five minutes bounds both Secrets Manager calls and rotation lag. */
const SECRET_CACHE_SECONDS = 300;

/** Reads a secret's string, cached. */
export type SecretReader = (secretArn: string) => Promise<string | undefined>;

/**
 * Powertools Parameters with its cache: how every function but the ingress reads secrets. Loaded on
 * first use, so the ingress, which never calls it, does not pay for loading it at cold start.
 */
export const powertoolsSecretReader: SecretReader = async (secretArn) => {
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const value = await getSecret(secretArn, { maxAge: SECRET_CACHE_SECONDS });
  return value === undefined || typeof value === 'string' ? value : new TextDecoder().decode(value);
};

/**
 * One GetSecretValue per five minutes per secret. The ingress reads its app secret this way: loading
 * Powertools Parameters from the layer costs ≈10 ms of its 150 ms cold-start budget (issue #3).
 */
export const leanSecretReader = (client?: SecretsManagerClient): SecretReader => {
  const cache = new Map<string, { value: string | undefined; expiresAt: number }>();
  return async (secretArn) => {
    const cached = cache.get(secretArn);
    if (cached !== undefined && Date.now() < cached.expiresAt) return cached.value;
    const secrets = client ?? (sharedClient ??= new SecretsManagerClient({}));
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    cache.set(secretArn, { value: SecretString, expiresAt: Date.now() + SECRET_CACHE_SECONDS * 1000 });
    return SecretString;
  };
};

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
 * A reader for one JSON secret, validated with `schema`; `read` caches the text. The value parsed from
 * that text is kept until the text changes (rotation), so the ingress does not parse and validate the
 * same secret again on every webhook.
 */
export const jsonSecret = <S extends z.ZodMiniType>(
  secretArn: string,
  schema: S,
  read: SecretReader = powertoolsSecretReader,
): (() => Promise<z.infer<S>>) => {
  let last: { text: string | undefined; value: z.infer<S> } | undefined;
  return async () => {
    const text = await read(secretArn);
    if (last !== undefined && last.text === text) return last.value;
    const json = parseJson(text);
    if (!json.ok) throw new ConfigError(`Secret ${secretArn} is not JSON`);
    const parsed = schema.safeParse(json.value);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new ConfigError(`Secret ${secretArn} is missing or has invalid fields: ${fields}`);
    }
    last = { text, value: parsed.data };
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
