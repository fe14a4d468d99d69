import { Duration, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DataRemovalPolicy } from '../config';

export interface StateProps {
  /**
   * Point-in-time recovery for the state table.
   * @default false
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * What happens to the table and the bucket when the stack deletes them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: DataRemovalPolicy;
  /**
   * Days before S3 expires a raw dead letter.
   * @default 30
   */
  readonly rawDeadLetterExpirationDays?: number;
}

/**
 * State that must be reachable without the VPC: the DynamoDB table for dedup records, breaker state and
 * rate limits, and the bucket where the ingress keeps signed bodies it could not parse.
 */
export class State extends Construct {
  /** Key `id` and TTL attribute `expiration`: the defaults of Powertools idempotency (FACTS). */
  public readonly table: dynamodb.Table;
  public readonly rawDeadLetterBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StateProps = {}) {
    super(scope, id);
    const expirationDays = props.rawDeadLetterExpirationDays ?? 30;
    if (!Number.isInteger(expirationDays) || expirationDays < 1) {
      throw new Error(
        `State: rawDeadLetterExpirationDays must be a whole number of days ≥ 1, got ${expirationDays}`,
      );
    }

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? false },
      ...(props.removalPolicy === undefined ? {} : { removalPolicy: props.removalPolicy }),
    });
    if (props.pointInTimeRecovery !== true) {
      Validations.of(this.table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason:
          'Outside prod the table holds only short-lived dedup and breaker records (TTL), nothing to restore',
      });
    }

    this.rawDeadLetterBucket = new s3.Bucket(this, 'RawDeadLetters', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { expiration: Duration.days(expirationDays), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      ...(props.removalPolicy === undefined ? {} : { removalPolicy: props.removalPolicy }),
    });
    Validations.of(this.rawDeadLetterBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Only the ingress function writes here; its own logs record every object key it stores',
    });
  }
}
