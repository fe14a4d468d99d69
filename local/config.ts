import * as z from 'zod/mini';
import { keywordList } from '../layers/core/config/env';
import { parseEnv } from '../layers/core/config/parse-env';
import { parseKeywordList } from '../layers/core/privacy/commands';

const optionalText = z.optional(z.string().check(z.trim(), z.minLength(1)));

/** The local business account and its number's display form; its phone number id is configurable. */
export const LOCAL_BUSINESS_ACCOUNT_ID = '100000000000099';
export const LOCAL_DISPLAY_PHONE_NUMBER = '15550000001';

/** Every variable of the local stack's contract, each with a local default (README "Configuration"). */
export const localEnvSchema = z.object({
  PORT: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(65535)), 3000),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), '.data'),
  DATABASE_URL: optionalText,
  WHATSAPP_APP_SECRET: z._default(z.string().check(z.minLength(1)), 'local-app-secret'),
  WHATSAPP_VERIFY_TOKEN: z._default(z.string().check(z.minLength(1)), 'local-verify-token'),
  WHATSAPP_ACCESS_TOKEN: z._default(z.string().check(z.minLength(1)), 'local-access-token'),
  WHATSAPP_PHONE_NUMBER_ID: z._default(
    z.string().check(z.regex(/^\d+$/, 'must be digits')),
    '100000000000001',
  ),
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: z.optional(z.url()),
  ANTHROPIC_MODEL: z._default(z.string(), 'claude-sonnet-4-5'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: z.optional(z.url()),
  OPENAI_MODEL: z._default(z.string(), 'gpt-4.1-mini'),
  /** Comma-separated, beyond the mandatory STOP, BAJA, PARAR, UNSUBSCRIBE (and START, ALTA). */
  OPT_OUT_KEYWORDS: z._default(keywordList, parseKeywordList('stopall,quit,desuscribir,darme de baja')),
  OPT_IN_KEYWORDS: z._default(keywordList, parseKeywordList('unstop,reanudar')),
  OPERATOR_CONTACT: z._default(z.string().check(z.trim(), z.minLength(1)), 'soporte@chasqui.local'),
  /** Voice notes, with OPENAI_API_KEY: any model the server at OPENAI_BASE_URL transcribes with. */
  TRANSCRIPTION_MODEL: z._default(z.string(), 'gpt-4o-mini-transcribe'),
});
export type LocalEnv = z.infer<typeof localEnvSchema>;

export const loadLocalEnv = (env: Record<string, string | undefined>): LocalEnv =>
  parseEnv(
    localEnvSchema,
    // An empty variable (`PORT= npm start`) means "use the default", as in most tools.
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')),
  );
