import { IdentityCache } from '../../layers/core/processor/identity';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../layers/core/outbound/templates';
import type { SQSEvent } from 'aws-lambda';
import { createProcessor } from '../../functions/processor/processor';
import { MemoryBreakerStore } from '../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../layers/core/adapters/local/memory-metrics';
import { MemoryScheduler } from '../../layers/core/adapters/local/memory-scheduler';
import { buildModelRouter } from '../../layers/core/assistant/model-router';
import { DEFAULT_TURN_CONFIG, type TurnModel } from '../../layers/core/assistant/turn';
import type { Database } from '../../layers/core/db/database';
import { runMigrations } from '../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../layers/core/db/pglite-database';
import { toQueueMessage } from '../../layers/core/ingress/queue-message';
import type { ProcessorDeps } from '../../layers/core/processor/deps';
import type { MediaDeps } from '../../layers/core/processor/media';
import type { QueueMessage } from '../../layers/core/ports/queue';
import type {
  InboundContent,
  InboundMessageEvent,
  StatusEvent,
  WebhookEvent,
} from '../../layers/core/whatsapp/events';
import { GraphClient } from '../../layers/core/whatsapp/graph/client';
import { GraphStandIn } from '../../local/graph-stand-in';
import { LexicalEmbedder } from '../../layers/core/memory/lexical-embedder';
import type { Embedder } from '../../layers/core/ports/embedder';
import { capturingLogger } from './logger';

export const PHONE_NUMBER_ID = '106540352242922';
const ACCESS_TOKEN = 'harness-access-token';
const APP_SECRET = 'harness-app-secret';
/** What the harness's processor tells a user who asks for a person. */
export const OPERATOR_CONTACT = 'soporte@chasqui.test';

export interface HarnessUser {
  waId: string;
  name: string;
}

/**
 * The real processor handler with PGlite, the Graph API stand-in on loopback, an in-memory
 * scheduler and the offline planner (or any model): the production code path without AWS.
 */
export const startProcessorHarness = async (options: {
  now: Date;
  model?: TurnModel;
  db?: Database;
  /** Offline by default: no transcriber, no vision. */
  media?: MediaDeps;
  /** Wraps the Graph client's fetch, e.g. to see or time its requests. */
  graphFetch?: (next: typeof fetch) => typeof fetch;
  embedder?: Embedder;
}) => {
  const db = options.db ?? (await createPgliteDatabase());
  await runMigrations(db);
  let now = options.now;
  const clock = { now: () => now };
  const standIn = await GraphStandIn.start({ accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, clock });
  const metrics = new MemoryMetrics();
  const { logger, lines } = capturingLogger();
  const scheduler = new MemoryScheduler();
  const deps: ProcessorDeps = {
    db,
    graph: new GraphClient({
      apiVersion: 'v23.0',
      baseUrl: standIn.url,
      accessToken: () => Promise.resolve(ACCESS_TOKEN),
      sleep: () => Promise.resolve(),
      ...(options.graphFetch && { fetch: options.graphFetch(globalThis.fetch) }),
    }),
    model:
      options.model ?? buildModelRouter({ breakerStore: new MemoryBreakerStore(), logger, metrics, clock }),
    scheduler,
    embedder: options.embedder ?? new LexicalEmbedder(),
    logger,
    metrics,
    clock,
    media: options.media ?? { vision: false },
    identities: new IdentityCache(),
    config: {
      turn: DEFAULT_TURN_CONFIG,
      defaults: { locale: 'es', timeZone: 'America/Bogota', currency: 'USD' },
      budgets: { dailyUsd: 50, userDailyUsd: 1 },
      consent: { optOut: ['desuscribir', 'stop all'], optIn: ['reanudar'] },
      operatorContact: OPERATOR_CONTACT,
      templates: DEFAULT_MESSAGE_TEMPLATES,
    },
  };
  const handler = createProcessor(deps);
  let sequence = 0;

  const sqsEvent = (events: WebhookEvent[], receiveCount = 1): SQSEvent =>
    sqsEventOf(events.map(toQueueMessage), receiveCount);
  const sqsEventOf = (messages: QueueMessage[], receiveCount: number): SQSEvent => ({
    Records: messages.map((message) => {
      sequence++;
      return {
        messageId: `m-${sequence}`,
        receiptHandle: `r-${sequence}`,
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: String(now.getTime()),
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: String(now.getTime()),
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
          SequenceNumber: String(sequence),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:events.fifo',
        awsRegion: 'us-east-1',
      };
    }),
  });

  const inbound = (
    user: HarnessUser,
    content: InboundContent,
    extra: Partial<InboundMessageEvent> = {},
  ): InboundMessageEvent => {
    sequence++;
    const wamid = `wamid.TEST${sequence}${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    return {
      kind: 'message',
      eventId: wamid,
      wamid,
      tenant: { phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '15550783881' },
      user: { key: user.waId, waId: user.waId },
      profileName: user.name,
      sentAt: now.toISOString(),
      content,
      ...extra,
    };
  };

  /** The user's tenant and id, once they have written. */
  const scopeOf = async (user: HarnessUser): Promise<{ tenantId: string; userId: string }> => {
    const { rows } = await db.query<{ tenantId: string; userId: string }>(
      'SELECT tenant_id AS "tenantId", id AS "userId" FROM users WHERE wa_id = $1',
      [user.waId],
    );
    if (!rows[0]) throw new Error(`${user.name} has not written yet`);
    return rows[0];
  };
  /** Records model spend of `usd` for the user today, as a paid model call would. */
  const spend = async (user: HarnessUser, usd: number) => {
    await db.transaction(await scopeOf(user), (tx) =>
      tx.query(
        `INSERT INTO ai_usage (provider, model, input_tokens, output_tokens, cost_usd, latency_ms, outcome)
         VALUES ('anthropic', 'claude-test', 1, 1, $1, 1, 'ok')`,
        [usd],
      ),
    );
  };
  return {
    db,
    deps,
    standIn,
    scheduler,
    metrics,
    logLines: lines,
    setNow: (value: Date) => {
      now = value;
    },
    inbound,
    /** Runs one batch through the real handler; returns the batch response. */
    process: (events: WebhookEvent[], receiveCount = 1) => {
      for (const event of events) {
        if (event.kind === 'message')
          standIn.recordInbound(PHONE_NUMBER_ID, event.user.waId ?? event.user.key, new Date(event.sentAt));
      }
      return handler(sqsEvent(events, receiveCount));
    },
    /** A queue record with an arbitrary body, as a redrive or a manual send could produce. */
    processRaw: (body: string) =>
      handler(sqsEventOf([{ body, groupId: 'raw', deduplicationId: `raw-${sequence}` }], 1)),
    /** A user's text message, processed; returns the event sent. */
    say: async (user: HarnessUser, text: string) => {
      const event = inbound(user, { type: 'text', text });
      const response = await handler(sqsEvent([event]));
      standIn.recordInbound(PHONE_NUMBER_ID, user.waId, new Date(event.sentAt));
      if (response.batchItemFailures.length > 0)
        throw new Error(`processing failed: ${JSON.stringify(response)}`);
      return event;
    },
    status: (
      wamid: string,
      user: HarnessUser,
      status: string,
      extra: Partial<StatusEvent> = {},
    ): StatusEvent => ({
      kind: 'status',
      eventId: `${wamid}:${status}`,
      wamid,
      status,
      tenant: { phoneNumberId: PHONE_NUMBER_ID },
      user: { key: user.waId, waId: user.waId },
      sentAt: now.toISOString(),
      errors: [],
      ...extra,
    }),
    scopeOf,
    spend,
    /** Bodies the stand-in accepted for the user, oldest first. */
    sent: (user: HarnessUser) =>
      standIn.outbox({ to: user.waId }).map((entry) => entry.body as Record<string, unknown>),
    close: async () => {
      await standIn.close();
      await db.close();
    },
  };
};

export type ProcessorHarness = Awaited<ReturnType<typeof startProcessorHarness>>;

/** The visible text of an outbound message body: text body or interactive body. */
export const textOf = (body: Record<string, unknown>): string => {
  const text = body.text as { body?: string } | undefined;
  const interactive = body.interactive as { body?: { text?: string } } | undefined;
  return text?.body ?? interactive?.body?.text ?? '';
};

export const buttonsOf = (body: Record<string, unknown>): { id: string; title: string }[] => {
  const interactive = body.interactive as
    { action?: { buttons?: { reply: { id: string; title: string } }[] } } | undefined;
  return (interactive?.action?.buttons ?? []).map((button) => button.reply);
};
