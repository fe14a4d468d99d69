import { parseEnv, processorEnvSchema } from '../../layers/core/config/env';
import { awsProcessorDeps } from './aws-deps';
import { createProcessor } from './processor';

export const handler = createProcessor(awsProcessorDeps(parseEnv(processorEnvSchema, process.env)));
