import { traceHandler } from '../../layers/core/adapters/aws/tracing';
import { parseEnv, redriveEnvSchema } from '../../layers/core/config/env';
import { awsRedriveDeps } from './aws-deps';
import { createRedrive } from './redrive';

export const handler = traceHandler(createRedrive(awsRedriveDeps(parseEnv(redriveEnvSchema, process.env))));
