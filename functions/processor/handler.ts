import { traceHandler } from '../../layers/core/adapters/aws/tracing';
import { processorEnvSchema } from '../../layers/core/config/env';
import { parseEnv } from '../../layers/core/config/parse-env';
import { awsProcessorDeps } from './aws-deps';
import { createProcessor } from './processor';

export const handler = traceHandler(
  createProcessor(awsProcessorDeps(parseEnv(processorEnvSchema, process.env))),
);
