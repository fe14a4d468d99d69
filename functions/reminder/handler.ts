import { parseEnv, reminderEnvSchema } from '../../layers/core/config/env';
import { awsReminderDeps } from './aws-deps';
import { createReminderHandler } from './reminder';

export const handler = createReminderHandler(awsReminderDeps(parseEnv(reminderEnvSchema, process.env)));
