import type { Database, TenantScope, Tx } from '../db/database';
import { attachSchedule, type Reminder, rescheduleReminder } from '../db/repositories';
import type { ReminderScheduler } from '../ports/scheduler';
import { nextOccurrence, parseRecurrence, type Recurrence } from '../tools/recurrence';

/** The first occurrence after the one that fired and after now: a late fire skips what it missed rather than sending a burst. */
const nextDue = (recurrence: Recurrence, fired: Reminder, now: Date): Date => {
  let next = nextOccurrence(recurrence, fired.dueAt, fired.timeZone);
  while (next.getTime() <= now.getTime()) next = nextOccurrence(recurrence, next, fired.timeZone);
  return next;
};

/**
 * Moves the reminder to `dueAt` as a new version and schedules that version, in the caller's transaction:
 * if scheduling fails the move rolls back with it. Undefined when the reminder changed since `reminder`
 * was read (its version moved on, or it is done or cancelled).
 */
export const moveAndSchedule = async (
  tx: Tx,
  scheduler: ReminderScheduler,
  scope: Required<TenantScope>,
  reminder: Reminder,
  dueAt: Date,
): Promise<Reminder | undefined> => {
  const moved = await rescheduleReminder(tx, reminder.id, { dueAt, expectedVersion: reminder.version });
  if (!moved) return undefined;
  const scheduleName = await scheduler.schedule({
    reminderId: moved.id,
    version: moved.version,
    tenantId: scope.tenantId,
    userId: scope.userId,
    dueAt: moved.dueAt,
    timeZone: moved.timeZone,
  });
  return (await attachSchedule(tx, moved.id, scheduleName)) ?? moved;
};

/**
 * Moves a recurring reminder that just fired to its next occurrence (bumping its version) and schedules
 * that, in one transaction: if scheduling fails the move rolls back and the fire's retry re-arms. The
 * version check makes it happen once however often the fire is retried or duplicated. Undefined for a
 * one-off reminder, or one changed since it fired (snoozed, done, cancelled, already re-armed).
 */
export const rearmRecurring = async (
  deps: { readonly db: Database; readonly scheduler: ReminderScheduler },
  scope: Required<TenantScope>,
  fired: Reminder,
  now: Date,
): Promise<Reminder | undefined> => {
  const recurrence = parseRecurrence(fired.recurrence);
  if (!recurrence) return undefined;
  const dueAt = nextDue(recurrence, fired, now);
  return deps.db.transaction(scope, (tx) => moveAndSchedule(tx, deps.scheduler, scope, fired, dueAt));
};
