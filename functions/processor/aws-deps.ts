import { appDatabase } from '../../layers/core/adapters/aws/app-database';
import { IdentityCache } from '../../layers/core/processor/identity';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { buildModelRouter } from '../../layers/core/assistant/model-router';
import { DEFAULT_TURN_CONFIG } from '../../layers/core/assistant/turn';
import { DynamoDbBreakerStore } from '../../layers/core/adapters/aws/dynamodb-breaker-store';
import { EventBridgeReminderScheduler } from '../../layers/core/adapters/aws/eventbridge-scheduler';
import { PowertoolsMetrics } from '../../layers/core/adapters/aws/powertools-metrics';
import { traced } from '../../layers/core/adapters/aws/tracing';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { jsonSecret, llmSecretSchema, whatsappSecretSchema } from '../../layers/core/adapters/aws/secrets';
import type { ProcessorEnv } from '../../layers/core/config/env';
import { createLogger } from '../../layers/core/logging';
import { systemClock } from '../../layers/core/ports/clock';
import type { ProcessorDeps } from '../../layers/core/processor/deps';
import { GraphClient } from '../../layers/core/whatsapp/graph/client';
import { OpenAiTranscriber } from '../../layers/core/llm/openai-transcriber';
import { OpenAiEmbedder } from '../../layers/core/llm/openai-embedder';
import { LexicalEmbedder } from '../../layers/core/memory/lexical-embedder';

/**
 * One Lambda instance handles one batch at a time, its message groups at once (processor.ts). Their
 * transactions are short and take turns on these connections, while the slow parts (model calls, Graph
 * sends) overlap; every instance's pool counts against the database's connection limit.
 */
const POOL_SIZE = 2;

/**
 * Built once per cold start. The LLM keys are read before the first batch (during init, which
 * Lambda does not bill at the invocation's memory price) because the SDK clients need them.
 */
export const awsProcessorDeps = async (env: ProcessorEnv): Promise<ProcessorDeps> => {
  const logger = createLogger();
  const metrics = new PowertoolsMetrics(new Metrics());
  const whatsapp = jsonSecret(env.WHATSAPP_SECRET_ARN, whatsappSecretSchema);
  const llmKeys = await jsonSecret(env.LLM_SECRET_ARN, llmSecretSchema)();
  const provider = (model: string, apiKey: string | undefined) =>
    apiKey ? { model, apiKey, timeoutMs: env.LLM_TIMEOUT_MS, maxTokens: env.LLM_MAX_TOKENS } : undefined;
  const anthropic = provider(env.ANTHROPIC_MODEL, llmKeys.anthropicApiKey);
  const openai = provider(env.OPENAI_MODEL, llmKeys.openaiApiKey);
  return {
    db: await appDatabase(env, POOL_SIZE),
    graph: new GraphClient({
      apiVersion: env.GRAPH_API_VERSION,
      accessToken: async () => (await whatsapp()).accessToken,
    }),
    model: buildModelRouter({
      ...(anthropic && { anthropic }),
      ...(openai && { openai }),
      breakerStore: new DynamoDbBreakerStore({
        tableName: env.STATE_TABLE_NAME,
        client: traced(new DynamoDBClient({})),
      }),
      logger,
      metrics,
    }),
    embedder: llmKeys.openaiApiKey
      ? new OpenAiEmbedder({
          apiKey: llmKeys.openaiApiKey,
          model: env.EMBEDDING_MODEL,
          dimensions: env.EMBEDDING_DIMENSIONS,
        })
      : new LexicalEmbedder(env.EMBEDDING_DIMENSIONS),
    scheduler: new EventBridgeReminderScheduler({
      groupName: env.SCHEDULE_GROUP_NAME,
      targetArn: env.REMINDER_FUNCTION_ARN,
      roleArn: env.SCHEDULER_ROLE_ARN,
      deadLetterArn: env.SCHEDULER_DLQ_ARN,
      client: traced(new SchedulerClient({})),
    }),
    logger,
    metrics,
    clock: systemClock,
    media: {
      ...(llmKeys.openaiApiKey && {
        transcriber: new OpenAiTranscriber({
          model: env.TRANSCRIPTION_MODEL,
          apiKey: llmKeys.openaiApiKey,
          timeoutMs: env.LLM_TIMEOUT_MS,
        }),
      }),
      // Both configured models read images.
      vision: Boolean(anthropic || openai),
    },
    identities: new IdentityCache(),
    config: {
      turn: { ...DEFAULT_TURN_CONFIG, deadlineMs: env.LLM_TIMEOUT_MS * 2 },
      defaults: { locale: 'es', timeZone: 'America/Bogota', currency: 'USD' },
      budgets: { dailyUsd: env.DAILY_BUDGET_USD, userDailyUsd: env.USER_DAILY_BUDGET_USD },
      consent: { optOut: env.OPT_OUT_KEYWORDS, optIn: env.OPT_IN_KEYWORDS },
      operatorContact: env.OPERATOR_CONTACT,
      templates: env.WHATSAPP_TEMPLATES,
    },
  };
};
