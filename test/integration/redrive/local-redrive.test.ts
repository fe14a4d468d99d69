import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createRedrive } from '../../../functions/redrive/redrive';
import { LocalFifoQueue } from '../../../layers/core/adapters/local/local-fifo-queue';
import { LocalRedriveQueue } from '../../../layers/core/adapters/local/local-redrive';
import { MemoryBreakerStore } from '../../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import { DLQ_SOURCE } from '../../../layers/core/redrive/dead-letter-history';
import { LLM_PROVIDERS } from '../../../layers/core/redrive/providers';
import { LocalSqsConsumer } from '../../../local/sqs-consumer';
import { capturingLogger } from '../../support/logger';
import { type MigratedPglite, openMigratedPglite } from '../db/support';

const VISIBILITY_MS = 30_000;
/** The processing queue's maxReceiveCount (lib/constructs/processing.ts, FACTS "SQS FIFO"). */
const MAX_RECEIVES = 5;
const MAX_REDRIVES = 3;
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

const message = (group: string, eventId: string) => ({
  body: JSON.stringify({ eventId }),
  groupId: group,
  deduplicationId: eventId,
});

/** The local queue and consumer, with a trivial handler that fails whatever `failing` says, and the redrive. */
const buildStack = (database: MigratedPglite, failing: (body: string) => boolean) => {
  let now = 1_000_000;
  const queue = new LocalFifoQueue({
    visibilityTimeoutMs: VISIBILITY_MS,
    maxReceiveCount: MAX_RECEIVES,
    now: () => now,
  });
  const processed: string[] = [];
  const handler = (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failed = event.Records.filter((record) => failing(record.body));
    processed.push(...event.Records.filter((record) => !failing(record.body)).map((record) => record.body));
    return Promise.resolve({
      batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })),
    });
  };
  const consumer = new LocalSqsConsumer(queue, handler, {
    queueArn: 'arn:aws:sqs:local:000000000000:events.fifo',
    functionName: 'processor',
    batchSize: 10,
    concurrency: 1,
  });
  const metrics = new MemoryMetrics();
  const redrive = createRedrive({
    db: database.db,
    queue: new LocalRedriveQueue(queue),
    breakers: new MemoryBreakerStore(),
    providers: LLM_PROVIDERS,
    logger: capturingLogger().logger,
    metrics,
    config: { maxRedrives: MAX_REDRIVES },
  });
  /** Delivers until the queue is empty, letting each failure's visibility timeout pass. */
  const drain = async () => {
    for (let round = 0; round < 200; round++) {
      const { visible, inFlight } = queue.depth();
      if (visible + inFlight === 0) return;
      await consumer.runOnce();
      now += VISIBILITY_MS + 1;
    }
    throw new Error('the queue did not drain');
  };
  return { queue, processed, redrive, drain, metrics };
};

describe('redrive on the local queue', () => {
  let database: MigratedPglite;

  beforeAll(async () => {
    database = await openMigratedPglite();
  });
  afterAll(async () => {
    await database.pglite.close();
  });

  const historyOf = async (eventId: string) =>
    (
      await database.db.query<{ status: string; redriveCount: number; lastError: string | null }>(
        `SELECT status, redrive_count AS "redriveCount", last_error AS "lastError" FROM dead_letters
         WHERE source = $1 AND payload->>'body' LIKE $2 ORDER BY redrive_count, status DESC`,
        [DLQ_SOURCE, `%"${eventId}"%`],
      )
    ).rows;

  it('answers, in order, the messages that failed while a dependency was down, once it recovers and a redrive runs', async () => {
    // Prepare
    let down = true;
    const { queue, processed, redrive, drain } = buildStack(database, () => down);
    await queue.send([
      message('user-a', 'wamid.a1'),
      message('user-a', 'wamid.a2'),
      message('user-b', 'wamid.b1'),
    ]);
    await drain();
    const deadLettered = queue
      .deadLetterMessages()
      .map((letter) => [letter.deduplicationId, letter.receiveCount]);
    down = false;

    // Act
    const result = await redrive(SCHEDULED);
    await drain();

    // Assess
    // A batch holds as much of one group as fits (as SQS FIFO does), so a1 and a2 failed together.
    expect(deadLettered).toEqual([
      ['wamid.a1', MAX_RECEIVES],
      ['wamid.a2', MAX_RECEIVES],
      ['wamid.b1', MAX_RECEIVES],
    ]);
    expect(result).toEqual({
      status: 'done',
      redriven: 3,
      parked: 0,
      taskHandle: 'local-move-1',
      sawAll: true,
    });
    expect(processed.map((body) => (JSON.parse(body) as { eventId: string }).eventId)).toEqual([
      'wamid.a1',
      'wamid.a2',
      'wamid.b1',
    ]);
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, deadLetters: 0 });
    expect(await historyOf('wamid.a1')).toEqual([
      { status: 'redriven', redriveCount: 1, lastError: 'batch item failure' },
    ]);
  });

  it(`parks a poison message after ${MAX_REDRIVES} redrives instead of moving it again, and keeps redriving the rest`, async () => {
    // Prepare
    const { queue, processed, redrive, drain, metrics } = buildStack(database, (body) =>
      body.includes('poison'),
    );
    await queue.send([message('user-p', 'wamid.poison'), message('user-q', 'wamid.fine')]);
    await drain();
    const results = [];

    // Act
    for (let run = 1; run <= MAX_REDRIVES + 1; run++) {
      results.push(await redrive({ trigger: 'manual' }));
      await drain();
    }

    // Assess
    expect(results.map((result) => result.status === 'done' && [result.redriven, result.parked])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, deadLetters: 0 });
    expect(processed.map((body) => (JSON.parse(body) as { eventId: string }).eventId)).toEqual([
      'wamid.fine',
    ]);
    expect((await historyOf('wamid.poison')).map((row) => `${row.status}:${row.redriveCount}`)).toEqual([
      'redriven:1',
      'redriven:2',
      'redriven:3',
      'parked:3',
    ]);
    expect(metrics.total(MetricNames.redriveParked)).toBe(1);
  });
});
