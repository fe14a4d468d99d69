import { traceHandler } from '../../layers/core/adapters/aws/tracing';
import { parseEnv, reminderEnvSchema } from '../../layers/core/config/env';
import { awsReminderDeps } from './aws-deps';
import { createReminderHandler } from './reminder';

export const handler = traceHandler(
  createReminderHandler(awsReminderDeps(parseEnv(reminderEnvSchema, process.env))),
);
