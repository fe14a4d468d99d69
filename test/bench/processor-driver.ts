import { DEFAULT_MESSAGE_TEMPLATES } from '../../layers/core/outbound/templates';
import { LexicalEmbedder } from '../../layers/core/memory/lexical-embedder';
import { IdentityCache } from '../../layers/core/processor/identity';
import type { SQSEvent } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { createProcessor } from '../../functions/processor/processor';
import { MemoryBreakerStore } from '../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../layers/core/adapters/local/memory-metrics';
import { MemoryScheduler } from '../../layers/core/adapters/local/memory-scheduler';
import { buildModelRouter } from '../../layers/core/assistant/model-router';
import { DEFAULT_TURN_CONFIG } from '../../layers/core/assistant/turn';
import { spawn } from 'node:child_process';
import type { Database } from '../../layers/core/db/database';
import type * as PgliteModule from '../../layers/core/db/pglite-database';
import { runMigrations } from '../../layers/core/db/migrate';
import { createPgDatabase } from '../../layers/core/db/pg-database';
import { toQueueMessage } from '../../layers/core/ingress/queue-message';
import type { InboundMessageEvent } from '../../layers/core/whatsapp/events';
import type { GraphApi } from '../../layers/core/whatsapp/graph/client';
import { againstTarget, formatMs, median, percentile, printTable } from './stats';

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

/** Starts the database in a child process and connects to it over its wire protocol on loopback. */
const databaseInChildProcess = async (serverScript: string): Promise<{ db: Database; stop: () => void }> => {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const connectionString = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim()));
    child.once('exit', (code) => reject(new Error(`database process exited with ${code}`)));
  });
  const db = createPgDatabase({ connection: { connectionString, max: 1 }, applicationRole: 'chasqui_app' });
  return { db, stop: () => child.kill() };
};

export interface ProcessorBenchOptions {
  users: number;
  perUser: number;
  /** `in-process`: PGlite inside this process; `separate`: in a child process, as RDS is for a Lambda. */
  database: 'in-process' | 'separate';
  /** The script that serves the database when it runs apart (`pglite-server-process.ts`). */
  serverScript: string;
}

/** Loaded only when the database runs in process: PGlite's module alone is memory the processor never holds. */
const databaseInProcess = async (): Promise<Database> => {
  // `require`, not `import()`: under nodenext a dynamic import would load PGlite's ESM build.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createPgliteDatabase } = require('../../layers/core/db/pglite-database') as typeof PgliteModule;
  const db = await createPgliteDatabase();
  await runMigrations(db);
  return db;
};

/**
 * Runs inside the bundled processor (see `processor.ts`): the memory it reports is that of the code as
 * deployed, not of the TypeScript loader.
 */
const runProcessorDriver = async (options: ProcessorBenchOptions): Promise<void> => {
  const separate =
    options.database === 'separate' ? await databaseInChildProcess(options.serverScript) : undefined;
  const db = separate?.db ?? (await databaseInProcess());
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
    media: { vision: false },
    embedder: new LexicalEmbedder(),
    identities: new IdentityCache(),
    config: {
      turn: DEFAULT_TURN_CONFIG,
      defaults: { locale: 'es', timeZone: 'America/Bogota', currency: 'USD' },
      budgets: { dailyUsd: 1, userDailyUsd: 1 },
      consent: { optOut: [], optIn: [] },
      operatorContact: 'soporte@chasqui.example',
      templates: DEFAULT_MESSAGE_TEMPLATES,
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

  // In process, PGlite's WASM Postgres alone holds ~350 MB resident; the processor's share is the growth.
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
  separate?.stop();
  printTable(
    `Processor, offline planner, PGlite ${options.database === 'separate' ? 'in a child process over loopback' : 'in process'}, Graph API in memory (${options.users} users × ${options.perUser} messages, sequential)`,
    [
      ['messages', String(samples.length)],
      ['throughput', `${(samples.length / elapsedS).toFixed(0)} msg/s`],
      ['p50 per message', formatMs(median(samples))],
      ['p95 per message', againstTarget(percentile(samples, 95), 50, formatMs)],
      ['p99 per message', formatMs(percentile(samples, 99))],
      [
        options.database === 'separate'
          ? 'peak RSS of the processor process'
          : 'peak RSS (process, PGlite included)',
        againstTarget(peakRss / 1024 / 1024, 200, (mb) => `${mb.toFixed(0)} MB`),
      ],
      [
        `RSS after setup and warm-up (${separate ? 'code' : 'code and PGlite'})`,
        `${(baselineRss / 1024 / 1024).toFixed(0)} MB`,
      ],
      ['RSS growth while processing', `${((peakRss - baselineRss) / 1024 / 1024).toFixed(0)} MB`],
      ['replies sent', String(graph.sent)],
    ],
  );
};

runProcessorDriver(JSON.parse(process.argv[2] ?? '') as ProcessorBenchOptions).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
