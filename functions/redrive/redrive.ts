import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { ValidationError } from '../../layers/core/errors';
import type { RedriveTrigger } from '../../layers/core/redrive/hold';
import { redrive, type RedriveDeps, type RedriveResult } from '../../layers/core/redrive/redrive';

/** What the EventBridge rule sends: any scheduled event, whatever its time and rule. */
const scheduledEvent = z.object({
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
});
/** What an operator sends (`npm run redrive`, or `aws lambda invoke`). */
const manualInvocation = z.object({ trigger: z.literal('manual') });

const triggerOf = (event: unknown): RedriveTrigger => {
  if (scheduledEvent.safeParse(event).success) return 'schedule';
  if (manualInvocation.safeParse(event).success) return 'manual';
  throw new ValidationError('Expected an EventBridge scheduled event or {"trigger":"manual"}');
};

/** The redrive entry for both the schedule and an operator; returns what it did, which `npm run redrive` prints. */
export const createRedrive =
  (deps: RedriveDeps | Promise<RedriveDeps>) =>
  async (event: unknown, context?: Context): Promise<RedriveResult> => {
    const ready = await deps;
    if (context) ready.logger.addContext(context);
    try {
      return await redrive(ready, { trigger: triggerOf(event) });
    } finally {
      ready.metrics.flush();
    }
  };
