import * as z from 'zod/mini';
import {
  attachSchedule,
  createReminder,
  finishReminder,
  getReminder,
  listReminders,
  type Reminder,
  rescheduleReminder,
} from '../db/repositories';
import { scheduleNameFor } from '../ports/scheduler';
import { nextOccurrence, parseRecurrence, recurrenceSchema, serializeRecurrence } from './recurrence';
import { instantOf, LOCAL_DATE_TIME, localDateTimeOf } from './time';
import { matchOne } from './match';
import { defineTool, type ToolContext, ToolRefusal } from './tool';

/** Meta's reminders are sent by EventBridge Scheduler, whose precision is one minute (FACTS.md). */
const SCHEDULER_PRECISION_MS = 60_000;
const MAX_SNOOZE_MINUTES = 7 * 24 * 60;

const localDateTime = z
  .string()
  .check(z.regex(LOCAL_DATE_TIME, 'must be yyyy-MM-ddTHH:mm on the user’s clock'));
const reminderId = z.string().check(z.uuid());

export const reminderView = (reminder: Reminder, timeZone: string) => ({
  id: reminder.id,
  text: reminder.text,
  due_local: localDateTimeOf(reminder.dueAt, timeZone),
  status: reminder.status,
  recurring: reminder.recurrence !== null,
});

const dueInstant = (context: ToolContext, dueLocal: string): Date => {
  const due = instantOf(dueLocal, context.user.timeZone);
  if (!due) throw new ToolRefusal('invalid_time', `${dueLocal} is not a valid time`);
  if (due.getTime() < context.now.getTime() + SCHEDULER_PRECISION_MS) {
    throw new ToolRefusal('past_time', `${dueLocal} has already passed in ${context.user.timeZone}`, {
      due_local: dueLocal,
      now_local: localDateTimeOf(context.now, context.user.timeZone),
    });
  }
  return due;
};

/**
 * The row is written first and the schedule second, in the same transaction: if scheduling fails
 * the row rolls back; if the commit fails after scheduling, the orphan schedule fires, finds no
 * pending reminder and does nothing. Never a reminder without a schedule.
 */
const armSchedule = async (context: ToolContext, reminder: Reminder): Promise<Reminder> => {
  const scheduleName = await context.scheduler.schedule({
    reminderId: reminder.id,
    version: reminder.version,
    tenantId: context.user.tenantId,
    userId: context.user.id,
    dueAt: reminder.dueAt,
    timeZone: reminder.timeZone,
  });
  return (await attachSchedule(context.tx, reminder.id, scheduleName)) ?? reminder;
};

/** Pending, or already sent: a reminder that fired can still be snoozed or marked done from its buttons. */
const activeReminder = async (context: ToolContext, id: string): Promise<Reminder> => {
  const reminder = await getReminder(context.tx, id);
  if (!reminder || reminder.status === 'done' || reminder.status === 'cancelled') {
    throw new ToolRefusal('not_found', `No active reminder with id ${id}`);
  }
  return reminder;
};

export const createReminderTool = defineTool({
  name: 'create_reminder',
  description:
    'Schedule a reminder for the user. due_local is the wall-clock time in the user’s time zone. ' +
    'For a repeating reminder also give recurrence; due_local is then its first occurrence.',
  input: z.object({
    text: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
    due_local: localDateTime,
    recurrence: z.optional(recurrenceSchema),
  }),
  async execute(context, input) {
    const dueAt = input.recurrence
      ? nextOccurrence(
          input.recurrence,
          new Date(dueInstant(context, input.due_local).getTime() - 1),
          context.user.timeZone,
        )
      : dueInstant(context, input.due_local);
    const reminder = await createReminder(context.tx, {
      text: input.text,
      dueAt,
      timeZone: context.user.timeZone,
      ...(input.recurrence && { recurrence: serializeRecurrence(input.recurrence) }),
      sourceWamid: context.messageWamid,
    });
    return { reminder: reminderView(await armSchedule(context, reminder), context.user.timeZone) };
  },
});

export const listRemindersTool = defineTool({
  name: 'list_reminders',
  description: 'List the user’s upcoming reminders, soonest first.',
  input: z.object({}),
  async execute(context) {
    const reminders = await listReminders(context.tx, { status: 'pending' });
    return { reminders: reminders.map((reminder) => reminderView(reminder, context.user.timeZone)) };
  },
});

/** Finds the one pending reminder a phrase refers to, or refuses with the candidates. */
export const matchReminder = async (context: ToolContext, query: string): Promise<Reminder> =>
  matchOne(await listReminders(context.tx, { status: 'pending' }), query, {
    textOf: (reminder) => reminder.text,
    viewOf: (reminder) => reminderView(reminder, context.user.timeZone),
    noun: 'pending reminder',
  });

export const cancelReminderTool = defineTool({
  name: 'cancel_reminder',
  description: 'Cancel a reminder, by id or by a phrase from its text.',
  input: z.object({
    reminder_id: z.optional(reminderId),
    query: z.optional(z.string().check(z.minLength(1))),
  }),
  async execute(context, input) {
    const target = input.reminder_id
      ? await activeReminder(context, input.reminder_id)
      : input.query
        ? await matchReminder(context, input.query)
        : undefined;
    if (!target) throw new ToolRefusal('missing_target', 'Give reminder_id or query');
    const cancelled = await finishReminder(context.tx, target.id, 'cancelled');
    if (!cancelled) throw new ToolRefusal('not_found', `Reminder ${target.id} is already finished`);
    await context.scheduler.cancel(target.scheduleName ?? scheduleNameFor(target.id));
    return { cancelled: reminderView(cancelled, context.user.timeZone) };
  },
});

const moveReminder = async (context: ToolContext, reminder: Reminder, dueAt: Date) => {
  const moved = await rescheduleReminder(context.tx, reminder.id, {
    dueAt,
    expectedVersion: reminder.version,
  });
  if (!moved) throw new ToolRefusal('conflict', `Reminder ${reminder.id} changed meanwhile; list it again`);
  return { reminder: reminderView(await armSchedule(context, moved), context.user.timeZone) };
};

export const snoozeReminderTool = defineTool({
  name: 'snooze_reminder',
  description: 'Postpone a reminder by a number of minutes from now.',
  input: z.object({
    reminder_id: reminderId,
    minutes: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_SNOOZE_MINUTES)),
  }),
  async execute(context, input) {
    const reminder = await activeReminder(context, input.reminder_id);
    return moveReminder(context, reminder, new Date(context.now.getTime() + input.minutes * 60_000));
  },
});

export const rescheduleReminderTool = defineTool({
  name: 'reschedule_reminder',
  description: 'Move a reminder to a new wall-clock time in the user’s time zone.',
  input: z.object({ reminder_id: reminderId, due_local: localDateTime }),
  async execute(context, input) {
    const reminder = await activeReminder(context, input.reminder_id);
    return moveReminder(context, reminder, dueInstant(context, input.due_local));
  },
});

export const completeReminderTool = defineTool({
  name: 'complete_reminder',
  description: 'Mark a reminder as done. A repeating reminder moves to its next occurrence instead.',
  input: z.object({ reminder_id: reminderId }),
  async execute(context, input) {
    const reminder = await activeReminder(context, input.reminder_id);
    const recurrence = parseRecurrence(reminder.recurrence);
    if (recurrence) {
      return moveReminder(context, reminder, nextOccurrence(recurrence, context.now, reminder.timeZone));
    }
    const done = await finishReminder(context.tx, reminder.id, 'done');
    await context.scheduler.cancel(reminder.scheduleName ?? scheduleNameFor(reminder.id));
    return { done: reminderView(done ?? reminder, context.user.timeZone) };
  },
});

export const reminderTools = [
  createReminderTool,
  listRemindersTool,
  cancelReminderTool,
  snoozeReminderTool,
  rescheduleReminderTool,
  completeReminderTool,
];
