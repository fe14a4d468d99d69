import type { Database, TenantScope } from '../db/database';
import { type ErasureExemption, eraseCurrentUserData, lockScheduledReminders } from '../db/repositories';
import type { ReminderScheduler } from '../ports/scheduler';

/**
 * A tap on "yes, delete" counts only this soon after the question: an old button, tapped by mistake
 * while scrolling back, must not erase what the user saved since.
 */
export const ERASURE_CONFIRMATION_TTL_MS = 10 * 60_000;

/** Judged on Meta's timestamp of the tap, so a retried or redelivered tap gets the same answer. */
export const erasureConfirmationValid = (askedAt: Date, tappedAt: Date): boolean => {
  const elapsed = tappedAt.getTime() - askedAt.getTime();
  // A tap cannot precede its question; a minute's slack covers clocks that disagree.
  return elapsed >= -60_000 && elapsed <= ERASURE_CONFIRMATION_TTL_MS;
};

export interface ErasureResult {
  /** Rows deleted per table. */
  readonly deleted: Record<string, number>;
  /** Reminder schedules cancelled. */
  readonly schedules: number;
}

/**
 * Erases what a user owns: their reminders' schedules first, then every row but their identity (see
 * eraseCurrentUserData). The user row stays, so the user keeps the same id: other processor instances cache
 * it, the confirmation is recorded and delivered against it, and an opt-out keeps being honoured.
 *
 * The schedules are cancelled inside the transaction: if a cancel fails, nothing is deleted and the retried
 * message starts over; cancelling a schedule that is already gone is a no-op, so starting over is safe.
 */
export const eraseUserData = async (
  deps: { readonly db: Database; readonly scheduler: ReminderScheduler },
  scope: Required<TenantScope>,
  exempt: ErasureExemption,
): Promise<ErasureResult> =>
  deps.db.transaction(scope, async (tx) => {
    const schedules = await lockScheduledReminders(tx);
    for (const name of schedules) await deps.scheduler.cancel(name);
    return { deleted: await eraseCurrentUserData(tx, exempt), schedules: schedules.length };
  });
