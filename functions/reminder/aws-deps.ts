import { appDatabase } from '../../layers/core/adapters/aws/app-database';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeReminderScheduler } from '../../layers/core/adapters/aws/eventbridge-scheduler';
import { PowertoolsMetrics } from '../../layers/core/adapters/aws/powertools-metrics';
import { traced } from '../../layers/core/adapters/aws/tracing';
import { jsonSecret, whatsappSecretSchema } from '../../layers/core/adapters/aws/secrets';
import type { ReminderEnv } from '../../layers/core/config/env';
import { createLogger } from '../../layers/core/logging';
import { systemClock } from '../../layers/core/ports/clock';
import { GraphClient } from '../../layers/core/whatsapp/graph/client';
import type { ReminderHandlerDeps } from './reminder';

/** One reminder per invocation, its transactions one after another. */
const POOL_SIZE = 1;

/** Built once per cold start. */
export const awsReminderDeps = async (env: ReminderEnv): Promise<ReminderHandlerDeps> => {
  const whatsapp = jsonSecret(env.WHATSAPP_SECRET_ARN, whatsappSecretSchema);
  const schedulerClient = traced(new SchedulerClient({}));
  return {
    db: await appDatabase(env, POOL_SIZE),
    graph: new GraphClient({
      apiVersion: env.GRAPH_API_VERSION,
      accessToken: async () => (await whatsapp()).accessToken,
    }),
    schedulerFor: (functionArn) =>
      new EventBridgeReminderScheduler({
        groupName: env.SCHEDULE_GROUP_NAME,
        targetArn: functionArn,
        roleArn: env.SCHEDULER_ROLE_ARN,
        deadLetterArn: env.SCHEDULER_DLQ_ARN,
        client: schedulerClient,
      }),
    clock: systemClock,
    logger: createLogger(),
    metrics: new PowertoolsMetrics(new Metrics()),
    config: { templates: env.WHATSAPP_TEMPLATES },
  };
};
