import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import type {
  BreakerPutOutcome,
  BreakerRecord,
  BreakerStore,
  VersionedBreakerRecord,
} from '../../ports/breaker-store';

/**
 * A breaker record only matters for minutes (the cooldown); a day after its last write TTL removes
 * it, and a missing record reads as closed, so providers that are no longer configured leave no
 * rows behind.
 */
export const BREAKER_RETENTION_SECONDS = 24 * 60 * 60;
const KEY_PREFIX = 'breaker#';

const numberAttribute = z.object({ N: z.string().check(z.regex(/^\d+$/)) });
const breakerItem = z.object({
  state: z.object({ S: z.enum(['closed', 'open', 'half_open']) }),
  consecutiveFailures: numberAttribute,
  openedAt: z.optional(numberAttribute),
  updatedAt: numberAttribute,
});
const versionOnly = z.object({ version: numberAttribute });

export interface DynamoDbBreakerStoreOptions {
  tableName: string;
  client?: DynamoDBClient;
}

/**
 * Breaker state in the shared state table (key `id`, TTL attribute `expiration`, the same table as
 * the webhook dedup records). Writes are conditional on a `version` attribute; reads are strongly
 * consistent so an instance that lost a write race sees the winner's record at once.
 */
export class DynamoDbBreakerStore implements BreakerStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: DynamoDbBreakerStoreOptions) {
    this.client = options.client ?? new DynamoDBClient({});
    this.tableName = options.tableName;
  }

  async get(provider: string): Promise<VersionedBreakerRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { id: { S: KEY_PREFIX + provider } },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const version = versionOnly.safeParse(Item);
    if (!version.success) return undefined;
    const parsed = breakerItem.safeParse(Item);
    // A record whose fields do not parse still yields its version, so the next write replaces it.
    return {
      version: Number(version.data.version.N),
      record: parsed.success ? toRecord(parsed.data) : unreadableRecord,
    };
  }

  async put(provider: string, record: BreakerRecord, expectedVersion: number): Promise<BreakerPutOutcome> {
    const version = expectedVersion + 1;
    const item: Record<string, AttributeValue> = {
      id: { S: KEY_PREFIX + provider },
      state: { S: record.state },
      consecutiveFailures: { N: String(record.consecutiveFailures) },
      updatedAt: { N: String(record.updatedAt.getTime()) },
      version: { N: String(version) },
      expiration: { N: String(Math.floor(record.updatedAt.getTime() / 1000) + BREAKER_RETENTION_SECONDS) },
      ...(record.openedAt ? { openedAt: { N: String(record.openedAt.getTime()) } } : {}),
    };
    // DynamoDB rejects expression names or values that the condition does not use.
    const condition =
      expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(id)' }
        : {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
          };
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item, ...condition }));
      return { written: true, version };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { written: false };
      throw error;
    }
  }
}

const toRecord = (item: z.infer<typeof breakerItem>): BreakerRecord => ({
  state: item.state.S,
  consecutiveFailures: Number(item.consecutiveFailures.N),
  openedAt: item.openedAt ? new Date(Number(item.openedAt.N)) : null,
  updatedAt: new Date(Number(item.updatedAt.N)),
});

const unreadableRecord: BreakerRecord = {
  state: 'closed',
  consecutiveFailures: 0,
  openedAt: null,
  updatedAt: new Date(0),
};
