import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDbDedupStore } from '../../layers/core/adapters/aws/dynamodb-dedup-store';
import { PowertoolsMetrics } from '../../layers/core/adapters/aws/powertools-metrics';
import { S3RawDeadLetterStore } from '../../layers/core/adapters/aws/s3-raw-dead-letters';
import { jsonSecret, leanSecretReader, whatsappSecretSchema } from '../../layers/core/adapters/aws/secrets';
import { SqsEventQueue } from '../../layers/core/adapters/aws/sqs-event-queue';
import type { IngressEnv } from '../../layers/core/config/ingress-env';
import type { IngressDeps } from '../../layers/core/ingress/receive-webhook';
import { createLogger } from '../../layers/core/logging';
import { systemClock } from '../../layers/core/ports/clock';

/** Built once per cold start; the clients are reused by every invocation of the container. */
export const awsIngressDeps = (env: IngressEnv): IngressDeps => ({
  secrets: jsonSecret(env.WHATSAPP_SECRET_ARN, whatsappSecretSchema, leanSecretReader()),
  dedup: new DynamoDbDedupStore({ tableName: env.STATE_TABLE_NAME }),
  queue: new SqsEventQueue({ queueUrl: env.QUEUE_URL }),
  deadLetters: new S3RawDeadLetterStore({ bucketName: env.RAW_DEAD_LETTER_BUCKET }),
  metrics: new PowertoolsMetrics(new Metrics()),
  logger: createLogger(),
  clock: systemClock,
});
