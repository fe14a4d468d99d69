import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { DeadLetteredMessage, MoveTask, MoveTaskStatus, Peek, RedriveQueue } from '../../redrive/ports';

/**
 * How long a peek hides what it received. A move task moves only visible messages, so the move waits this out;
 * in the meantime the caller records and deletes the parked ones, which needs them still hidden.
 */
export const PEEK_VISIBILITY_SECONDS = 20;
/** Receiving stops after this, leaving most of the visibility window for recording and deleting. */
const PEEK_BUDGET_MS = 8_000;
/** ReceiveMessage returns at most 10 messages (SQS quota). */
const RECEIVE_BATCH = 10;
/** Long polling queries every SQS server; short polling samples some and can miss messages of a small queue. */
const RECEIVE_WAIT_SECONDS = 1;

const MOVE_TASK_STATUSES: ReadonlySet<string> = new Set<MoveTaskStatus>([
  'RUNNING',
  'COMPLETED',
  'CANCELLING',
  'CANCELLED',
  'FAILED',
]);

/** The queue URL an ARN names; the function's environment carries ARNs, which the IAM grants use too. */
export const queueUrlFromArn = (arn: string): string => {
  const [, partition, service, region, account, name] = arn.split(':');
  if (service !== 'sqs' || !region || !account || !name) throw new Error(`Not an SQS queue ARN: ${arn}`);
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
};

export interface SqsRedriveQueueOptions {
  deadLetterQueueArn: string;
  /** Where moved messages go: the queue the DLQ serves. */
  destinationArn: string;
  /** The move task's rate, so a redrive of thousands does not flood the processor (SQS allows 1–500). */
  maxMessagesPerSecond: number;
  client?: SQSClient;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const toDeadLettered = (message: Message): DeadLetteredMessage => {
  const { MessageId, ReceiptHandle, Body, Attributes } = message;
  const groupId = Attributes?.MessageGroupId;
  if (!MessageId || !ReceiptHandle || Body === undefined || !groupId) {
    throw new Error(`SQS returned a DLQ message without id, receipt handle, body or group (${MessageId})`);
  }
  return {
    messageId: MessageId,
    receiptHandle: ReceiptHandle,
    groupId,
    body: Body,
    receiveCount: Number(Attributes.ApproximateReceiveCount ?? 0),
  };
};

/** The processing DLQ on SQS, with StartMessageMoveTask (FIFO supported since 2023-11, FACTS "Redrive"). */
export class SqsRedriveQueue implements RedriveQueue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** When the messages of the latest peek are visible again. */
  private hiddenUntil = 0;

  constructor(private readonly options: SqsRedriveQueueOptions) {
    this.client = options.client ?? new SQSClient({});
    this.queueUrl = queueUrlFromArn(options.deadLetterQueueArn);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async peek(limit: number): Promise<Peek> {
    const messages: DeadLetteredMessage[] = [];
    const started = this.now();
    while (messages.length < limit && this.now() - started < PEEK_BUDGET_MS) {
      const receivedAt = this.now();
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(RECEIVE_BATCH, limit - messages.length),
          VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
          WaitTimeSeconds: RECEIVE_WAIT_SECONDS,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageGroupId'],
        }),
      );
      if (Messages.length === 0) return { messages, complete: await this.nothingLeftVisible() };
      this.hiddenUntil = receivedAt + PEEK_VISIBILITY_SECONDS * 1000;
      messages.push(...Messages.map(toDeadLettered));
    }
    return { messages, complete: false };
  }

  async delete(message: DeadLetteredMessage): Promise<void> {
    await this.client.send(
      new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receiptHandle }),
    );
  }

  async latestMoveTask(): Promise<MoveTask | undefined> {
    const { Results = [] } = await this.client.send(
      // One result is the most recent task, and at most one can be active.
      new ListMessageMoveTasksCommand({ SourceArn: this.options.deadLetterQueueArn, MaxResults: 1 }),
    );
    const latest = Results[0];
    if (!latest) return undefined;
    const status = latest.Status ?? '';
    if (!MOVE_TASK_STATUSES.has(status)) throw new Error(`Unknown message move task status "${status}"`);
    return {
      status: status as MoveTaskStatus,
      ...(latest.FailureReason && { failureReason: latest.FailureReason }),
    };
  }

  async startMove(): Promise<string> {
    const wait = this.hiddenUntil - this.now();
    if (wait > 0) await this.sleep(wait);
    const { TaskHandle } = await this.client.send(
      new StartMessageMoveTaskCommand({
        SourceArn: this.options.deadLetterQueueArn,
        DestinationArn: this.options.destinationArn,
        MaxNumberOfMessagesPerSecond: this.options.maxMessagesPerSecond,
      }),
    );
    if (!TaskHandle) throw new Error('StartMessageMoveTask returned no task handle');
    return TaskHandle;
  }

  /**
   * A FIFO queue shows nothing of a group while earlier messages of it are hidden, so an empty receive can leave
   * the rest of a long group unseen; the queue's own count says whether anything is still visible.
   */
  private async nothingLeftVisible(): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) === 0;
  }
}
