import { consumerAndRedrive } from '../../support/local-pipeline';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../../layers/core/outbound/templates';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createIngress } from '../../../functions/ingress/ingress';
import { createProcessor } from '../../../functions/processor/processor';
import { DatabaseRawDeadLetterStore } from '../../../layers/core/adapters/local/database-raw-dead-letters';
import { LocalFifoQueue } from '../../../layers/core/adapters/local/local-fifo-queue';
import { MemoryBreakerStore } from '../../../layers/core/adapters/local/memory-breaker-store';
import { MemoryDedupStore } from '../../../layers/core/adapters/local/memory-dedup-store';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { MemoryScheduler } from '../../../layers/core/adapters/local/memory-scheduler';
import { OfflineChatModel } from '../../../layers/core/assistant/offline-model';
import { DEFAULT_TURN_CONFIG } from '../../../layers/core/assistant/turn';
import type { Database } from '../../../layers/core/db/database';
import type { ChatModel } from '../../../layers/core/llm/chat-model';
import { CircuitBreaker } from '../../../layers/core/llm/circuit-breaker';
import { LlmRouter } from '../../../layers/core/llm/router';
import { IdentityCache } from '../../../layers/core/processor/identity';
import type { ProcessorDeps } from '../../../layers/core/processor/deps';
import type { DedupStore } from '../../../layers/core/ports/dedup-store';
import type { EventQueue } from '../../../layers/core/ports/queue';
import type { RedriveResult } from '../../../layers/core/redrive/redrive';
import { parseWebhookEvent } from '../../../layers/core/whatsapp/event-schema';
import { Logger } from '@aws-lambda-powertools/logger';
import { apiGatewayEvent, TEST_APP_SECRET, TEST_VERIFY_TOKEN } from '../../support/webhooks';
import { FaultyDatabase } from './faulty-database';
import { FaultyGraph } from './faulty-graph';
import { FaultyChatModel } from './faulty-models';
import { FaultInjector } from './injector';
import { MetaFake } from '../../support/meta-fake';
import {
  type BusinessNumber,
  messageWebhook as buildMessageWebhook,
  metaJson,
} from '../../../local/web/webhook';
import type { PlannedMessage, Scenario } from './plan';

export const PHONE_NUMBER_ID = '106540352242922';
const START = Date.parse('2026-11-23T13:00:00Z');
/** Simulated time per tick: the clock of the queue, the ingress, the processor and its breakers. */
export const TICK_MS = 10_000;
/** As lib/constructs/processing.ts: five receives, then the DLQ. */
const MAX_RECEIVE_COUNT = 5;
const VISIBILITY_TIMEOUT_MS = 3 * TICK_MS;
/** Meta retries a failed delivery with backoff; here, two ticks later. */
const META_RETRY_TICKS = 2;
const MAX_TICKS = 2_000;

const BUSINESS_ACCOUNT_ID = '102290129340398';

const envelope = (value: Record<string, unknown>): string =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: BUSINESS_ACCOUNT_ID, changes: [{ field: 'messages', value }] }],
  });

const metadata = { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID };

const BUSINESS_NUMBER: BusinessNumber = {
  businessAccountId: BUSINESS_ACCOUNT_ID,
  displayPhoneNumber: metadata.display_phone_number,
  phoneNumberId: PHONE_NUMBER_ID,
};

/** The webhook Meta sends for a user's text message, sent at `at`. */
export const messageWebhook = (message: PlannedMessage, at: number): string =>
  metaJson(
    buildMessageWebhook(BUSINESS_NUMBER, message.user, {
      wamid: message.wamid,
      sentAt: new Date(at),
      content: { type: 'text', text: { body: message.text } },
    }),
  );

export interface StatusUpdate {
  readonly wamid: string;
  readonly recipient: string;
  readonly status: 'sent' | 'delivered' | 'read';
}

export const statusWebhook = (statuses: readonly StatusUpdate[], at: number): string =>
  envelope({
    messaging_product: 'whatsapp',
    metadata,
    statuses: statuses.map(({ wamid, recipient, status }) => ({
      id: wamid,
      status,
      timestamp: String(Math.floor(at / 1000)),
      recipient_id: recipient,
      pricing: { pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
    })),
  });

/** The offline planner, telling the injector when it answered. */
const lastResort = (injector: FaultInjector): ChatModel => {
  const planner = new OfflineChatModel();
  return {
    provider: planner.provider,
    model: planner.model,
    complete: (request) => {
      injector.fallbackAnswered();
      return planner.complete(request);
    },
  };
};

/** Tells the injector which user the processor is working for: its record is the running one. */
class TrackingIdentityCache extends IdentityCache {
  constructor(private readonly injector: FaultInjector) {
    super();
  }

  override scopeOf(...args: Parameters<IdentityCache['scopeOf']>) {
    this.injector.recordStarted(args[2].key);
    return super.scopeOf(...args);
  }
}

/**
 * The ingress, the local FIFO queue, the processor and the redrive — the real handlers — over one PGlite
 * database, with every external dependency replaced by one that fails as the plan says. Driven tick by
 * tick, one batch at a time: a seed always plans the same faults and deliveries. Within a batch the users
 * run at once, as the processor runs them, so which record a crash catches mid-send, and so the exact
 * tally, can differ a little between runs; what the suite asserts holds for every interleaving.
 */
export const buildWorld = (scenario: Scenario, database: Database) => {
  let tick = 0;
  const clock = { now: () => new Date(START + tick * TICK_MS) };
  const injector = new FaultInjector(scenario);
  const meta = new MetaFake();
  const metrics = new MemoryMetrics();
  // Silent: the tally is the evidence, and formatting thousands of log lines would dominate the run.
  const logger = new Logger({ serviceName: 'fault-injection', logLevel: 'SILENT' });
  const db = new FaultyDatabase(database, injector);

  const queue = new LocalFifoQueue({
    visibilityTimeoutMs: VISIBILITY_TIMEOUT_MS,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    now: () => clock.now().getTime(),
  });
  /** Per user, the order in which the ingress got each message into the queue: the order replies must keep. */
  const accepted = new Map<string, string[]>();
  const seenAccepted = new Set<string>();
  const wamidOf = (body: string) => {
    const parsed = parseWebhookEvent(body);
    return parsed.ok && parsed.event.kind === 'message' ? parsed.event : undefined;
  };
  const ingressQueue: EventQueue = {
    send: async (messages) => {
      const refused = messages.filter((message) => {
        const event = wamidOf(message.body);
        return event !== undefined && injector.queueRefuses(event.wamid);
      });
      const result = await queue.send(messages.filter((message) => !refused.includes(message)));
      for (const message of messages) {
        const event = wamidOf(message.body);
        if (!event || refused.includes(message) || seenAccepted.has(event.wamid)) continue;
        seenAccepted.add(event.wamid);
        accepted.set(event.user.key, [...(accepted.get(event.user.key) ?? []), event.wamid]);
      }
      return {
        failed: [...result.failed, ...refused.map((message) => message.deduplicationId)],
        ...(refused.length > 0 && { reason: 'InternalError: injected SQS failure' }),
      };
    },
  };
  const memoryDedup = new MemoryDedupStore();
  const dedup: DedupStore = {
    claim: (eventId, now) => memoryDedup.claim(eventId, now),
    release: (eventId) => memoryDedup.release(eventId),
    complete: (eventId, now) =>
      injector.dedupCompleteFails(eventId)
        ? Promise.reject(new Error('injected: dedup store throttled'))
        : memoryDedup.complete(eventId, now),
  };
  const ingress = createIngress({
    secrets: () => Promise.resolve({ appSecret: TEST_APP_SECRET, verifyToken: TEST_VERIFY_TOKEN }),
    dedup,
    queue: ingressQueue,
    deadLetters: new DatabaseRawDeadLetterStore(database),
    metrics,
    logger,
    clock,
  });

  const breakers = new MemoryBreakerStore();
  const provider = (name: 'anthropic' | 'openai', model: string) => ({
    model: new FaultyChatModel(name, model, injector),
    breaker: new CircuitBreaker({ provider: name, store: breakers, logger, metrics, clock }),
  });
  const scheduler = new MemoryScheduler();
  const deps: ProcessorDeps = {
    db,
    graph: new FaultyGraph(injector, meta, clock),
    model: new LlmRouter({
      providers: [provider('anthropic', 'claude-sonnet-4-5'), provider('openai', 'gpt-4.1-mini')],
      lastResort: lastResort(injector),
      logger,
      metrics,
      clock,
    }),
    scheduler,
    embedder: new LexicalEmbedder(),
    media: { vision: false },
    logger,
    metrics,
    clock,
    identities: new TrackingIdentityCache(injector),
    config: {
      turn: DEFAULT_TURN_CONFIG,
      defaults: { locale: 'es', timeZone: 'America/Bogota', currency: 'USD' },
      budgets: { dailyUsd: 1_000, userDailyUsd: 100 },
      consent: { optOut: [], optIn: [] },
      operatorContact: 'soporte@chasqui.test',
      templates: DEFAULT_MESSAGE_TEMPLATES,
    },
  };
  const processor = createProcessor(deps);
  let invocations = 0;
  let crashes = 0;
  /** One Lambda invocation; after a crash nothing it did is acknowledged, as when the process dies. */
  const invoke = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    invocations += 1;
    injector.startBatch(
      new Map(
        event.Records.map((record) => {
          const message = wamidOf(record.body);
          return [message?.user.key ?? record.attributes.MessageGroupId ?? '', message?.wamid];
        }),
      ),
    );
    try {
      const response = await processor(event);
      if (injector.crashed) {
        crashes += 1;
        throw new Error('simulated crash: no batch response');
      }
      return response;
    } finally {
      injector.crashed = false;
      injector.batchFinished();
    }
  };
  const { consumer, redrive } = consumerAndRedrive(queue, invoke, {
    db: database,
    breakers,
    logger,
    metrics,
  });

  const deliver = async (body: string): Promise<number> =>
    (await ingress(apiGatewayEvent(body))).statusCode ?? 500;

  /** Processes every visible record, a batch at a time. */
  const processVisible = async (): Promise<void> => {
    while ((await consumer.runOnce()) > 0);
  };

  const idle = () => {
    const depth = queue.depth();
    return depth.visible + depth.inFlight === 0;
  };

  return {
    injector,
    meta,
    metrics,
    queue,
    scheduler,
    accepted,
    stats: () => ({ invocations, crashes }),
    clock,
    /**
     * Plays the scenario: each tick delivers what Meta sends then (a refused delivery comes back two ticks
     * later), processes what is visible, and moves the clocks on, until everything is delivered and the
     * queue is empty (its DLQ aside).
     */
    run: async (): Promise<{ ticks: number; refusedDeliveries: number }> => {
      const pending = scenario.deliveries.map((delivery, order) => ({ ...delivery, order }));
      const firstDelivered = new Set<string>();
      let refusedDeliveries = 0;
      for (tick = 0; tick < MAX_TICKS; tick++) {
        injector.setTick(tick);
        const due = pending.filter((delivery) => delivery.tick <= tick);
        for (const delivery of due) {
          pending.splice(pending.indexOf(delivery), 1);
          const { message } = delivery;
          const outOfOrder =
            delivery.kind === 'first' && message.faults.some((fault) => fault.kind === 'out_of_order');
          const status = await deliver(messageWebhook(message, START + delivery.tick * TICK_MS));
          if (status !== 200) {
            refusedDeliveries += 1;
            pending.push({ ...delivery, tick: tick + META_RETRY_TICKS, order: delivery.order });
            pending.sort((a, b) => a.tick - b.tick || a.order - b.order);
            continue;
          }
          if (delivery.kind === 'first' && firstDelivered.has(message.wamid)) continue;
          if (delivery.kind === 'first') firstDelivered.add(message.wamid);
          injector.delivered(message, delivery.kind, outOfOrder);
        }
        await processVisible();
        if (pending.length === 0 && idle()) return { ticks: tick + 1, refusedDeliveries };
      }
      throw new Error(`the scenario did not settle in ${MAX_TICKS} ticks`);
    },
    /** Redrives the DLQ by hand, as an operator would once the outage is over, and drains the queue. */
    recover: async (): Promise<RedriveResult | undefined> => {
      if (queue.depth().deadLetters === 0) return undefined;
      const result = await redrive({ trigger: 'manual' });
      for (let rounds = 0; !idle() && rounds < MAX_TICKS; rounds++) {
        tick += 1;
        await processVisible();
      }
      return result;
    },
    /** Delivers status webhooks (a few per webhook, as Meta batches them) and processes them. */
    deliverStatuses: async (updates: readonly StatusUpdate[], perWebhook: number): Promise<number> => {
      let refused = 0;
      for (let index = 0; index < updates.length; index += perWebhook) {
        tick += 1;
        const status = await deliver(
          statusWebhook(updates.slice(index, index + perWebhook), clock.now().getTime()),
        );
        if (status !== 200) refused += 1;
        await processVisible();
      }
      for (let rounds = 0; !idle() && rounds < MAX_TICKS; rounds++) {
        tick += 1;
        await processVisible();
      }
      return refused;
    },
  };
};

export type World = ReturnType<typeof buildWorld>;
