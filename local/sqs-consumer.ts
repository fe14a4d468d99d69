import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { LocalFifoQueue, StoredMessage } from '../layers/core/adapters/local/local-fifo-queue';
import { lambdaContext } from './lambda-context';

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface SqsConsumerOptions {
  queueArn: string;
  functionName: string;
  /** Lambda's SQS batch size (≤ 10 for FIFO). */
  batchSize: number;
  /** Parallel invocations, like Lambda's event source mapping `maximumConcurrency`. */
  concurrency: number;
  onError?: (error: unknown) => void;
}

const toRecord = (message: StoredMessage, queueArn: string): SQSRecord => ({
  messageId: message.messageId,
  receiptHandle: `${message.messageId}#${message.receiveCount}`,
  body: message.body,
  attributes: {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    SenderId: 'LOCAL',
    ApproximateFirstReceiveTimestamp: String(message.sentAt),
    SequenceNumber: String(message.sentAt),
    MessageGroupId: message.groupId,
    MessageDeduplicationId: message.deduplicationId,
  },
  messageAttributes: {},
  md5OfBody: createHash('md5').update(message.body).digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: 'local',
});

/**
 * Feeds the local FIFO queue to an SQS batch handler exactly as Lambda's event source mapping
 * does: batches of records, `batchItemFailures` honoured, a thrown error failing the batch.
 */
export class LocalSqsConsumer {
  private running = false;
  private readonly workers: Promise<void>[] = [];
  private readonly waiters = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly queue: LocalFifoQueue,
    private readonly handler: SqsBatchHandler,
    private readonly options: SqsConsumerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.queue.onChange(() => this.wakeAll());
    for (let worker = 0; worker < this.options.concurrency; worker++) this.workers.push(this.work());
  }

  /** Stops taking new batches and waits for the ones in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wakeAll();
    await Promise.all(this.workers.splice(0));
  }

  /** Runs one batch if any message is visible; returns how many records it handled. */
  async runOnce(): Promise<number> {
    const messages = this.queue.receive(this.options.batchSize);
    if (messages.length === 0) return 0;
    const event: SQSEvent = { Records: messages.map((message) => toRecord(message, this.options.queueArn)) };
    let failed: Set<string>;
    let reason = 'batch item failure';
    try {
      const response = await this.handler(event, lambdaContext(this.options.functionName));
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      failed = new Set(messages.map((message) => message.messageId));
      reason = error instanceof Error ? error.message : String(error);
      this.options.onError?.(error);
    }
    for (const message of messages) {
      if (failed.has(message.messageId)) this.queue.fail(message.messageId, reason);
      else this.queue.delete(message.messageId);
    }
    return messages.length;
  }

  private async work(): Promise<void> {
    while (this.running) {
      const handled = await this.runOnce();
      if (handled > 0 || !this.running) continue;
      await this.idle();
    }
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Sleeps until the queue changes or the next hidden message becomes visible (at most a second). */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const nextVisible = this.queue.nextVisibleAt();
      const delay = nextVisible === undefined ? 1000 : Math.min(1000, Math.max(5, nextVisible - Date.now()));
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, delay);
      this.waiters.add(done);
    });
  }
}
