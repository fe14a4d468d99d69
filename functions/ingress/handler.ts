import { ingressEnvSchema } from '../../layers/core/config/ingress-env';
import { parseEnv } from '../../layers/core/config/parse-env';
import { awsIngressDeps } from './aws-deps';
import { createIngress } from './ingress';

export const handler = createIngress(awsIngressDeps(parseEnv(ingressEnvSchema, process.env)));
