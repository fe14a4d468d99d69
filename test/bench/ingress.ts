import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient, type SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createIngress } from '../../functions/ingress/ingress';
import { DynamoDbDedupStore } from '../../layers/core/adapters/aws/dynamodb-dedup-store';
import { S3RawDeadLetterStore } from '../../layers/core/adapters/aws/s3-raw-dead-letters';
import { SqsEventQueue } from '../../layers/core/adapters/aws/sqs-event-queue';
import { MemoryMetrics } from '../../layers/core/adapters/local/memory-metrics';
import { signBody } from '../../layers/core/whatsapp/signature';
import { type BusinessNumber, messageWebhook, metaJson } from '../../local/web/webhook';
import { apiGatewayEvent } from '../support/webhooks';
import { startAwsStub } from './aws-stub-server';
import { bundleLikeLambda } from './bundle';
import { againstTarget, formatMs, median, percentile, printTable } from './stats';

const APP_SECRET = 'bench-app-secret';
const ROOT = resolve(__dirname, '..', '..');
const WORDS =
  'recuérdame mañana a las nueve llamar a Juan sobre la factura del almuerzo gasté 45 mil pesos remind me'.split(
    ' ',
  );

const BENCH_NUMBER: BusinessNumber = {
  businessAccountId: '102290129340398',
  displayPhoneNumber: '15550783881',
  phoneNumberId: '106540352242922',
};

/** A Meta-shaped text message webhook of about `targetBytes`, in Meta's escaped serialisation. */
export const realisticPayload = (targetBytes: number, index: number): Buffer => {
  const waId = `57300${String(index % 1000).padStart(7, '0')}`;
  const wamid = `wamid.HBgMNTczMDAxMjM0NTY3FQIAEhgg${randomUUID().replace(/-/g, '').toUpperCase()}AA==`;
  const sentAt = new Date((1_763_812_800 + index) * 1000);
  const body = (text: string) =>
    metaJson(
      messageWebhook(
        BENCH_NUMBER,
        { name: 'José Núñez', waId },
        { wamid, sentAt, content: { type: 'text', text: { body: text } } },
      ),
    );
  let text = '';
  while (body(text).length < targetBytes) text += `${WORDS[(text.length + index) % WORDS.length]} `;
  return Buffer.from(body(text.trim()));
};

const inMemoryClients = () => {
  const sqs = new SQSClient({ region: 'us-east-1' });
  Object.assign(sqs, {
    send: (command: SendMessageBatchCommand) =>
      Promise.resolve({
        Successful: (command.input.Entries ?? []).map((entry) => ({
          Id: entry.Id,
          MessageId: 'm',
          MD5OfMessageBody: 'x',
        })),
        Failed: [],
      }),
  });
  const dynamo = new DynamoDBClient({ region: 'us-east-1' });
  Object.assign(dynamo, { send: () => Promise.resolve({}) });
  return { sqs, dynamo };
};

const measureHandler = async (payloads: Buffer[], iterations: number) => {
  const { sqs, dynamo } = inMemoryClients();
  const handler = createIngress({
    secrets: () => Promise.resolve({ appSecret: APP_SECRET, verifyToken: 'v' }),
    dedup: new DynamoDbDedupStore({ tableName: 'state', client: dynamo }),
    queue: new SqsEventQueue({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q.fifo', client: sqs }),
    deadLetters: new S3RawDeadLetterStore({ bucketName: 'b', client: new S3Client({ region: 'us-east-1' }) }),
    metrics: new MemoryMetrics(1000),
    logger: new Logger({ logLevel: 'SILENT' }),
    clock: { now: () => new Date() },
  });
  const events = payloads.map((payload) => ({
    ...apiGatewayEvent(payload, { signature: signBody(payload, APP_SECRET) }),
  }));
  const handlerMs: number[] = [];
  const floorMs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const payload = payloads[i % payloads.length]!;
    const event = events[i % events.length]!;
    // Floor and handler interleaved, so both see the same machine noise.
    let started = performance.now();
    createHmac('sha256', APP_SECRET).update(payload).digest('hex');
    JSON.parse(payload.toString('utf8'));
    floorMs.push(performance.now() - started);
    started = performance.now();
    const response = await handler(event);
    handlerMs.push(performance.now() - started);
    if (response.statusCode !== 200) throw new Error(`unexpected status ${response.statusCode}`);
  }
  return { handlerMs, floorMs };
};

/** A fresh Node process imports the bundle and answers one signed webhook through loopback AWS stubs. */
const measureColdStart = async (bundle: string, runs: number) => {
  const stub = await startAwsStub({ appSecret: APP_SECRET, verifyToken: 'v', accessToken: 't' });
  const payload = realisticPayload(2000, 1);
  const eventFile = join(bundle, '..', 'event.json');
  writeFileSync(
    eventFile,
    JSON.stringify(apiGatewayEvent(payload, { signature: signBody(payload, APP_SECRET) })),
  );
  const script = `
    const started = performance.now();
    const { handler } = require(${JSON.stringify(bundle)});
    const imported = performance.now();
    handler(require(${JSON.stringify(eventFile)})).then((response) => {
      if (response.statusCode !== 200) { console.error(JSON.stringify(response)); process.exit(1); }
      console.log(JSON.stringify({ importMs: imported - started, firstEventMs: performance.now() - started }));
    });`;
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_PATH: join(ROOT, 'node_modules'),
    AWS_ENDPOINT_URL: stub.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    STAGE: 'dev',
    POWERTOOLS_SERVICE_NAME: 'chasqui-ingress',
    POWERTOOLS_METRICS_NAMESPACE: 'Chasqui-bench',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    QUEUE_URL: `${stub.url}/123456789012/events.fifo`,
    STATE_TABLE_NAME: 'state',
    WHATSAPP_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:whatsapp',
    RAW_DEAD_LETTER_BUCKET: 'bucket',
  };
  const samples: { importMs: number; firstEventMs: number; processMs: number }[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      // Asynchronous on purpose: the AWS stub in this process must answer the child. Source maps on, as
      // the functions' NODE_OPTIONS have them.
      const { stdout: output } = await promisify(execFile)(
        process.execPath,
        ['--enable-source-maps', '-e', script],
        {
          env,
          encoding: 'utf8',
        },
      );
      samples.push({
        ...(JSON.parse(output) as { importMs: number; firstEventMs: number }),
        processMs: performance.now() - started,
      });
    }
  } finally {
    stub.server.close();
  }
  return samples;
};

export const runIngressBench = async (options: { iterations: number; coldRuns: number }): Promise<void> => {
  const payloads = Array.from({ length: 200 }, (_, i) => realisticPayload(1024 + ((i * 37) % 2048), i));
  const sizes = payloads.map((payload) => payload.length);
  // Warm until the JIT has optimised both paths: a few hundred calls left the handler half-compiled, and
  // its median swung by a third from run to run.
  await measureHandler(payloads, 5000);
  const { handlerMs, floorMs } = await measureHandler(payloads, options.iterations);

  const outDir = mkdtempSync(join(tmpdir(), 'chasqui-bench-'));
  try {
    const entry = join(ROOT, 'functions/ingress/handler.ts');
    const { path: bundle } = await bundleLikeLambda(entry, join(outDir, 'ingress.js'));
    const { path: selfContained } = await bundleLikeLambda(entry, join(outDir, 'ingress-self-contained.js'), {
      bundleIn: ['@aws-lambda-powertools/*'],
    });
    const cold = await measureColdStart(bundle, options.coldRuns);
    const handlerMedian = median(handlerMs);
    const floorMedian = median(floorMs);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    printTable(
      `Ingress handler, in process (${options.iterations} signed webhooks of ${Math.min(...sizes)}–${Math.max(...sizes)} bytes)`,
      [
        ['handler median', formatMs(handlerMedian)],
        ['handler p99', formatMs(percentile(handlerMs, 99))],
        ['floor median (HMAC-SHA256 + JSON.parse)', formatMs(floorMedian)],
        ['floor p99', formatMs(percentile(floorMs, 99))],
        [
          'median ratio handler / floor',
          againstTarget(handlerMedian / floorMedian, 3, (ratio) => `${ratio.toFixed(2)}×`),
        ],
      ],
    );
    printTable(
      'Ingress bundle (esbuild, minified, with the settings of lib/constructs/function-bundling.ts)',
      [
        [
          'size as deployed (AWS SDK from the runtime, Powertools from its layer)',
          againstTarget(statSync(bundle).size, 50 * 1024, kb),
        ],
        ['for reference, with Powertools bundled in', kb(statSync(selfContained).size)],
      ],
    );
    printTable(
      `Fresh Node process: import the bundle and answer the first event (${options.coldRuns} runs, AWS via loopback stub)`,
      [
        ['import median', formatMs(median(cold.map((s) => s.importMs)))],
        [
          'import + first event median',
          againstTarget(median(cold.map((s) => s.firstEventMs)), 150, formatMs),
        ],
        ['whole process incl. Node start, median', formatMs(median(cold.map((s) => s.processMs)))],
      ],
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
};
