import { loadUserPreferences, quietHoursEnd } from '../assistant/user-preferences';
import type { TenantScope, Tx } from '../db/database';
import { getCurrentUser, getReminder, type Reminder } from '../db/repositories';
import type { Clock } from '../ports/clock';
import type { ReminderFire, ReminderScheduler } from '../ports/scheduler';
import { moveAndSchedule } from './rearm';

/**
 * A reminder that fires inside the user's quiet hours (a preference, e.g. "22:00-07:00" on their clock)
 * is not sent: it becomes due again when the quiet hours end, as a new version with its own schedule, so
 * this fire sends nothing and the later one finds the reminder pending. A recurring reminder keeps its
 * series: its next occurrence is computed from its recurrence rule, not from the delayed time. Undefined
 * when the fire may go ahead: no quiet hours, outside them, or a fire that is stale anyway.
 */
export const delayForQuietHours = async (
  tx: Tx,
  deps: { readonly scheduler: ReminderScheduler; readonly clock: Clock },
  scope: Required<TenantScope>,
  fire: ReminderFire,
): Promise<Reminder | undefined> => {
  // Cheapest question first: most users keep no quiet hours, and their fire then costs one read here.
  const { quietHours } = await loadUserPreferences(tx);
  if (!quietHours) return undefined;
  const user = await getCurrentUser(tx);
  const end = user && quietHoursEnd(quietHours, deps.clock.now(), user.timeZone);
  if (!end) return undefined;
  const reminder = await getReminder(tx, fire.reminderId);
  if (reminder?.version !== fire.version || reminder.status !== 'pending') return undefined;
  return moveAndSchedule(tx, deps.scheduler, scope, reminder, end);
};
