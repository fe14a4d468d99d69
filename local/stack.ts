import { IdentityCache } from '../layers/core/processor/identity';
import { Logger } from '@aws-lambda-powertools/logger';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createIngress } from '../functions/ingress/ingress';
import { createProcessor } from '../functions/processor/processor';
import { DatabaseRawDeadLetterStore } from '../layers/core/adapters/local/database-raw-dead-letters';
import { LocalFifoQueue } from '../layers/core/adapters/local/local-fifo-queue';
import { MemoryBreakerStore } from '../layers/core/adapters/local/memory-breaker-store';
import { MemoryDedupStore } from '../layers/core/adapters/local/memory-dedup-store';
import { MemoryMetrics } from '../layers/core/adapters/local/memory-metrics';
import { buildModelRouter } from '../layers/core/assistant/model-router';
import { DEFAULT_TURN_CONFIG } from '../layers/core/assistant/turn';
import { LexicalEmbedder } from '../layers/core/memory/lexical-embedder';
import type { Database } from '../layers/core/db/database';
import { runMigrations } from '../layers/core/db/migrate';
import { createPgDatabase } from '../layers/core/db/pg-database';
import { createPgliteDatabase } from '../layers/core/db/pglite-database';
import { systemClock } from '../layers/core/ports/clock';
import type { ReminderFire } from '../layers/core/ports/scheduler';
import { DEFAULT_MESSAGE_TEMPLATES } from '../layers/core/outbound/templates';
import { TimerScheduler } from '../layers/core/reminders/timer-scheduler';
import { createReminderHandler } from '../functions/reminder/reminder';
import * as z from 'zod/mini';
import type { ProcessorDeps } from '../layers/core/processor/deps';
import type { EventQueue } from '../layers/core/ports/queue';
import { parseWebhookEvent } from '../layers/core/whatsapp/event-schema';
import { GraphClient } from '../layers/core/whatsapp/graph/client';
import { OpenAiTranscriber } from '../layers/core/llm/openai-transcriber';
import { LOCAL_BUSINESS_ACCOUNT_ID, LOCAL_DISPLAY_PHONE_NUMBER, type LocalEnv } from './config';
import { GraphStandIn } from './graph-stand-in';
import { buildPageAssets } from './web/build';
import { dashboardData } from './dashboard';
import {
  readBody,
  sendJson,
  sendText,
  toApiGatewayEvent,
  writeApiGatewayResult,
  BodyTooLargeError,
} from './http';
import { inspectUser, INSPECTABLE } from './inspect';
import { lambdaContext } from './lambda-context';
import { LocalSqsConsumer } from './sqs-consumer';
import { streamConversation } from './stream';

const GRAPH_API_VERSION = 'v23.0';
const fireDueSchema = z.object({ until: z.iso.datetime({ offset: true }) });
const QUEUE_ARN = 'arn:aws:sqs:local:000000000000:chasqui-events.fifo';
/** Local failures come back quickly, so a developer sees a retry within seconds, not minutes. */
const LOCAL_VISIBILITY_TIMEOUT_MS = 5_000;
/** As in AWS (lib/constructs/processing.ts): a record goes to the DLQ after 5 receives. */
const MAX_RECEIVE_COUNT = 5;

export interface LocalStackOptions extends LocalEnv {
  /** 127.0.0.1 unless told otherwise: the stack is for this machine only. */
  host?: string;
  /** Log level of the handlers' Powertools loggers. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

export interface LocalStack {
  url: string;
  graphUrl: string;
  dataDir: string;
  llm: string;
  db: Database;
  queue: LocalFifoQueue;
  metrics: MemoryMetrics;
  standIn: GraphStandIn;
  close(): Promise<void>;
}

/**
 * Meta knows when a user last wrote, and enforces the 24 h window with it; the stand-in learns it
 * here, from each user message the ingress queues.
 */
const tellStandInOfInbound = (queue: EventQueue, standIn: GraphStandIn): EventQueue => ({
  send: (messages) => {
    for (const message of messages) {
      const parsed = parseWebhookEvent(message.body);
      if (parsed.ok && parsed.event.kind === 'message') {
        const { tenant, user, sentAt } = parsed.event;
        standIn.recordInbound(tenant.phoneNumberId, { waId: user.waId, bsuid: user.bsuid }, new Date(sentAt));
      }
    }
    return queue.send(messages);
  },
});

const openDatabase = async (options: LocalStackOptions, dataDir: string): Promise<Database> =>
  options.DATABASE_URL
    ? createPgDatabase({ connection: options.DATABASE_URL, applicationRole: 'chasqui_app' })
    : createPgliteDatabase({ dataDir: join(dataDir, 'pglite') });

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });

/**
 * The whole of Chasqui in one process: the real ingress, processor and reminder handlers, fed
 * the same event shapes Lambda gives them, over PGlite (or DATABASE_URL), an in-process FIFO
 * queue, a timer scheduler and the Graph API stand-in.
 */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const logger = new Logger({ serviceName: 'chasqui-local', logLevel: options.logLevel ?? 'WARN' });
  const metrics = new MemoryMetrics();
  const db = await openDatabase(options, dataDir);
  await runMigrations(db);

  const queue = new LocalFifoQueue({
    visibilityTimeoutMs: LOCAL_VISIBILITY_TIMEOUT_MS,
    maxReceiveCount: MAX_RECEIVE_COUNT,
  });
  const queueFile = join(dataDir, 'queue.json');
  await queue.loadFrom(queueFile);

  const [simulator, dashboard] = await Promise.all([
    buildPageAssets('simulator'),
    buildPageAssets('dashboard'),
  ]);
  const server = createServer();
  await listen(server, options.PORT, host);
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;

  const standIn = await GraphStandIn.start({
    accessToken: options.WHATSAPP_ACCESS_TOKEN,
    appSecret: options.WHATSAPP_APP_SECRET,
    webhookUrl: `${url}/webhook`,
    businessAccountId: LOCAL_BUSINESS_ACCOUNT_ID,
    displayPhoneNumber: LOCAL_DISPLAY_PHONE_NUMBER,
  });

  const ingress = createIngress({
    secrets: () =>
      Promise.resolve({ appSecret: options.WHATSAPP_APP_SECRET, verifyToken: options.WHATSAPP_VERIFY_TOKEN }),
    dedup: new MemoryDedupStore(),
    queue: tellStandInOfInbound(queue, standIn),
    deadLetters: new DatabaseRawDeadLetterStore(db),
    metrics,
    logger,
    clock: systemClock,
  });

  const provider = (model: string, apiKey: string | undefined, baseURL: string | undefined) =>
    apiKey ? { model, apiKey, timeoutMs: 15_000, maxTokens: 1024, ...(baseURL && { baseURL }) } : undefined;
  const anthropic = provider(options.ANTHROPIC_MODEL, options.ANTHROPIC_API_KEY, options.ANTHROPIC_BASE_URL);
  const openai = provider(options.OPENAI_MODEL, options.OPENAI_API_KEY, options.OPENAI_BASE_URL);
  const llm = [
    anthropic && `Anthropic ${anthropic.model}`,
    openai && `OpenAI ${openai.model}`,
    'offline planner',
  ]
    .filter(Boolean)
    .join(' → ');

  const graph = new GraphClient({
    apiVersion: GRAPH_API_VERSION,
    baseUrl: standIn.url,
    accessToken: () => Promise.resolve(options.WHATSAPP_ACCESS_TOKEN),
  });
  // The timer scheduler fires the real reminder handler with what EventBridge Scheduler would send
  // it, and the handler re-arms recurring reminders through that same scheduler.
  const reminderLambda = createReminderHandler({
    db,
    graph,
    schedulerFor: () => scheduler,
    clock: systemClock,
    logger,
    metrics,
    config: { templates: DEFAULT_MESSAGE_TEMPLATES },
  });
  const scheduler = await TimerScheduler.open({
    directory: dataDir,
    fire: (input: ReminderFire) => reminderLambda(input, lambdaContext('chasqui-local-reminder')),
    onError: (error) => logger.error('Reminder schedule failed', { error: error as Error }),
  });

  const processorDeps: ProcessorDeps = {
    db,
    graph,
    model: buildModelRouter({
      ...(anthropic && { anthropic }),
      ...(openai && { openai }),
      breakerStore: new MemoryBreakerStore(),
      logger,
      metrics,
    }),
    scheduler,
    // No key, no network: memory search runs on the offline lexical embedder.
    embedder: new LexicalEmbedder(),
    logger,
    metrics,
    clock: systemClock,
    media: {
      ...(options.OPENAI_API_KEY && {
        transcriber: new OpenAiTranscriber({
          model: options.TRANSCRIPTION_MODEL,
          apiKey: options.OPENAI_API_KEY,
          timeoutMs: 30_000,
          ...(options.OPENAI_BASE_URL && { baseURL: options.OPENAI_BASE_URL }),
        }),
      }),
      // A model behind a base URL override may not see; the router then falls back and the user is told.
      vision: Boolean(anthropic || openai),
    },
    identities: new IdentityCache(),
    config: {
      turn: DEFAULT_TURN_CONFIG,
      defaults: { locale: 'es', timeZone: 'America/Bogota', currency: 'USD' },
      budgets: { dailyUsd: 5, userDailyUsd: 0.5 },
      consent: {
        optOut: options.OPT_OUT_KEYWORDS,
        optIn: options.OPT_IN_KEYWORDS,
      },
      operatorContact: options.OPERATOR_CONTACT,
      templates: DEFAULT_MESSAGE_TEMPLATES,
    },
  };
  const processor = createProcessor(processorDeps);
  const consumer = new LocalSqsConsumer(queue, processor, {
    queueArn: QUEUE_ARN,
    functionName: 'chasqui-local-processor',
    batchSize: 10,
    concurrency: 4,
    onError: (error) => logger.error('Processor batch failed', { error: error as Error }),
  });
  consumer.start();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestUrl = new URL(request.url ?? '/', url);
    const path = requestUrl.pathname;
    if (path === '/healthz') return sendJson(response, 200, { status: 'ok', queue: queue.depth() });
    if (path === '/' && request.method === 'GET')
      return sendText(response, 200, simulator.html, 'text/html; charset=utf-8');
    if (path === '/assets/simulator.js')
      return sendText(response, 200, simulator.js, 'text/javascript; charset=utf-8');
    if (path === '/assets/simulator.css')
      return sendText(response, 200, simulator.css, 'text/css; charset=utf-8');
    if (path === '/dashboard' && request.method === 'GET')
      return sendText(response, 200, dashboard.html, 'text/html; charset=utf-8');
    if (path === '/assets/dashboard.js')
      return sendText(response, 200, dashboard.js, 'text/javascript; charset=utf-8');
    if (path === '/assets/dashboard.css')
      return sendText(response, 200, dashboard.css, 'text/css; charset=utf-8');
    if (path === '/local/dashboard/data' && request.method === 'GET')
      return sendJson(response, 200, await dashboardData(db, metrics));
    if (path === '/webhook') {
      const body = await readBody(request);
      const result = await ingress(
        toApiGatewayEvent(request, requestUrl, body),
        lambdaContext('chasqui-local-ingress'),
      );
      return writeApiGatewayResult(response, result);
    }
    if (path === '/local/outbox' && request.method === 'GET') {
      const to = requestUrl.searchParams.get('to') ?? undefined;
      const since = requestUrl.searchParams.get('since') ?? undefined;
      if (since !== undefined && Number.isNaN(Date.parse(since)))
        return sendJson(response, 400, { error: 'since must be an ISO time' });
      return sendJson(response, 200, standIn.outbox({ to, since }));
    }
    const inspect = /^\/local\/users\/([^/]+)\/([a-z]+)$/.exec(path);
    if (inspect && request.method === 'GET') {
      const [, user, kind] = inspect;
      if (!INSPECTABLE.includes(kind as (typeof INSPECTABLE)[number]))
        return sendJson(response, 404, { error: `unknown collection ${kind}` });
      return sendJson(
        response,
        200,
        await inspectUser(db, decodeURIComponent(user!), kind as (typeof INSPECTABLE)[number]),
      );
    }
    if (path === '/local/stream' && request.method === 'GET') {
      return streamConversation(request, response, standIn, requestUrl.searchParams.get('to') ?? undefined);
    }
    if (path === '/local/media' && request.method === 'POST') {
      const bytes = await readBody(request);
      return sendJson(response, 200, {
        id: standIn.registerMedia(bytes, request.headers['content-type'] ?? 'application/octet-stream'),
      });
    }
    if (path === '/local/simulator/config' && request.method === 'GET') {
      return sendJson(response, 200, {
        appSecret: options.WHATSAPP_APP_SECRET,
        phoneNumberId: options.WHATSAPP_PHONE_NUMBER_ID,
        displayPhoneNumber: LOCAL_DISPLAY_PHONE_NUMBER,
        businessAccountId: LOCAL_BUSINESS_ACCOUNT_ID,
      });
    }
    if (path === '/local/scheduler/fire-due' && request.method === 'POST') {
      const parsed = fireDueSchema.safeParse(JSON.parse((await readBody(request)).toString('utf8') || '{}'));
      if (!parsed.success) return sendJson(response, 400, { error: 'body must be {"until": "<ISO time>"}' });
      return sendJson(response, 200, await scheduler.fireDue(new Date(parsed.data.until)));
    }
    if (path === '/local/queue/redrive' && request.method === 'POST') {
      return sendJson(response, 200, { moved: queue.redrive() });
    }
    return sendText(response, 404, 'Not found');
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return sendText(response, 413, 'Payload too large');
      logger.error('Local request failed', { path: request.url, error: error as Error });
      if (!response.headersSent) sendText(response, 500, 'Internal error');
      else response.end();
    });
  });

  let closed = false;
  return {
    url,
    graphUrl: standIn.url,
    dataDir,
    llm,
    db,
    queue,
    metrics,
    standIn,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      await consumer.stop();
      await scheduler.close();
      await standIn.close();
      // Saved last, after in-flight batches settled: nothing queued is lost, at worst delivered again.
      await queue.saveTo(queueFile);
      await db.close();
    },
  };
};
