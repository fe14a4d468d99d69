import { createReminderHandler } from '../../../functions/reminder/reminder';
import type { ReminderFire, ReminderScheduler } from '../../../layers/core/ports/scheduler';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../../layers/core/outbound/templates';
import type { Recurrence } from '../../../layers/core/tools/recurrence';
import { runToolCall } from '../../../layers/core/tools/registry';
import { lambdaContext } from '../../../local/lambda-context';
import { type HarnessUser, OPERATOR_CONTACT, startProcessorHarness } from '../../support/processor-harness';

export interface StoredReminder {
  id: string;
  text: string;
  due_at: Date;
  status: string;
  version: number;
  schedule_name: string | null;
}

let sequence = 0;

/**
 * The processor harness (real processor, PGlite, Graph stand-in, in-memory scheduler) plus the real
 * reminder handler on the same database, stand-in and scheduler: a reminder can be created by chat,
 * fired as Scheduler would fire it, and snoozed by tapping its buttons.
 */
export const startReminderHarness = async (options: { now: Date; scheduler?: ReminderScheduler }) => {
  const harness = await startProcessorHarness({ now: options.now });
  const handler = createReminderHandler({
    db: harness.db,
    graph: harness.deps.graph,
    clock: harness.deps.clock,
    logger: harness.deps.logger,
    metrics: harness.metrics,
    schedulerFor: () => options.scheduler ?? harness.scheduler,
    config: { templates: DEFAULT_MESSAGE_TEMPLATES },
  });

  const scopeOf = async (user: HarnessUser) => {
    const { rows } = await harness.db.query<{ tenantId: string; userId: string; timeZone: string }>(
      'SELECT tenant_id AS "tenantId", id AS "userId", time_zone AS "timeZone" FROM users WHERE wa_id = $1',
      [user.waId],
    );
    if (!rows[0]) throw new Error(`${user.name} has not written yet`);
    return rows[0];
  };

  const reminders = async (user: HarnessUser): Promise<StoredReminder[]> => {
    const { rows } = await harness.db.query<StoredReminder & Record<string, unknown>>(
      `SELECT r.id, r.text, r.due_at, r.status, r.version, r.schedule_name FROM reminders r
       JOIN users u ON u.id = r.user_id WHERE u.wa_id = $1 ORDER BY r.created_at`,
      [user.waId],
    );
    return rows;
  };

  return {
    ...harness,
    /** Invokes the reminder function with `input` as a schedule's Input. */
    fire: (input: unknown) => handler(input, lambdaContext('chasqui-test-reminder')),
    /** The Scheduler input for a stored reminder at its current (or a given) version. */
    fireOf: async (user: HarnessUser, reminder: StoredReminder, version = reminder.version) => {
      const { tenantId, userId } = await scopeOf(user);
      const fire: ReminderFire = { reminderId: reminder.id, version, tenantId, userId };
      return fire;
    },
    /** Fires what the in-memory scheduler holds due by `until`, earliest first, as Scheduler would. */
    fireDue: async (until: Date) => {
      const results = [];
      for (const { reminderId, version, tenantId, userId } of harness.scheduler.takeDue(until)) {
        const input = { reminderId, version, tenantId, userId };
        results.push({ reminderId, result: await handler(input, lambdaContext('chasqui-test-reminder')) });
      }
      return results;
    },
    reminders,
    /** Creates a reminder through the create tool, as a turn would. */
    createReminder: async (
      user: HarnessUser,
      input: { text: string; due_local: string; recurrence?: Recurrence },
      scheduler: ReminderScheduler = harness.scheduler,
    ): Promise<StoredReminder> => {
      const { tenantId, userId, timeZone } = await scopeOf(user);
      sequence += 1;
      const outcome = await runToolCall(
        harness.db,
        { tenantId, userId },
        { id: `call-${sequence}`, name: 'create_reminder', input: { ...input } },
        0,
        {
          user: { id: userId, tenantId, timeZone, locale: 'es', currency: 'USD' },
          now: harness.deps.clock.now(),
          messageWamid: `wamid.CREATE${sequence}`,
          scheduler,
          operatorContact: OPERATOR_CONTACT,
          metrics: harness.deps.metrics,
          embedder: harness.deps.embedder,
        },
      );
      if (outcome.status !== 'ok') throw new Error(`create_reminder: ${JSON.stringify(outcome.output)}`);
      const created = (await reminders(user)).find((reminder) => reminder.text === input.text);
      if (!created) throw new Error(`no reminder "${input.text}"`);
      return created;
    },
    /** A tap on one of a sent message's reply buttons, processed by the real processor. */
    tap: async (user: HarnessUser, button: { id: string; title: string }) => {
      const response = await harness.process([
        harness.inbound(user, { type: 'interactive', reply: { kind: 'button', ...button } }),
      ]);
      if (response.batchItemFailures.length > 0) throw new Error(`tap failed: ${JSON.stringify(response)}`);
    },
  };
};

export type ReminderHarness = Awaited<ReturnType<typeof startReminderHarness>>;
