import { appDatabase } from '../../layers/core/adapters/aws/app-database';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CloudWatchAlarmState } from '../../layers/core/adapters/aws/cloudwatch-alarm-state';
import { DynamoDbBreakerStore } from '../../layers/core/adapters/aws/dynamodb-breaker-store';
import { PowertoolsMetrics } from '../../layers/core/adapters/aws/powertools-metrics';
import { traced } from '../../layers/core/adapters/aws/tracing';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsRedriveQueue } from '../../layers/core/adapters/aws/sqs-redrive';
import type { RedriveEnv } from '../../layers/core/config/env';
import { createLogger } from '../../layers/core/logging';
import { LLM_PROVIDERS } from '../../layers/core/redrive/providers';
import type { RedriveDeps } from '../../layers/core/redrive/redrive';

/** A run is sequential: one connection serves it. */
const POOL_SIZE = 1;

/** Built once per cold start. */
export const awsRedriveDeps = async (env: RedriveEnv): Promise<RedriveDeps> => {
  return {
    db: await appDatabase(env, POOL_SIZE),
    queue: new SqsRedriveQueue({
      deadLetterQueueArn: env.DLQ_ARN,
      destinationArn: env.SOURCE_QUEUE_ARN,
      maxMessagesPerSecond: env.REDRIVE_MAX_PER_SECOND,
      client: traced(new SQSClient({})),
    }),
    breakers: new DynamoDbBreakerStore({
      tableName: env.STATE_TABLE_NAME,
      client: traced(new DynamoDBClient({})),
    }),
    alarm: new CloudWatchAlarmState({
      alarmName: env.DLQ_ALARM_NAME,
      client: traced(new CloudWatchClient({})),
    }),
    providers: LLM_PROVIDERS,
    logger: createLogger(),
    metrics: new PowertoolsMetrics(new Metrics()),
    config: { maxRedrives: env.MAX_REDRIVES },
  };
};
