import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { recordDeadLetter, type Json } from '../../layers/core/db/repositories';
import { MetricNames } from '../../layers/core/observability/metric-names';
import type { ReminderScheduler } from '../../layers/core/ports/scheduler';
import {
  type FireReminderDeps,
  fireReminder,
  type FireResult,
} from '../../layers/core/reminders/fire-reminder';

export interface ReminderHandlerDeps extends Omit<FireReminderDeps, 'scheduler'> {
  /** Re-armed schedules target the function that is running; Lambda gives its ARN only per invocation. */
  readonly schedulerFor: (functionArn: string) => ReminderScheduler;
}

export type ReminderHandlerResult = FireResult | { readonly outcome: 'invalid_input' };

/** The schedule's `Input`, as the EventBridge adapter writes it. */
const reminderFireSchema = z.object({
  reminderId: z.uuid(),
  version: z.number().check(z.int(), z.positive()),
  tenantId: z.uuid(),
  userId: z.uuid(),
});

const asJson = (value: unknown): Json => JSON.parse(JSON.stringify(value ?? null)) as Json;

/**
 * The reminder function, invoked by EventBridge Scheduler (or the local timer) with a schedule's input.
 * Input it cannot read is kept as a dead letter and acknowledged: a retry would fail the same way.
 */
export const createReminderHandler =
  (deps: ReminderHandlerDeps | Promise<ReminderHandlerDeps>) =>
  async (event: unknown, context: Context): Promise<ReminderHandlerResult> => {
    const ready = await deps;
    ready.logger.addContext(context);
    try {
      const parsed = reminderFireSchema.safeParse(event);
      if (parsed.success) {
        return await fireReminder(
          { ...ready, scheduler: ready.schedulerFor(context.invokedFunctionArn) },
          parsed.data,
        );
      }
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || issue.message);
      const reason = `invalid scheduler input: ${fields.join(', ')}`;
      await recordDeadLetter(ready.db, {
        source: 'reminder',
        reason,
        payload: { input: asJson(event) },
        receiveCount: 1,
        externalId: context.awsRequestId,
      });
      ready.metrics.add(MetricNames.deadLetters, 'Count', 1, { source: 'reminder' });
      ready.metrics.add(MetricNames.remindersFired, 'Count', 1, { outcome: 'invalid_input' });
      ready.logger.warn('Reminder input kept as a dead letter', { reason });
      return { outcome: 'invalid_input' };
    } finally {
      ready.metrics.flush();
    }
  };
