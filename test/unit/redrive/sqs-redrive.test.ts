import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  PEEK_VISIBILITY_SECONDS,
  queueUrlFromArn,
  SqsRedriveQueue,
} from '../../../layers/core/adapters/aws/sqs-redrive';

const DLQ_ARN = 'arn:aws:sqs:us-east-1:123456789012:chasqui-dev-events-dlq.fifo';
const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/chasqui-dev-events-dlq.fifo';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:chasqui-dev-events.fifo';

const sqs = mockClient(SQSClient);

const sqsMessage = (id: string, group = 'g-1') => ({
  MessageId: id,
  ReceiptHandle: `receipt-${id}`,
  Body: `{"eventId":"${id}"}`,
  Attributes: { MessageGroupId: group, ApproximateReceiveCount: '6' },
});

const build = (start = 1_000_000) => {
  let now = start;
  const sleeps: number[] = [];
  const queue = new SqsRedriveQueue({
    deadLetterQueueArn: DLQ_ARN,
    destinationArn: QUEUE_ARN,
    maxMessagesPerSecond: 5,
    client: new SQSClient({ region: 'us-east-1' }),
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  });
  return { queue, sleeps, advance: (ms: number) => (now += ms) };
};

describe('SQS redrive queue', () => {
  beforeEach(() => sqs.reset());

  it('derives the queue URL from its ARN, in the standard and China partitions', () => {
    // Act
    const standard = queueUrlFromArn(DLQ_ARN);
    const china = queueUrlFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:q.fifo');

    // Assess
    expect(standard).toBe(DLQ_URL);
    expect(china).toBe('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q.fifo');
    expect(() => queueUrlFromArn('arn:aws:sns:us-east-1:123456789012:topic')).toThrow('Not an SQS queue ARN');
  });

  it('peeks with a short visibility timeout until a receive comes back empty and nothing is left visible', async () => {
    // Prepare
    const { queue } = build();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [sqsMessage('m-1'), sqsMessage('m-2', 'g-2')] })
      .resolvesOnce({});
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });

    // Act
    const peek = await queue.peek(100);

    // Assess
    expect(peek).toEqual({
      complete: true,
      messages: [
        {
          messageId: 'm-1',
          receiptHandle: 'receipt-m-1',
          groupId: 'g-1',
          body: '{"eventId":"m-1"}',
          receiveCount: 6,
        },
        {
          messageId: 'm-2',
          receiptHandle: 'receipt-m-2',
          groupId: 'g-2',
          body: '{"eventId":"m-2"}',
          receiveCount: 6,
        },
      ],
    });
    expect(sqs).toHaveReceivedCommandTimes(ReceiveMessageCommand, 2);
    expect(sqs).toHaveReceivedNthSpecificCommandWith(1, ReceiveMessageCommand, {
      QueueUrl: DLQ_URL,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageGroupId'],
    });
    expect(sqs).toHaveReceivedCommandWith(GetQueueAttributesCommand, {
      QueueUrl: DLQ_URL,
      AttributeNames: ['ApproximateNumberOfMessages'],
    });
  });

  it('reports a peek as incomplete when a FIFO group hides the rest of its messages behind the peeked ones', async () => {
    // Prepare
    const { queue } = build();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [sqsMessage('m-1')] })
      .resolvesOnce({});
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '4' } });

    // Act
    const peek = await queue.peek(100);

    // Assess
    expect(peek.complete).toBe(false);
    expect(peek.messages).toHaveLength(1);
  });

  it('stops peeking at its limit, asking only for what is left of it', async () => {
    // Prepare
    const { queue } = build();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: Array.from({ length: 10 }, (_, index) => sqsMessage(`a-${index}`)) })
      .resolvesOnce({ Messages: [sqsMessage('b-1', 'g-2'), sqsMessage('b-2', 'g-3')] });

    // Act
    const peek = await queue.peek(12);

    // Assess
    expect(peek).toMatchObject({ complete: false });
    expect(peek.messages).toHaveLength(12);
    expect(sqs).toHaveReceivedNthSpecificCommandWith(2, ReceiveMessageCommand, { MaxNumberOfMessages: 2 });
    expect(sqs).not.toHaveReceivedCommand(GetQueueAttributesCommand);
  });

  it('deletes a peeked message by its receipt handle', async () => {
    // Prepare
    const { queue } = build();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [sqsMessage('m-1')] })
      .resolvesOnce({});
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
    const [message] = (await queue.peek(10)).messages;

    // Act
    await queue.delete(message!);

    // Assess
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, {
      QueueUrl: DLQ_URL,
      ReceiptHandle: 'receipt-m-1',
    });
  });

  it('reads the most recent move task out of the DLQ', async () => {
    // Prepare
    const { queue } = build();
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [{ Status: 'FAILED', FailureReason: 'AccessDenied', SourceArn: DLQ_ARN }],
    });

    // Act
    const task = await queue.latestMoveTask();

    // Assess
    expect(task).toEqual({ status: 'FAILED', failureReason: 'AccessDenied' });
    expect(sqs).toHaveReceivedCommandWith(ListMessageMoveTasksCommand, { SourceArn: DLQ_ARN, MaxResults: 1 });
  });

  it('knows no move task on a DLQ that never had one, and refuses a status it does not know', async () => {
    // Prepare
    const { queue } = build();
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({ Results: [] })
      .resolvesOnce({ Results: [{ Status: 'PAUSED' }] });

    // Act
    const none = await queue.latestMoveTask();
    const unknown = queue.latestMoveTask();

    // Assess
    expect(none).toBeUndefined();
    await expect(unknown).rejects.toThrow('Unknown message move task status "PAUSED"');
  });

  it('starts the move task from the DLQ to the queue at the configured rate, once peeked messages are visible again', async () => {
    // Prepare
    const { queue, sleeps, advance } = build();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [sqsMessage('m-1')] })
      .resolvesOnce({});
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    await queue.peek(10);
    advance(5_000);

    // Act
    const handle = await queue.startMove();

    // Assess
    expect(handle).toBe('task-1');
    expect(sleeps).toEqual([PEEK_VISIBILITY_SECONDS * 1000 - 5_000]);
    expect(sqs).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: DLQ_ARN,
      DestinationArn: QUEUE_ARN,
      MaxNumberOfMessagesPerSecond: 5,
    });
  });

  it('starts at once when nothing it peeked is still hidden', async () => {
    // Prepare
    const { queue, sleeps } = build();
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-2' });

    // Act
    await queue.startMove();

    // Assess
    expect(sleeps).toEqual([]);
  });
});
