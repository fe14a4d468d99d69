import { traceHandler } from '../../layers/core/adapters/aws/tracing';
import { reminderEnvSchema } from '../../layers/core/config/env';
import { parseEnv } from '../../layers/core/config/parse-env';
import { awsReminderDeps } from './aws-deps';
import { createReminderHandler } from './reminder';

export const handler = traceHandler(
  createReminderHandler(awsReminderDeps(parseEnv(reminderEnvSchema, process.env))),
);
