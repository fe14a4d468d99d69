import { IdentityCache } from '../../layers/core/processor/identity';
import type { SQSEvent } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { createProcessor } from '../../functions/processor/processor';
import { MemoryBreakerStore } from '../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../layers/core/adapters/local/memory-metrics';
import { MemoryScheduler } from '../../layers/core/adapters/local/memory-scheduler';
import { buildModelRouter } from '../../layers/core/assistant/model-router';
import { DEFAULT_TURN_CONFIG } from '../../layers/core/assistant/turn';
import { runMigrations } from '../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../layers/core/db/pglite-database';
import { toQueueMessage } from '../../layers/core/ingress/queue-message';
import type { InboundMessageEvent } from '../../layers/core/whatsapp/events';
import type { GraphApi } from '../../layers/core/whatsapp/graph/client';
import { formatMs, median, percentile, printTable } from './stats';

const PHRASES = [
  'recuérdame mañana a las 9 llamar a Juan',
  'gasté 45.000 en almuerzo',
  '¿cuánto gasté esta semana?',
  'remind me in 2 hours to stretch',
  'I spent $12.50 on coffee',
  'what are my reminders?',
  'agenda dentista el viernes 3pm',
  'hola',
];

/** Graph API calls answered in memory: the benchmark measures the processor, not the network. */
const inMemoryGraph = (): GraphApi & { sent: number } => {
  const graph = {
    sent: 0,
    sendMessage: () => {
      graph.sent++;
      return Promise.resolve({ wamid: `wamid.BENCH${graph.sent}` });
    },
    markRead: () => Promise.resolve(),
    getMediaUrl: () => Promise.reject(new Error('no media in the benchmark')),
    downloadMedia: () => Promise.reject(new Error('no media in the benchmark')),
    fetchMedia: () => Promise.reject(new Error('no media in the benchmark')),
  };
  return graph;
};

const sqsEvent = (event: InboundMessageEvent): SQSEvent => {
  const message = toQueueMessage(event);
  return {
    Records: [
      {
        messageId: event.wamid,
        receiptHandle: event.wamid,
        body: message.body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'bench',
          ApproximateFirstReceiveTimestamp: '0',
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:0:bench.fifo',
        awsRegion: 'local',
      },
    ],
  };
};

export const runProcessorBench = async (options: { users: number; perUser: number }): Promise<void> => {
  const db = await createPgliteDatabase();
  await runMigrations(db);
  const logger = new Logger({ logLevel: 'SILENT' });
  const metrics = new MemoryMetrics(1000);
  const graph = inMemoryGraph();
  const handler = createProcessor({
    db,
    graph,
    model: buildModelRouter({ breakerStore: new MemoryBreakerStore(), logger, metrics }),
    scheduler: new MemoryScheduler(),
    logger,
    metrics,
    clock: { now: () => new Date() },
    identities: new IdentityCache(),
    config: {
      turn: DEFAULT_TURN_CONFIG,
      defaults: { locale: 'es', timeZone: 'America/Bogota', currency: 'USD' },
      budgets: { dailyUsd: 1, userDailyUsd: 1 },
    },
  });
  const event = (user: number, index: number): InboundMessageEvent => {
    const waId = `57300${String(user).padStart(7, '0')}`;
    const wamid = `wamid.BENCH.${user}.${index}`;
    return {
      kind: 'message',
      eventId: wamid,
      wamid,
      tenant: { phoneNumberId: '100000000000001', displayPhoneNumber: '15550000001' },
      user: { key: waId, waId },
      profileName: `User ${user}`,
      sentAt: new Date().toISOString(),
      content: { type: 'text', text: PHRASES[(user + index) % PHRASES.length]! },
    };
  };

  // Warm-up: JIT, PGlite caches, first-use paths.
  for (let index = 0; index < 20; index++) await handler(sqsEvent(event(options.users + 1, index)));

  // PGlite's WASM Postgres alone holds ~350 MB resident; the processor's own share is the growth past it.
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  const samples: number[] = [];
  const started = performance.now();
  for (let index = 0; index < options.perUser; index++) {
    for (let user = 0; user < options.users; user++) {
      const begin = performance.now();
      const response = await handler(sqsEvent(event(user, index)));
      samples.push(performance.now() - begin);
      if (response.batchItemFailures.length > 0) throw new Error('a benchmark message failed');
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  }
  const elapsedS = (performance.now() - started) / 1000;
  await db.close();
  printTable(
    `Processor, offline planner + PGlite, no network (${options.users} users × ${options.perUser} messages, sequential)`,
    [
      ['messages', String(samples.length)],
      ['throughput', `${(samples.length / elapsedS).toFixed(0)} msg/s`],
      ['p50 per message', formatMs(median(samples))],
      ['p95 per message', `${formatMs(percentile(samples, 95))} (target ≤ 50 ms)`],
      ['p99 per message', formatMs(percentile(samples, 99))],
      ['peak RSS (process, PGlite included)', `${(peakRss / 1024 / 1024).toFixed(0)} MB (target ≤ 200 MB)`],
      ['RSS after setup (PGlite + modules)', `${(baselineRss / 1024 / 1024).toFixed(0)} MB`],
      ['RSS growth while processing', `${((peakRss - baselineRss) / 1024 / 1024).toFixed(0)} MB`],
      ['replies sent', String(graph.sent)],
    ],
  );
};
