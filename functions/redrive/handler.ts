import { traceHandler } from '../../layers/core/adapters/aws/tracing';
import { redriveEnvSchema } from '../../layers/core/config/env';
import { parseEnv } from '../../layers/core/config/parse-env';
import { awsRedriveDeps } from './aws-deps';
import { createRedrive } from './redrive';

export const handler = traceHandler(createRedrive(awsRedriveDeps(parseEnv(redriveEnvSchema, process.env))));
