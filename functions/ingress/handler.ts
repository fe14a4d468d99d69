import { ingressEnvSchema, parseEnv } from '../../layers/core/config/env';
import { awsIngressDeps } from './aws-deps';
import { createIngress } from './ingress';

export const handler = createIngress(awsIngressDeps(parseEnv(ingressEnvSchema, process.env)));
