import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createIngress } from '../../../functions/ingress/ingress';
import { DynamoDbDedupStore } from '../../../layers/core/adapters/aws/dynamodb-dedup-store';
import { S3RawDeadLetterStore } from '../../../layers/core/adapters/aws/s3-raw-dead-letters';
import { SqsEventQueue } from '../../../layers/core/adapters/aws/sqs-event-queue';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { MAX_WEBHOOK_BYTES } from '../../../layers/core/ingress/receive-webhook';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import { capturingLogger } from '../../support/logger';
import {
  apiGatewayEvent,
  fixtureBytes,
  fixtureNames,
  TEST_APP_SECRET,
  TEST_VERIFY_TOKEN,
} from '../../support/webhooks';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/chasqui-dev-events.fifo';
const TABLE = 'chasqui-dev-state';
const BUCKET = 'chasqui-dev-raw-dead-letters';
const NOW = new Date('2026-11-22T14:00:00Z');
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);

const build = (now: () => Date = () => NOW) => {
  const metrics = new MemoryMetrics();
  const { logger, lines } = capturingLogger();
  const handler = createIngress({
    secrets: () => Promise.resolve({ appSecret: TEST_APP_SECRET, verifyToken: TEST_VERIFY_TOKEN }),
    dedup: new DynamoDbDedupStore({ tableName: TABLE, client: new DynamoDBClient({ region: 'us-east-1' }) }),
    queue: new SqsEventQueue({ queueUrl: QUEUE_URL, client: new SQSClient({ region: 'us-east-1' }) }),
    deadLetters: new S3RawDeadLetterStore({
      bucketName: BUCKET,
      client: new S3Client({ region: 'us-east-1' }),
    }),
    metrics,
    logger,
    clock: { now },
  });
  return { handler, metrics, lines };
};

const allQueued = () => {
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
    Successful: input.Entries.map((entry) => ({
      Id: entry.Id,
      MessageId: `m-${entry.Id}`,
      MD5OfMessageBody: 'x',
    })),
    Failed: [],
  }));
};

const queuedEntries = () =>
  sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);

type ClaimStatus = 'COMPLETED' | 'INPROGRESS';

/** DynamoDB's answer to a claim whose condition failed, with the stored item as `ALL_OLD` returns it. */
const conditionFailed = (id: string, status: ClaimStatus) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: { id: { S: id }, status: { S: status } },
  });

/** The state table as DynamoDB keeps it: the first claim of an id wins, and later ones find it `status`. */
const tableKeepsClaims = (status: ClaimStatus) => {
  const stored = new Set<string>();
  dynamo.on(PutItemCommand).callsFake((input: { Item: { id: { S: string } } }) => {
    if (stored.has(input.Item.id.S)) throw conditionFailed(input.Item.id.S, status);
    stored.add(input.Item.id.S);
    return {};
  });
};

beforeEach(() => {
  sqs.reset();
  dynamo.reset();
  s3.reset();
  allQueued();
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({});
  dynamo.on(DeleteItemCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
});

describe('ingress handler: subscription check (GET)', () => {
  it('answers the challenge as plain text when the verify token matches', async () => {
    const { handler } = build();
    const event = apiGatewayEvent('', {
      method: 'GET',
      signature: null,
      query: {
        'hub.mode': 'subscribe',
        'hub.verify_token': TEST_VERIFY_TOKEN,
        'hub.challenge': '1158201444',
      },
    });
    const response = await handler(event);
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/plain' },
      body: '1158201444',
    });
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' }],
    [
      'a wrong mode',
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': TEST_VERIFY_TOKEN, 'hub.challenge': '1' },
    ],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': TEST_VERIFY_TOKEN }],
  ])('refuses %s with 403', async (_case, query) => {
    const { handler } = build();
    const response = await handler(apiGatewayEvent('', { method: 'GET', signature: null, query }));
    expect(response.statusCode).toBe(403);
  });
});

describe('ingress handler: delivery (POST)', () => {
  it('queues a text message with its conversation group, dedup id, and a dedup record kept 8 days', async () => {
    // Prepare
    const { handler, metrics } = build();
    // Act
    const response = await handler(apiGatewayEvent(fixtureBytes('text')));
    // Assess
    expect(response.statusCode).toBe(200);
    const wamid = 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUYxTEXT';
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: TABLE,
      Item: {
        id: { S: `webhook#${wamid}` },
        status: { S: 'INPROGRESS' },
        leaseExpiration: { N: String(epoch(NOW) + 60) },
        expiration: { N: String(epoch(NOW) + 8 * 24 * 3600) },
      },
      ConditionExpression:
        'attribute_not_exists(id) OR expiration < :now OR (#status = :inProgress AND leaseExpiration < :now)',
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
    const [entry] = queuedEntries();
    expect(entry).toMatchObject({
      MessageGroupId: '106540352242922:16505551234',
      MessageDeduplicationId: wamid,
    });
    expect(JSON.parse(entry!.MessageBody!)).toMatchObject({
      kind: 'message',
      wamid,
      content: { type: 'text' },
    });
    expect(dynamo).toHaveReceivedCommandWith(UpdateItemCommand, {
      Key: { id: { S: `webhook#${wamid}` } },
      ExpressionAttributeValues: {
        ':completed': { S: 'COMPLETED' },
        ':expiration': { N: String(epoch(NOW) + 8 * 24 * 3600) },
      },
    });
    expect(metrics.total(MetricNames.webhookEventsAccepted, { type: 'text' })).toBe(1);
  });

  it.each(fixtureNames())('accepts and queues the %s fixture', async (fixture) => {
    const { handler } = build();
    const response = await handler(apiGatewayEvent(fixtureBytes(fixture)));
    expect(response.statusCode).toBe(200);
    expect(queuedEntries().length).toBeGreaterThan(0);
  });

  it('verifies Meta-escaped accents and emoji over the received bytes, base64-encoded or not', async () => {
    const { handler } = build();
    const body = fixtureBytes('text-accents-emoji.meta-escaped.txt');
    expect((await handler(apiGatewayEvent(body))).statusCode).toBe(200);
    expect((await handler(apiGatewayEvent(body, { base64: true }))).statusCode).toBe(200);
    const [entry] = queuedEntries();
    expect(JSON.parse(entry!.MessageBody!).content.text).toBe(
      'Recuérdame mañana a las 9 llamar a José 🎉 — ¿sí? 50/50',
    );
  });

  it('rejects a body whose signature does not match with 401, and queues nothing', async () => {
    const { handler, metrics } = build();
    const body = fixtureBytes('text');
    const response = await handler(apiGatewayEvent(body, { signature: `sha256=${'0'.repeat(64)}` }));
    expect(response.statusCode).toBe(401);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
    expect(dynamo).not.toHaveReceivedCommand(PutItemCommand);
    expect(metrics.total(MetricNames.webhookRequestsRejected, { reason: 'invalid_signature' })).toBe(1);
  });

  it('rejects an unsigned body with 401', async () => {
    const { handler } = build();
    expect((await handler(apiGatewayEvent(fixtureBytes('text'), { signature: null }))).statusCode).toBe(401);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('answers 413 to a body over 3 MB without hashing or queueing it', async () => {
    const { handler } = build();
    const response = await handler(apiGatewayEvent(Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20)));
    expect(response.statusCode).toBe(413);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it.each([
    ['3-byte characters one byte over 3 MB', '€'.repeat(MAX_WEBHOOK_BYTES / 3) + 'x', 413],
    ['2-byte characters exactly 3 MB', 'é'.repeat(MAX_WEBHOOK_BYTES / 2), 200],
  ])('counts a text body in UTF-8 bytes, not characters: %s', async (_case, body, statusCode) => {
    const { handler } = build();
    // Signed over the text's UTF-8 bytes, as Meta signs; the body is not JSON, so an accepted one is a dead letter.
    const response = await handler(apiGatewayEvent(body));
    expect(response.statusCode).toBe(statusCode);
  });

  it.each([
    ['not JSON', 'this is not json {', 'invalid_json'],
    ['JSON but not a WhatsApp envelope', '{"object":"page","entry":[]}', 'not_whatsapp_envelope'],
  ])(
    'keeps a correctly signed body that is %s in the dead-letter bucket and answers 200',
    async (_c, body, reason) => {
      const { handler } = build();
      const response = await handler(apiGatewayEvent(body));
      expect(response.statusCode).toBe(200);
      expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: BUCKET,
        Body: Buffer.from(body),
        Metadata: expect.objectContaining({ reason }),
      });
    },
  );

  it('answers 500 when the dead-letter bucket is unavailable, so Meta retries the poison body', async () => {
    s3.on(PutObjectCommand).rejects(new Error('S3 down'));
    const { handler } = build();
    expect((await handler(apiGatewayEvent('not json'))).statusCode).toBe(500);
  });
});

describe('ingress handler: duplicates', () => {
  it('queues a message redelivered 3 times only once, seconds and days apart', async () => {
    // Prepare: the table keeps the first claim, marked done once queued; later claims fail their condition
    tableKeepsClaims('COMPLETED');
    let now = NOW;
    const { handler, metrics } = build(() => now);
    const body = fixtureBytes('text');
    // Act
    const responses = [];
    for (const offsetMs of [0, 5_000, 3 * 24 * 3600 * 1000]) {
      now = new Date(NOW.getTime() + offsetMs);
      responses.push((await handler(apiGatewayEvent(body))).statusCode);
    }
    // Assess
    expect(responses).toEqual([200, 200, 200]);
    expect(queuedEntries()).toHaveLength(1);
    expect(metrics.total(MetricNames.webhookDuplicatesDropped)).toBe(2);
    // Days later, the claim still compares against the stored 8-day expiration
    expect(dynamo.commandCalls(PutItemCommand)[2]!.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':now': { N: String(epoch(NOW) + 3 * 24 * 3600) },
    });
  });

  it('answers 503 while another delivery of the event holds its claim, so the event is never acknowledged unqueued', async () => {
    // Prepare: a concurrent or crashed delivery claimed the event and has not marked it queued
    dynamo
      .on(PutItemCommand)
      .rejects(conditionFailed('webhook#wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUYxTEXT', 'INPROGRESS'));
    const { handler, metrics } = build();
    // Act
    const response = await handler(apiGatewayEvent(fixtureBytes('text')));
    // Assess
    expect(response.statusCode).toBe(503);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
    expect(metrics.total(MetricNames.webhookRequestsRejected, { reason: 'event_in_progress' })).toBe(1);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('releases the claims it did take when one event of the delivery is in progress elsewhere', async () => {
    // Prepare: of two users' messages, Bob's is being queued by another delivery
    dynamo.on(PutItemCommand).callsFake((input: { Item: { id: { S: string } } }) => {
      if (input.Item.id.S === 'webhook#wamid.BOB1') throw conditionFailed(input.Item.id.S, 'INPROGRESS');
      return {};
    });
    const { handler } = build();
    // Act
    const response = await handler(apiGatewayEvent(fixtureBytes('batch-two-users')));
    // Assess: Meta's retry will queue Alice's message, so her claim must not stand in its way
    expect(response.statusCode).toBe(503);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
    const released = dynamo.commandCalls(DeleteItemCommand).map((call) => call.args[0].input.Key!['id']!.S);
    expect(released).toHaveLength(1);
    expect(released).not.toContain('webhook#wamid.BOB1');
  });

  it('queues a message that appears twice in one delivery once, and answers 200', async () => {
    // Prepare: DynamoDB keeps each claim, so a second claim of the same id would find it in progress
    tableKeepsClaims('INPROGRESS');
    const envelope = JSON.parse(fixtureBytes('text').toString());
    const value = envelope.entry[0].changes[0].value;
    value.messages = [value.messages[0], value.messages[0]];
    const { handler, metrics } = build();
    // Act
    const response = await handler(apiGatewayEvent(JSON.stringify(envelope)));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(queuedEntries()).toHaveLength(1);
    expect(dynamo).toHaveReceivedCommandTimes(PutItemCommand, 1);
    expect(metrics.total(MetricNames.webhookDuplicatesDropped)).toBe(1);
  });

  it('never lets a status collide with its message: different dedup keys and ids', async () => {
    const { handler } = build();
    const message = JSON.parse(fixtureBytes('text').toString());
    const status = JSON.parse(fixtureBytes('status-delivered').toString());
    status.entry[0].changes[0].value.statuses[0].id = message.entry[0].changes[0].value.messages[0].id;
    await handler(apiGatewayEvent(JSON.stringify(message)));
    await handler(apiGatewayEvent(JSON.stringify(status)));
    const ids = queuedEntries().map((entry) => entry.MessageDeduplicationId);
    expect(ids).toEqual([
      'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUYxTEXT',
      'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUYxTEXT:delivered',
    ]);
  });
});

describe('ingress handler: failures', () => {
  it('answers 503 and releases the claim when the queue rejects the batch, so the retry is not swallowed', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('SQS unavailable'));
    const { handler, metrics, lines } = build();
    const response = await handler(apiGatewayEvent(fixtureBytes('text')));
    expect(response.statusCode).toBe(503);
    expect(metrics.total(MetricNames.webhookRequestsRejected, { reason: 'queue_unavailable' })).toBe(1);
    expect(lines().join('\n')).toContain('SQS unavailable');
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 3);
    expect(dynamo).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: TABLE,
      Key: { id: { S: 'webhook#wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUYxTEXT' } },
    });
    expect(dynamo).not.toHaveReceivedCommand(UpdateItemCommand);
  });

  it('retries only the entries SQS reports as failed', async () => {
    let call = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
      call++;
      if (call === 1) {
        return {
          Successful: [{ Id: input.Entries[0]!.Id, MessageId: 'a', MD5OfMessageBody: 'x' }],
          Failed: [{ Id: input.Entries[1]!.Id, SenderFault: false, Code: 'InternalError' }],
        };
      }
      return {
        Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: 'b', MD5OfMessageBody: 'x' })),
        Failed: [],
      };
    });
    const { handler } = build();
    const response = await handler(apiGatewayEvent(fixtureBytes('batch-two-users')));
    expect(response.statusCode).toBe(200);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries!.map((entry) => entry.MessageDeduplicationId)).toEqual([
      'wamid.BOB1',
    ]);
  });

  it('splits more than 10 events into SendMessageBatch calls of at most 10', async () => {
    const envelope = JSON.parse(fixtureBytes('text').toString());
    const value = envelope.entry[0].changes[0].value;
    value.messages = Array.from({ length: 23 }, (_, i) => ({ ...value.messages[0], id: `wamid.BULK${i}` }));
    const { handler } = build();
    expect((await handler(apiGatewayEvent(JSON.stringify(envelope)))).statusCode).toBe(200);
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([
      10, 10, 3,
    ]);
  });

  it('answers 503 and queues nothing when DynamoDB is unavailable', async () => {
    dynamo.on(PutItemCommand).rejects(new Error('DynamoDB unavailable'));
    const { handler, metrics } = build();
    expect((await handler(apiGatewayEvent(fixtureBytes('text')))).statusCode).toBe(503);
    expect(metrics.total(MetricNames.webhookRequestsRejected, { reason: 'dedup_unavailable' })).toBe(1);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('still answers 200 when marking queued events done fails: the processor drops a later duplicate', async () => {
    dynamo.on(UpdateItemCommand).rejects(new Error('throttled'));
    const { handler } = build();
    expect((await handler(apiGatewayEvent(fixtureBytes('text')))).statusCode).toBe(200);
  });

  it('logs no phone number and no message body', async () => {
    const { handler, lines } = build();
    await handler(apiGatewayEvent(fixtureBytes('batch-two-users')));
    const logs = lines().join('\n');
    expect(logs).toContain('Webhook events queued');
    expect(logs).not.toMatch(/573001112233|447700900123/);
    expect(logs).not.toContain('gasté');
  });
});
