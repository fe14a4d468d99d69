import { traceHandler } from '../../layers/core/adapters/aws/tracing';
import { parseEnv, processorEnvSchema } from '../../layers/core/config/env';
import { awsProcessorDeps } from './aws-deps';
import { createProcessor } from './processor';

export const handler = traceHandler(
  createProcessor(awsProcessorDeps(parseEnv(processorEnvSchema, process.env))),
);
