import { consumerAndRedrive } from '../../support/local-pipeline';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../../layers/core/outbound/templates';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import { Logger } from '@aws-lambda-powertools/logger';
import { createProcessor } from '../../../functions/processor/processor';
import { LocalFifoQueue } from '../../../layers/core/adapters/local/local-fifo-queue';
import { MemoryBreakerStore } from '../../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { MemoryScheduler } from '../../../layers/core/adapters/local/memory-scheduler';
import { OfflineChatModel } from '../../../layers/core/assistant/offline-model';
import { DEFAULT_TURN_CONFIG } from '../../../layers/core/assistant/turn';
import type { Database } from '../../../layers/core/db/database';
import { runMigrations } from '../../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../../layers/core/db/pglite-database';
import { toQueueMessage } from '../../../layers/core/ingress/queue-message';
import type { ChatModel, ChatRequest } from '../../../layers/core/llm/chat-model';
import { CircuitBreaker } from '../../../layers/core/llm/circuit-breaker';
import { providerErrorFromStatus } from '../../../layers/core/llm/provider-error';
import { LlmRouter } from '../../../layers/core/llm/router';
import { IdentityCache } from '../../../layers/core/processor/identity';
import type { InboundMessageEvent } from '../../../layers/core/whatsapp/events';
import { GraphClient } from '../../../layers/core/whatsapp/graph/client';
import { metaErrorResponse, MetaFake } from '../../support/meta-fake';

const START = Date.parse('2026-11-23T13:00:00Z');
/** As lib/constructs/processing.ts: five receives, then the DLQ. */
const MAX_RECEIVES = 5;
const VISIBILITY_MS = 30_000;
/** CircuitBreaker's default cooldown: an open breaker allows one trial after this long. */
const BREAKER_COOLDOWN_MS = 30_000;
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

/**
 * Claude thinking as the offline planner does (so what it answers is predictable), down while `down()`
 * says so: 529 overloaded, as Anthropic answers an outage.
 */
const anthropic = (down: () => boolean): ChatModel => {
  const planner = new OfflineChatModel();
  return {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    complete: async (request: ChatRequest) => {
      if (down()) throw providerErrorFromStatus('anthropic', 529, 'overloaded_error', 'Overloaded');
      return { ...(await planner.complete(request)), provider: 'anthropic', model: 'claude-sonnet-4-5' };
    },
  };
};

describe('redrive end to end: the real processor, the local queue and its DLQ', () => {
  let database: Database;

  beforeAll(async () => {
    database = await createPgliteDatabase();
    await runMigrations(database);
  });
  afterAll(() => database.close());

  it('holds while Claude is down, then answers once, in order, what failed during the outage', async () => {
    // Prepare: the whole stack, with Claude and the Graph API both down.
    let now = START;
    const clock = { now: () => new Date(now) };
    let outage = true;
    const logger = new Logger({ serviceName: 'redrive-e2e', logLevel: 'SILENT' });
    const metrics = new MemoryMetrics();
    const breakers = new MemoryBreakerStore();
    const meta = new MetaFake();
    const processor = createProcessor({
      db: database,
      graph: new GraphClient({
        apiVersion: 'v23.0',
        accessToken: () => Promise.resolve('token'),
        fetch: (input, init) =>
          outage
            ? Promise.resolve(metaErrorResponse(500, 131000, 'Something went wrong'))
            : meta.fetch(input, init),
        sleep: () => Promise.resolve(),
        clock,
      }),
      model: new LlmRouter({
        providers: [
          {
            model: anthropic(() => outage),
            breaker: new CircuitBreaker({ provider: 'anthropic', store: breakers, logger, metrics, clock }),
          },
        ],
        lastResort: new OfflineChatModel(),
        logger,
        metrics,
        clock,
      }),
      scheduler: new MemoryScheduler(),
      embedder: new LexicalEmbedder(),
      media: { vision: false },
      logger,
      metrics,
      clock,
      identities: new IdentityCache(),
      config: {
        turn: DEFAULT_TURN_CONFIG,
        defaults: { locale: 'es', timeZone: 'America/Bogota', currency: 'COP' },
        budgets: { dailyUsd: 100, userDailyUsd: 10 },
        consent: { optOut: [], optIn: [] },
        operatorContact: 'soporte@chasqui.test',
        templates: DEFAULT_MESSAGE_TEMPLATES,
      },
    });
    const queue = new LocalFifoQueue({
      visibilityTimeoutMs: VISIBILITY_MS,
      maxReceiveCount: MAX_RECEIVES,
      now: () => now,
    });
    const { consumer, redrive } = consumerAndRedrive(queue, processor, {
      db: database,
      breakers,
      logger,
      metrics,
    });
    const drain = async () => {
      for (let round = 0; round < 50 && queue.depth().visible + queue.depth().inFlight > 0; round++) {
        await consumer.runOnce();
        now += VISIBILITY_MS + 1;
      }
    };
    const say = (waId: string, wamid: string, text: string): InboundMessageEvent => ({
      kind: 'message',
      eventId: wamid,
      wamid,
      tenant: { phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' },
      user: { key: waId, waId },
      profileName: `User ${waId.slice(-2)}`,
      sentAt: new Date(now).toISOString(),
      content: { type: 'text', text },
    });
    const ana = '573001230001';
    const ben = '573001230002';
    const failed = [
      say(ana, 'wamid.OUTAGE.A1', 'gasté 20.000 en almuerzo'),
      say(ana, 'wamid.OUTAGE.A2', '¿cuánto gasté hoy?'),
      say(ben, 'wamid.OUTAGE.B1', 'recuérdame mañana a las 9 llamar a Juan'),
    ];
    await queue.send(failed.map(toQueueMessage));
    await drain();
    const deadLettered = queue.deadLetterMessages().length;
    const whileDown = await redrive(SCHEDULED);

    // Act: both recover; once the breaker's cooldown has passed, a new message is Claude's trial, and the
    // scheduled redrive finds every breaker closed.
    outage = false;
    now += BREAKER_COOLDOWN_MS;
    await queue.send([toQueueMessage(say('573001230003', 'wamid.AFTER.C1', 'hola'))]);
    await drain();
    const afterRecovery = await redrive(SCHEDULED);
    await drain();

    // Assess
    expect(deadLettered).toBe(3);
    expect(whileDown).toEqual({ status: 'held', reason: 'providers_unhealthy', detail: 'anthropic open' });
    expect(afterRecovery).toMatchObject({ status: 'done', redriven: 3, parked: 0 });
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, deadLetters: 0 });
    const replies = meta.sent.map((sent) => sent.replyTo);
    expect(replies.filter((wamid) => wamid?.startsWith('wamid.OUTAGE.A'))).toEqual([
      'wamid.OUTAGE.A1',
      'wamid.OUTAGE.A2',
    ]);
    expect(replies.filter((wamid) => wamid === 'wamid.OUTAGE.B1')).toHaveLength(1);
    const { rows } = await database.query<{ wamid: string; provider: string }>(
      `SELECT message_wamid AS wamid, provider FROM ai_usage
       WHERE message_wamid LIKE 'wamid.OUTAGE.%' AND outcome = 'ok' ORDER BY created_at`,
    );
    // Every attempt during the outage fell back to the offline planner; the answers users got came from Claude.
    expect(new Set(rows.filter((row) => row.provider === 'anthropic').map((row) => row.wamid))).toEqual(
      new Set(failed.map((event) => event.wamid)),
    );
    const { rows: expenses } = await database.query(
      "SELECT 1 FROM expenses WHERE source_wamid = 'wamid.OUTAGE.A1'",
    );
    expect(expenses).toHaveLength(1);
  });
});
