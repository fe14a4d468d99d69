import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createRedrive } from '../../../functions/redrive/redrive';
import { PEEK_VISIBILITY_SECONDS, SqsRedriveQueue } from '../../../layers/core/adapters/aws/sqs-redrive';
import { MemoryBreakerStore } from '../../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { ValidationError } from '../../../layers/core/errors';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import { DLQ_SOURCE, messageKey, recordRedrive } from '../../../layers/core/redrive/dead-letter-history';
import type { DeadLetteredMessage } from '../../../layers/core/redrive/ports';
import { LLM_PROVIDERS } from '../../../layers/core/redrive/providers';
import { capturingLogger } from '../../support/logger';
import { type MigratedPglite, openMigratedPglite, unique } from '../db/support';

const DLQ_ARN = 'arn:aws:sqs:us-east-1:123456789012:chasqui-dev-events-dlq.fifo';
const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/chasqui-dev-events-dlq.fifo';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:chasqui-dev-events.fifo';
const MAX_REDRIVES = 3;

const scheduledEvent: ScheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-22T14:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/Chasqui-dev-RedriveSchedule'],
  detail: {},
};

const sqs = mockClient(SQSClient);

/** A DLQ message with a body no other test uses, so histories do not mix. */
const dlqMessage = (name: string) => {
  const body = JSON.stringify({ eventId: unique(`wamid.${name}.`) });
  return {
    MessageId: unique(`${name}-`),
    ReceiptHandle: `receipt-${name}`,
    Body: body,
    Attributes: { MessageGroupId: '106540352242922:51999000111', ApproximateReceiveCount: '6' },
  };
};
type SqsMessage = ReturnType<typeof dlqMessage>;

const asPeeked = (message: SqsMessage): DeadLetteredMessage => ({
  messageId: message.MessageId,
  receiptHandle: message.ReceiptHandle,
  groupId: message.Attributes.MessageGroupId,
  body: message.Body,
  receiveCount: 6,
});

const dlqHolds = (...messages: SqsMessage[]) => {
  sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({});
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
  sqs.on(DeleteMessageCommand).resolves({});
  sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-handle-1' });
};

describe('redrive function on SQS', () => {
  let database: MigratedPglite;

  beforeAll(async () => {
    database = await openMigratedPglite();
  });
  afterAll(async () => {
    await database.pglite.close();
  });
  beforeEach(() => {
    sqs.reset();
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'COMPLETED', SourceArn: DLQ_ARN }] });
  });

  const build = () => {
    const metrics = new MemoryMetrics();
    const breakers = new MemoryBreakerStore();
    const { logger, lines } = capturingLogger();
    const handler = createRedrive({
      db: database.db,
      queue: new SqsRedriveQueue({
        deadLetterQueueArn: DLQ_ARN,
        destinationArn: QUEUE_ARN,
        maxMessagesPerSecond: 5,
        client: new SQSClient({ region: 'us-east-1' }),
        sleep: () => Promise.resolve(),
      }),
      alarm: { current: () => Promise.resolve('ALARM') },
      breakers,
      providers: LLM_PROVIDERS,
      logger,
      metrics,
      config: { maxRedrives: MAX_REDRIVES },
    });
    return { handler, metrics, breakers, lines };
  };

  const historyOf = async (message: SqsMessage) =>
    (
      await database.db.query<{ externalId: string; status: string }>(
        `SELECT external_id AS "externalId", status FROM dead_letters
         WHERE source = $1 AND external_id LIKE $2 ORDER BY external_id`,
        [DLQ_SOURCE, `${messageKey(asPeeked(message))}#%`],
      )
    ).rows.map((row) => `${row.externalId.split('#')[1]}:${row.status}`);

  it('peeks at the DLQ, starts one rate-limited move task to the queue and counts one redrive per message', async () => {
    // Prepare
    const { handler, metrics } = build();
    const first = dlqMessage('first');
    const second = dlqMessage('second');
    dlqHolds(first, second);

    // Act
    const result = await handler(scheduledEvent);

    // Assess
    expect(result).toEqual({
      status: 'done',
      redriven: 2,
      parked: 0,
      taskHandle: 'task-handle-1',
      sawAll: true,
    });
    expect(sqs).toHaveReceivedCommandWith(ListMessageMoveTasksCommand, { SourceArn: DLQ_ARN, MaxResults: 1 });
    expect(sqs).toHaveReceivedNthSpecificCommandWith(1, ReceiveMessageCommand, {
      QueueUrl: DLQ_URL,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageGroupId'],
    });
    expect(sqs).toHaveReceivedCommandTimes(StartMessageMoveTaskCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: DLQ_ARN,
      DestinationArn: QUEUE_ARN,
      MaxNumberOfMessagesPerSecond: 5,
    });
    expect(sqs).not.toHaveReceivedCommand(DeleteMessageCommand);
    expect([await historyOf(first), await historyOf(second)]).toEqual([['1:redriven'], ['1:redriven']]);
    expect(metrics.total(MetricNames.redriveMessages, { trigger: 'schedule' })).toBe(2);
  });

  it('starts no task, and looks at nothing, while a move task is still running', async () => {
    // Prepare
    const { handler, metrics } = build();
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'RUNNING', SourceArn: DLQ_ARN }] });

    // Act
    const result = await handler({ trigger: 'manual' });

    // Assess
    expect(result).toEqual({ status: 'held', reason: 'move_running' });
    expect(sqs).not.toHaveReceivedCommand(ReceiveMessageCommand);
    expect(sqs).not.toHaveReceivedCommand(StartMessageMoveTaskCommand);
    expect(metrics.total(MetricNames.redriveHeld, { trigger: 'manual', reason: 'move_running' })).toBe(1);
  });

  it(`parks a message redriven ${MAX_REDRIVES} times: recorded, then deleted from the DLQ before the move, with a metric`, async () => {
    // Prepare
    const { handler, metrics, lines } = build();
    const poison = dlqMessage('poison');
    const healthy = dlqMessage('healthy');
    for (let redrive = 1; redrive <= MAX_REDRIVES; redrive++) {
      await recordRedrive(database.db, asPeeked(poison), messageKey(asPeeked(poison)), MAX_REDRIVES);
    }
    dlqHolds(poison, healthy);

    // Act
    const result = await handler({ trigger: 'manual' });

    // Assess
    expect(result).toEqual({
      status: 'done',
      redriven: 1,
      parked: 1,
      taskHandle: 'task-handle-1',
      sawAll: true,
    });
    expect(await historyOf(poison)).toEqual(['1:redriven', '2:redriven', '3:redriven', 'parked:parked']);
    expect(await historyOf(healthy)).toEqual(['1:redriven']);
    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, {
      QueueUrl: DLQ_URL,
      ReceiptHandle: 'receipt-poison',
    });
    const order = sqs.calls().map((call) => call.args[0].constructor.name);
    expect(order.indexOf('DeleteMessageCommand')).toBeLessThan(order.indexOf('StartMessageMoveTaskCommand'));
    expect(metrics.total(MetricNames.redriveParked)).toBe(1);
    expect(lines().join('\n')).not.toContain(poison.Body);
  });

  it('counts a parked message once when an earlier run recorded it but could not delete it', async () => {
    // Prepare
    const { handler, metrics } = build();
    const poison = dlqMessage('undeleted');
    for (let redrive = 1; redrive <= MAX_REDRIVES; redrive++) {
      await recordRedrive(database.db, asPeeked(poison), messageKey(asPeeked(poison)), MAX_REDRIVES);
    }
    dlqHolds(poison);
    sqs.on(DeleteMessageCommand).rejectsOnce(new Error('throttled')).resolves({});
    await expect(handler({ trigger: 'manual' })).rejects.toThrow('throttled');
    sqs.reset();
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
    dlqHolds(poison);

    // Act
    const retried = await handler({ trigger: 'manual' });

    // Assess
    expect(retried).toEqual({ status: 'done', redriven: 0, parked: 1, sawAll: true });
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { ReceiptHandle: 'receipt-undeleted' });
    expect(sqs).not.toHaveReceivedCommand(StartMessageMoveTaskCommand);
    expect(metrics.total(MetricNames.redriveParked)).toBe(1);
  });

  it('holds a scheduled run while a provider breaker is open, and a manual run redrives anyway', async () => {
    // Prepare
    const { handler, breakers } = build();
    await breakers.put(
      'anthropic',
      { state: 'open', consecutiveFailures: 3, openedAt: new Date(), updatedAt: new Date() },
      0,
    );
    const waiting = dlqMessage('outage');
    dlqHolds(waiting);

    // Act
    const scheduled = await handler(scheduledEvent);
    const receivesWhileHeld = sqs.commandCalls(ReceiveMessageCommand).length;
    const manual = await handler({ trigger: 'manual' });

    // Assess
    expect(scheduled).toEqual({ status: 'held', reason: 'providers_unhealthy', detail: 'anthropic open' });
    expect(receivesWhileHeld).toBe(0);
    expect(manual).toMatchObject({ status: 'done', redriven: 1, taskHandle: 'task-handle-1' });
    expect(sqs).toHaveReceivedCommandTimes(StartMessageMoveTaskCommand, 1);
  });

  it('counts nothing when the move task cannot start, so a retried run spends no redrive', async () => {
    // Prepare
    const { handler } = build();
    const message = dlqMessage('unmoved');
    dlqHolds(message);
    sqs.on(StartMessageMoveTaskCommand).rejects(new Error('AccessDenied'));

    // Act
    const run = handler({ trigger: 'manual' });

    // Assess
    await expect(run).rejects.toThrow('AccessDenied');
    expect(await historyOf(message)).toEqual([]);
  });

  it('starts no task when the DLQ turns out to be empty', async () => {
    // Prepare
    const { handler } = build();
    dlqHolds();

    // Act
    const result = await handler(scheduledEvent);

    // Assess
    expect(result).toEqual({ status: 'done', redriven: 0, parked: 0, sawAll: true });
    expect(sqs).not.toHaveReceivedCommand(StartMessageMoveTaskCommand);
  });

  it('rejects a payload that is neither the schedule nor a manual trigger', async () => {
    // Prepare
    const { handler } = build();

    // Act
    const run = handler({ trigger: 'everything' });

    // Assess
    await expect(run).rejects.toBeInstanceOf(ValidationError);
    expect(sqs).not.toHaveReceivedAnyCommand();
  });
});
