import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BREAKER_RETENTION_SECONDS,
  DynamoDbBreakerStore,
} from '../../../layers/core/adapters/aws/dynamodb-breaker-store';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { CircuitBreaker } from '../../../layers/core/llm/circuit-breaker';
import type { BreakerRecord } from '../../../layers/core/ports/breaker-store';
import { capturingLogger } from '../../support/logger';
import { manualClock } from './helpers';

const TABLE = 'chasqui-dev-state';
const UPDATED = new Date('2026-11-22T14:00:00.250Z');
const OPENED = new Date('2026-11-22T13:59:58.000Z');

const dynamo = mockClient(DynamoDBClient);
const store = () =>
  new DynamoDbBreakerStore({ tableName: TABLE, client: new DynamoDBClient({ region: 'us-east-1' }) });

const openRecord: BreakerRecord = {
  state: 'open',
  consecutiveFailures: 3,
  openedAt: OPENED,
  updatedAt: UPDATED,
};

beforeEach(() => dynamo.reset());

describe('DynamoDB breaker store', () => {
  it('reads the breaker item by its prefixed key with a strongly consistent read', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({
      Item: {
        id: { S: 'breaker#anthropic' },
        state: { S: 'open' },
        consecutiveFailures: { N: '3' },
        openedAt: { N: String(OPENED.getTime()) },
        updatedAt: { N: String(UPDATED.getTime()) },
        version: { N: '7' },
        expiration: { N: '1763906400' },
      },
    });

    // Act
    const stored = await store().get('anthropic');

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, {
      TableName: TABLE,
      Key: { id: { S: 'breaker#anthropic' } },
      ConsistentRead: true,
    });
    expect(stored).toEqual({ version: 7, record: openRecord });
  });

  it('reads a missing item as no record', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({});

    // Act
    const stored = await store().get('openai');

    // Assess
    expect(stored).toBeUndefined();
  });

  it('reads an item it cannot parse as closed, keeping its version so the next write replaces it', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({
      Item: { id: { S: 'breaker#openai' }, state: { S: 'melted' }, version: { N: '4' } },
    });

    // Act
    const stored = await store().get('openai');

    // Assess
    expect(stored).toMatchObject({ version: 4, record: { state: 'closed', consecutiveFailures: 0 } });
  });

  it('creates the first record only if none exists, with a TTL a day after the write', async () => {
    // Prepare
    dynamo.on(PutItemCommand).resolves({});

    // Act
    const outcome = await store().put('anthropic', openRecord, 0);

    // Assess
    expect(outcome).toEqual({ written: true, version: 1 });
    expect(dynamo).toHaveReceivedCommandTimes(PutItemCommand, 1);
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        id: { S: 'breaker#anthropic' },
        state: { S: 'open' },
        consecutiveFailures: { N: '3' },
        openedAt: { N: String(OPENED.getTime()) },
        updatedAt: { N: String(UPDATED.getTime()) },
        version: { N: '1' },
        expiration: { N: String(Math.floor(UPDATED.getTime() / 1000) + BREAKER_RETENTION_SECONDS) },
      },
      ConditionExpression: 'attribute_not_exists(id)',
    });
  });

  it('replaces a record only at the version it was read at', async () => {
    // Prepare
    dynamo.on(PutItemCommand).resolves({});
    const closed: BreakerRecord = {
      state: 'closed',
      consecutiveFailures: 0,
      openedAt: null,
      updatedAt: UPDATED,
    };

    // Act
    const outcome = await store().put('anthropic', closed, 7);

    // Assess
    expect(outcome).toEqual({ written: true, version: 8 });
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        id: { S: 'breaker#anthropic' },
        state: { S: 'closed' },
        consecutiveFailures: { N: '0' },
        updatedAt: { N: String(UPDATED.getTime()) },
        version: { N: '8' },
        expiration: { N: String(Math.floor(UPDATED.getTime() / 1000) + BREAKER_RETENTION_SECONDS) },
      },
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': { N: '7' } },
    });
  });

  it('reports a lost write race as not written', async () => {
    // Prepare
    dynamo
      .on(PutItemCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    // Act
    const outcome = await store().put('anthropic', openRecord, 7);

    // Assess
    expect(outcome).toEqual({ written: false });
  });

  it('lets any other DynamoDB error through to the breaker', async () => {
    // Prepare
    dynamo.on(PutItemCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    // Act
    const put = store().put('anthropic', openRecord, 7);

    // Assess
    await expect(put).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});

describe('circuit breaker over the DynamoDB store', () => {
  it('writes the opening with the version it read, after losing a race to another instance', async () => {
    // Prepare: the table holds two failures at version 2; another instance writes version 3 first.
    const { clock } = manualClock(UPDATED);
    const item = (failures: number, version: number) => ({
      Item: {
        id: { S: 'breaker#anthropic' },
        state: { S: 'closed' },
        consecutiveFailures: { N: String(failures) },
        updatedAt: { N: String(UPDATED.getTime() - 1_000) },
        version: { N: String(version) },
      },
    });
    dynamo.on(GetItemCommand).resolvesOnce(item(1, 2)).resolvesOnce(item(2, 3));
    dynamo
      .on(PutItemCommand)
      .rejectsOnce(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      )
      .resolves({});
    const breaker = new CircuitBreaker({
      provider: 'anthropic',
      store: store(),
      logger: capturingLogger().logger,
      metrics: new MemoryMetrics(),
      clock,
    });

    // Act
    await breaker.recordFailure();

    // Assess
    expect(dynamo).toHaveReceivedCommandTimes(GetItemCommand, 2);
    expect(dynamo).toHaveReceivedNthSpecificCommandWith(2, PutItemCommand, {
      Item: expect.objectContaining({
        state: { S: 'open' },
        consecutiveFailures: { N: '3' },
        openedAt: { N: String(UPDATED.getTime()) },
        version: { N: '4' },
      }),
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': { N: '3' } },
    });
  });
});
