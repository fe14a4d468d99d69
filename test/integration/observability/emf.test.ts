import type { SQSEvent } from 'aws-lambda';
import { createIngress } from '../../../functions/ingress/ingress';
import { createProcessor } from '../../../functions/processor/processor';
import { createRedrive } from '../../../functions/redrive/redrive';
import { createReminderHandler } from '../../../functions/reminder/reminder';
import { LocalFifoQueue } from '../../../layers/core/adapters/local/local-fifo-queue';
import { LocalRedriveQueue } from '../../../layers/core/adapters/local/local-redrive';
import { MemoryBreakerStore } from '../../../layers/core/adapters/local/memory-breaker-store';
import { MemoryDedupStore } from '../../../layers/core/adapters/local/memory-dedup-store';
import { buildModelRouter } from '../../../layers/core/assistant/model-router';
import { toQueueMessage } from '../../../layers/core/ingress/queue-message';
import type { EmittingFunction } from '../../../layers/core/observability/metric-catalog';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import type { BreakerStore } from '../../../layers/core/ports/breaker-store';
import { LLM_PROVIDERS } from '../../../layers/core/redrive/providers';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../../layers/core/outbound/templates';
import type { WebhookEvent } from '../../../layers/core/whatsapp/events';
import { lambdaContext } from '../../../local/lambda-context';
import { captureEmf, catalogueOf, catalogueProblems, emittedMetrics } from '../../support/emf';
import {
  ANTHROPIC_PATH,
  anthropicError,
  anthropicMessage,
  LlmStubServer,
} from '../../support/llm-stub-server';
import { capturingLogger } from '../../support/logger';
import { type HarnessUser, PHONE_NUMBER_ID, startProcessorHarness } from '../../support/processor-harness';
import { apiGatewayEvent, fixtureBytes, TEST_APP_SECRET, TEST_VERIFY_TOKEN } from '../../support/webhooks';
import { startReminderHarness } from '../reminders/harness';
import { openMigratedPglite } from '../db/support';

const NOW = new Date('2026-11-22T15:00:00Z');
const ana: HarnessUser = { waId: '573007778899', name: 'Ana' };

/** Runs `act` with `fn`'s metrics captured, and returns what was printed, by metric. */
const capture = async (
  fn: EmittingFunction,
  act: (metrics: ReturnType<typeof captureEmf>['metrics']) => Promise<void>,
) => {
  const emf = captureEmf(fn);
  try {
    await act(emf.metrics);
  } finally {
    emf.restore();
  }
  const documents = emf.documents();
  return { documents, emitted: emittedMetrics(documents) };
};

describe('EMF output of each function', () => {
  it('ingress: ACK latency, events accepted by type, duplicates, rejections by reason', async () => {
    // Act
    const { documents, emitted } = await capture('ingress', async (metrics) => {
      const ingress = createIngress({
        secrets: () => Promise.resolve({ appSecret: TEST_APP_SECRET, verifyToken: TEST_VERIFY_TOKEN }),
        dedup: new MemoryDedupStore(),
        queue: { send: () => Promise.resolve({ failed: [] }) },
        deadLetters: { put: () => Promise.resolve('kept') },
        metrics,
        logger: capturingLogger().logger,
        clock: { now: () => NOW },
      });
      await ingress(apiGatewayEvent(fixtureBytes('text')));
      await ingress(apiGatewayEvent(fixtureBytes('text')));
      await ingress(apiGatewayEvent(fixtureBytes('status-delivered')));
      await ingress(apiGatewayEvent(fixtureBytes('text'), { signature: 'sha256=00' }));
      await ingress(apiGatewayEvent('{not json'));
    });

    // Assess
    expect(catalogueProblems('ingress', documents)).toEqual([]);
    expect([...emitted.keys()].sort()).toEqual(catalogueOf('ingress'));
    const accepted = documents.filter((document) => MetricNames.webhookEventsAccepted in document);
    expect(accepted.map((document) => document.type).sort()).toEqual(['status_delivered', 'text']);
    const rejected = documents.filter((document) => MetricNames.webhookRequestsRejected in document);
    expect(rejected.map((document) => document.reason).sort()).toEqual(['invalid_json', 'invalid_signature']);
  });

  describe('processor', () => {
    let stub: LlmStubServer;
    beforeAll(async () => {
      stub = await LlmStubServer.start();
    });
    afterAll(() => stub.close());

    it('turn, queue age, LLM latency, tokens and cost by model (with its total), tools, messages, statuses, dead letters, breakers', async () => {
      // Prepare
      const harness = await startProcessorHarness({ now: NOW });
      let sequence = 0;
      const sqsEvent = (events: WebhookEvent[]): SQSEvent => ({
        Records: events.map(toQueueMessage).map((message) => {
          sequence++;
          return {
            messageId: `m-${sequence}`,
            receiptHandle: `r-${sequence}`,
            body: message.body,
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: String(NOW.getTime() - 40),
              SenderId: 'test',
              ApproximateFirstReceiveTimestamp: String(NOW.getTime()),
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
      const inbound = (text: string) => {
        const event = harness.inbound(ana, { type: 'text', text });
        harness.standIn.recordInbound(PHONE_NUMBER_ID, ana.waId, new Date(event.sentAt));
        return event;
      };
      // The first read of the shared breaker state fails: the breaker runs on its own copy, and says so.
      const memoryStore = new MemoryBreakerStore();
      let storeFailures = 1;
      const breakerStore: BreakerStore = {
        get: (provider) =>
          storeFailures-- > 0 ? Promise.reject(new Error('throttled')) : memoryStore.get(provider),
        put: (provider, record, version) => memoryStore.put(provider, record, version),
      };
      stub.enqueue(
        ANTHROPIC_PATH,
        anthropicMessage({
          model: 'claude-sonnet-4-6',
          content: [
            {
              type: 'tool_use',
              id: 'toolu_1',
              name: 'add_expense',
              input: { amount: 12.5, category: 'food' },
            },
          ],
          stopReason: 'tool_use',
          usage: { input_tokens: 1500, output_tokens: 50, cache_read_input_tokens: 1000 },
        }),
        anthropicMessage({ model: 'claude-sonnet-4-6', content: [{ type: 'text', text: 'Noted $12.50.' }] }),
        // Three overloads in a row open Anthropic's breaker; the offline planner answers meanwhile.
        anthropicError(529, 'overloaded_error', 'Overloaded'),
        anthropicError(529, 'overloaded_error', 'Overloaded'),
        anthropicError(529, 'overloaded_error', 'Overloaded'),
      );

      // Act
      const { documents, emitted } = await capture('processor', async (metrics) => {
        const { logger } = capturingLogger();
        const processor = createProcessor({
          ...harness.deps,
          metrics,
          model: buildModelRouter({
            anthropic: {
              model: 'claude-sonnet-4-6',
              apiKey: 'sk-ant-test',
              baseURL: stub.origin,
              timeoutMs: 5_000,
              maxTokens: 256,
            },
            breakerStore,
            logger,
            metrics,
            clock: harness.deps.clock,
          }),
        });
        const expense = inbound('I spent 12.50 on food');
        await processor(sqsEvent([expense]));
        await processor(sqsEvent([expense])); // a redelivery, already answered
        const wamid = harness.standIn.outbox({ to: ana.waId })[0]!.wamid;
        await processor(
          sqsEvent([
            harness.status(wamid, ana, 'delivered', {
              pricing: {
                pricingModel: 'PMP',
                category: 'service',
                type: 'free_customer_service',
              },
            }),
          ]),
        );
        for (const text of ['hola', 'gracias', 'mis recordatorios', 'STOP', 'START'])
          await processor(sqsEvent([inbound(text)]));
        // No transcriber is configured: the voice note is answered, and counted, as not understood.
        const voiceNote = harness.inbound(ana, {
          type: 'media',
          mediaType: 'audio',
          mediaId: 'media-voice-1',
          mimeType: 'audio/ogg; codecs=opus',
          voice: true,
        });
        harness.standIn.recordInbound(PHONE_NUMBER_ID, ana.waId, new Date(voiceNote.sentAt));
        await processor(sqsEvent([voiceNote]));
        await processor({
          Records: [{ ...sqsEvent([inbound('x')]).Records[0]!, body: 'not a webhook event' }],
        });
      });

      // Assess
      expect(catalogueProblems('processor', documents)).toEqual([]);
      expect([...emitted.keys()].sort()).toEqual(catalogueOf('processor'));
      const cost = documents.filter((document) => MetricNames.llmCostUsd in document);
      expect(cost.map((document) => document._aws.CloudWatchMetrics[0]!.Dimensions)).toEqual([
        [['service', 'provider', 'model'], ['service']],
        [['service', 'provider', 'model'], ['service']],
      ]);
      expect(cost.every((document) => (document[MetricNames.llmCostUsd] as number) > 0)).toBe(true);
      expect(documents.find((document) => MetricNames.toolCalls in document)).toMatchObject({
        tool: 'add_expense',
        status: 'ok',
      });
      await harness.close();
    });
  });

  it('reminder: fired and late by outcome, messages sent, dead letters', async () => {
    // Prepare
    const harness = await startReminderHarness({ now: NOW });
    await harness.say(ana, 'hola');
    const reminder = await harness.createReminder(ana, { text: 'call mum', due_local: '2026-11-22T10:30' });
    harness.setNow(new Date('2026-11-22T15:31:30Z'));

    // Act
    const { documents, emitted } = await capture('reminder', async (metrics) => {
      const handler = createReminderHandler({
        db: harness.db,
        graph: harness.deps.graph,
        clock: harness.deps.clock,
        logger: harness.deps.logger,
        metrics,
        schedulerFor: () => harness.scheduler,
        config: { templates: DEFAULT_MESSAGE_TEMPLATES },
      });
      await handler(await harness.fireOf(ana, reminder), lambdaContext('chasqui-test-reminder'));
      await handler({ not: 'a schedule input' }, lambdaContext('chasqui-test-reminder'));
    });

    // Assess
    expect(catalogueProblems('reminder', documents)).toEqual([]);
    expect([...emitted.keys()].sort()).toEqual(catalogueOf('reminder'));
    expect(documents.find((document) => MetricNames.reminderLateness in document)).toMatchObject({
      outcome: 'sent',
      [MetricNames.reminderLateness]: 90_000,
    });
    await harness.close();
  });

  it('redrive: held runs, messages moved back, messages parked', async () => {
    // Prepare
    const database = await openMigratedPglite();
    const queue = new LocalFifoQueue({ visibilityTimeoutMs: 1, maxReceiveCount: 1 });
    const deadLetter = () => {
      for (const message of queue.receive(10)) queue.fail(message.messageId, 'handler failed');
    };
    await queue.send([{ body: '{"eventId":"wamid.poison"}', groupId: 'g', deduplicationId: 'wamid.poison' }]);
    deadLetter();

    // Act
    const { documents, emitted } = await capture('redrive', async (metrics) => {
      const redrive = createRedrive({
        db: database.db,
        queue: new LocalRedriveQueue(queue),
        breakers: new MemoryBreakerStore(),
        alarm: { current: () => Promise.resolve('OK') },
        providers: LLM_PROVIDERS,
        logger: capturingLogger().logger,
        metrics,
        config: { maxRedrives: 1 },
      });
      await redrive({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
      await redrive({ trigger: 'manual' });
      deadLetter();
      await redrive({ trigger: 'manual' });
    });

    // Assess
    expect(catalogueProblems('redrive', documents)).toEqual([]);
    expect([...emitted.keys()].sort()).toEqual(catalogueOf('redrive'));
    expect(documents.find((document) => MetricNames.redriveHeld in document)).toMatchObject({
      trigger: 'schedule',
      reason: 'dlq_empty',
    });
    await database.pglite.close();
  });
});
