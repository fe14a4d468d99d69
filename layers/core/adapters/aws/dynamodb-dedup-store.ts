import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ClaimOutcome, DedupStore } from '../../ports/dedup-store';

/** Meta redelivers for up to 7 days (FACTS.md); one more day covers clock skew and slow retries. */
export const DEDUP_RETENTION_SECONDS = 8 * 24 * 60 * 60;
/** Long enough for the queue write and its retries; short enough that a lost claim soon lapses. */
export const CLAIM_LEASE_SECONDS = 60;
const KEY_PREFIX = 'webhook#';

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export interface DynamoDbDedupStoreOptions {
  tableName: string;
  client?: DynamoDBClient;
}

/**
 * Conditional writes on the state table (key `id`, TTL attribute `expiration`, as Powertools
 * idempotency uses). Powertools idempotency wraps one function call per key; the ingress needs
 * claims for several events of one request, a single batched queue write, and release on
 * failure — plain conditional writes express exactly that.
 *
 * The condition also accepts items whose `expiration` has passed: DynamoDB's TTL deletes lazily,
 * up to days late.
 */
export class DynamoDbDedupStore implements DedupStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: DynamoDbDedupStoreOptions) {
    this.client = options.client ?? new DynamoDBClient({});
    this.tableName = options.tableName;
  }

  async claim(eventId: string, now: Date): Promise<ClaimOutcome> {
    const nowSeconds = epochSeconds(now);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            id: { S: KEY_PREFIX + eventId },
            status: { S: 'INPROGRESS' },
            leaseExpiration: { N: String(nowSeconds + CLAIM_LEASE_SECONDS) },
            expiration: { N: String(nowSeconds + DEDUP_RETENTION_SECONDS) },
          },
          ConditionExpression:
            'attribute_not_exists(id) OR expiration < :now OR (#status = :inProgress AND leaseExpiration < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':now': { N: String(nowSeconds) },
            ':inProgress': { S: 'INPROGRESS' },
          },
          // Free with the failed condition: tells a queued event from one another delivery is still queueing.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return error.Item?.['status']?.S === 'COMPLETED' ? 'duplicate' : 'in_progress';
      }
      throw error;
    }
  }

  async complete(eventId: string, now: Date): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { id: { S: KEY_PREFIX + eventId } },
        UpdateExpression: 'SET #status = :completed, expiration = :expiration REMOVE leaseExpiration',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':completed': { S: 'COMPLETED' },
          ':expiration': { N: String(epochSeconds(now) + DEDUP_RETENTION_SECONDS) },
        },
      }),
    );
  }

  async release(eventId: string): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: { id: { S: KEY_PREFIX + eventId } } }),
    );
  }
}
