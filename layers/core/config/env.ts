import * as z from 'zod/mini';
import { parseKeywordList } from '../privacy/commands';
import { messageTemplatesSchema } from '../outbound/templates';
import { SUPPORTED_EMBEDDING_DIMENSIONS } from '../ports/embedder';
import { ingressEnvSchema } from './ingress-env';
import { arn, common, nonEmpty } from './parse-env';

const positiveNumber = z.coerce.number().check(z.positive());
const positiveInt = z.coerce.number().check(z.int(), z.positive());

const database = {
  DB_HOST: nonEmpty,
  DB_PORT: z._default(positiveInt, 5432),
  DB_NAME: nonEmpty,
  /** Credentials of the non-owner login role the functions use (RLS applies to it). */
  DB_APP_SECRET_ARN: arn,
};

/** A variable holding JSON, parsed and checked with `schema`; a problem is reported on the variable itself. */
const jsonText = <S extends z.ZodMiniType>(schema: S) =>
  z.pipe(
    z.string(),
    z.transform((text, context): z.infer<S> => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        context.issues.push({ code: 'custom', message: 'must be JSON', input: text });
        return z.NEVER;
      }
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      context.issues.push({ code: 'custom', message: problems.join('; '), input: text });
      return z.NEVER;
    }),
  );

const whatsapp = {
  /** JSON secret: `{ appSecret, verifyToken, accessToken }`. */
  WHATSAPP_SECRET_ARN: arn,
  GRAPH_API_VERSION: z.string().check(z.regex(/^v\d+\.\d+$/, 'must look like v23.0')),
  /** JSON: the approved template per purpose and language (outbound/templates.ts). */
  WHATSAPP_TEMPLATES: jsonText(messageTemplatesSchema),
};

const scheduling = {
  SCHEDULE_GROUP_NAME: nonEmpty,
  SCHEDULER_ROLE_ARN: arn,
  SCHEDULER_DLQ_ARN: arn,
};

const llm = {
  /** JSON secret: `{ anthropicApiKey?, openaiApiKey? }`. */
  LLM_SECRET_ARN: arn,
  ANTHROPIC_MODEL: nonEmpty,
  OPENAI_MODEL: nonEmpty,
  /** Speech to text for voice notes, with the OpenAI key: `gpt-4o-mini-transcribe`, `whisper-1`… */
  TRANSCRIPTION_MODEL: nonEmpty,
  LLM_TIMEOUT_MS: positiveInt,
  LLM_MAX_TOKENS: positiveInt,
  DAILY_BUDGET_USD: positiveNumber,
  USER_DAILY_BUDGET_USD: positiveNumber,
};

/** Comma-separated words; empty for none. */
export const keywordList = z.pipe(z.string(), z.transform(parseKeywordList));

const privacy = {
  /** Whole-message opt-out words beyond the mandatory STOP, BAJA, PARAR, UNSUBSCRIBE. */
  OPT_OUT_KEYWORDS: keywordList,
  /** Whole-message opt-in words beyond the mandatory START, ALTA. */
  OPT_IN_KEYWORDS: keywordList,
  /** How a person from the team reaches a user who asks for one, shown in both languages. */
  OPERATOR_CONTACT: nonEmpty,
};

const embedding = {
  /** OpenAI embedding model for long-term memory, used when the LLM secret has an OpenAI key. */
  EMBEDDING_MODEL: nonEmpty,
  /** Vector width; one with an index in user_memory (migration 0009). */
  EMBEDDING_DIMENSIONS: z.pipe(
    z.coerce.number(),
    z.literal(SUPPORTED_EMBEDDING_DIMENSIONS, `must be one of ${SUPPORTED_EMBEDDING_DIMENSIONS.join(', ')}`),
  ),
};

export const processorEnvSchema = z.object({
  ...common,
  ...database,
  ...whatsapp,
  ...scheduling,
  ...llm,
  ...privacy,
  ...embedding,
  STATE_TABLE_NAME: nonEmpty,
  REMINDER_FUNCTION_ARN: arn,
});

export const reminderEnvSchema = z.object({
  ...common,
  ...database,
  ...whatsapp,
  ...scheduling,
  STATE_TABLE_NAME: nonEmpty,
});

export const redriveEnvSchema = z.object({
  ...common,
  ...database,
  STATE_TABLE_NAME: nonEmpty,
  DLQ_ARN: arn,
  SOURCE_QUEUE_ARN: arn,
  DLQ_ALARM_NAME: nonEmpty,
  MAX_REDRIVES: positiveInt,
  REDRIVE_MAX_PER_SECOND: positiveInt,
});

export const migrateEnvSchema = z.object({
  ...common,
  ...database,
  /** Owner credentials (RDS-generated secret); migrations run as the owner. */
  DB_ADMIN_SECRET_ARN: arn,
});

export type ProcessorEnv = z.infer<typeof processorEnvSchema>;
export type ReminderEnv = z.infer<typeof reminderEnvSchema>;
export type RedriveEnv = z.infer<typeof redriveEnvSchema>;
export type MigrateEnv = z.infer<typeof migrateEnvSchema>;

/** The environment variables each function expects, by function name; CDK and infra tests read this. */
export const functionEnvSchemas = {
  ingress: ingressEnvSchema,
  processor: processorEnvSchema,
  reminder: reminderEnvSchema,
  redrive: redriveEnvSchema,
  migrate: migrateEnvSchema,
} as const;
export type FunctionName = keyof typeof functionEnvSchemas;
