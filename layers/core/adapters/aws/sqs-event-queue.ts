import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import type { EventQueue, QueueMessage, SendResult } from '../../ports/queue';

/** SendMessageBatch takes at most 10 entries (SQS quota). */
const SQS_BATCH_LIMIT = 10;
const DEFAULT_ATTEMPTS = 3;
const BASE_BACKOFF_MS = 25;

const chunk = <T>(items: T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SqsEventQueueOptions {
  queueUrl: string;
  client?: SQSClient;
  /** Attempts per entry, counting the first. */
  attempts?: number;
}

/** FIFO queue on SQS: batches of 10, retrying only the entries SQS reports as failed. */
export class SqsEventQueue implements EventQueue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly attempts: number;

  constructor(options: SqsEventQueueOptions) {
    this.client = options.client ?? new SQSClient({});
    this.queueUrl = options.queueUrl;
    this.attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  }

  async send(messages: QueueMessage[]): Promise<SendResult> {
    // Nearly every webhook carries one event, and ten fit one call: no chunks to split and merge.
    if (messages.length <= SQS_BATCH_LIMIT) return this.sendBatch(messages);
    const results = await Promise.all(chunk(messages, SQS_BATCH_LIMIT).map((batch) => this.sendBatch(batch)));
    const reason = results.find((result) => result.reason !== undefined)?.reason;
    return { failed: results.flatMap((result) => result.failed), ...(reason !== undefined && { reason }) };
  }

  private async sendBatch(batch: QueueMessage[]): Promise<SendResult> {
    let pending: SendMessageBatchRequestEntry[] = batch.map((message, index) => ({
      Id: String(index),
      MessageBody: message.body,
      MessageGroupId: message.groupId,
      MessageDeduplicationId: message.deduplicationId,
    }));
    const rejected: SendMessageBatchRequestEntry[] = [];
    let reason: string | undefined;
    for (let attempt = 1; pending.length > 0 && attempt <= this.attempts; attempt++) {
      if (attempt > 1) await sleep(BASE_BACKOFF_MS * 2 ** (attempt - 2) * (1 + Math.random()));
      try {
        const response = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
        if (!response.Failed?.length) {
          pending = [];
          break;
        }
        const failures = new Map(response.Failed.map((failure) => [failure.Id, failure]));
        const retry: SendMessageBatchRequestEntry[] = [];
        for (const entry of pending) {
          const failure = failures.get(entry.Id);
          // A sender fault (a bad entry) would fail the same way again: it is not retried.
          if (failure?.SenderFault) rejected.push(entry);
          else if (failure) retry.push(entry);
          if (failure) reason = `${failure.Code ?? 'unknown'}: ${failure.Message ?? 'no message'}`;
        }
        pending = retry;
      } catch (error) {
        // The whole call failed (network, throttling): every pending entry is retried.
        reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
    const failed = [...rejected, ...pending].map((entry) => entry.MessageDeduplicationId!);
    return { failed, ...(failed.length > 0 && reason !== undefined && { reason }) };
  }
}
