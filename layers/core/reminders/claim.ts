import * as z from 'zod/mini';
import type { Tx } from '../db/database';
import { getCurrentUser, getReminder, markReminderSent, type Reminder, type User } from '../db/repositories';
import type { ReminderFire } from '../ports/scheduler';

export type SkipReason = 'not_found' | 'stale' | 'finished';

export type Claim =
  | { readonly kind: 'skip'; readonly reason: SkipReason }
  | {
      readonly kind: 'fire';
      /** The reminder at the fired version, now `sent`. */
      readonly reminder: Reminder;
      readonly user: User;
      readonly phoneNumberId: string;
    };

const tenantRow = z.object({ phoneNumberId: z.string() });

/** The business number the user talks to; row-level security shows the application only its own tenant. */
const currentPhoneNumberId = async (tx: Tx): Promise<string | undefined> => {
  const { rows } = await tx.query(
    'SELECT phone_number_id AS "phoneNumberId" FROM tenants WHERE id = app_current_tenant_id()',
  );
  return rows[0] === undefined ? undefined : tenantRow.parse(rows[0]).phoneNumberId;
};

/**
 * Claims a fire of `fire.version`, in the user's scope. A reminder already `sent` at that version is
 * still a claim: the invocation is either a duplicate or a retry after Meta refused the send, and the
 * send intent tells which (see sendOnce). Anything else (a later version, a cancelled or done
 * reminder, an erased user) is skipped.
 */
export const claimFire = async (tx: Tx, fire: ReminderFire): Promise<Claim> => {
  await markReminderSent(tx, fire.reminderId, fire.version);
  // Read after the claim, so a cancel or snooze that committed first is seen here.
  const reminder = await getReminder(tx, fire.reminderId);
  const user = await getCurrentUser(tx);
  const phoneNumberId = await currentPhoneNumberId(tx);
  if (!reminder || !user || !phoneNumberId) return { kind: 'skip', reason: 'not_found' };
  if (reminder.version !== fire.version) return { kind: 'skip', reason: 'stale' };
  if (reminder.status !== 'sent') return { kind: 'skip', reason: 'finished' };
  return { kind: 'fire', reminder, user, phoneNumberId };
};
