import * as z from 'zod/mini';
import { arn, common, nonEmpty } from './parse-env';

/**
 * Apart from the other functions' schemas (`env.ts`): the ingress answers every webhook and its cold start
 * is on Meta's clock, so it must not load the processor's templates, keywords and embedding settings.
 */
export const ingressEnvSchema = z.object({
  ...common,
  QUEUE_URL: z.url(),
  STATE_TABLE_NAME: nonEmpty,
  WHATSAPP_SECRET_ARN: arn,
  /** Bucket for correctly signed bodies that are not WhatsApp envelopes: kept, never retried. */
  RAW_DEAD_LETTER_BUCKET: nonEmpty,
});

export type IngressEnv = z.infer<typeof ingressEnvSchema>;
