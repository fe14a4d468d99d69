import * as z from 'zod/mini';
import { type Tx } from '../database';
import { assertTimeZone, parseFirstRow, timestamp } from './rows';

export type ConsentStatus = 'opted_in' | 'opted_out';

const userRow = z.object({
  id: z.string(),
  tenantId: z.string(),
  waId: z.nullable(z.string()),
  bsuid: z.nullable(z.string()),
  name: z.nullable(z.string()),
  locale: z.string(),
  timeZone: z.string(),
  country: z.nullable(z.string()),
  consentStatus: z.enum(['opted_in', 'opted_out']),
  optedInAt: z.nullable(timestamp),
  optedOutAt: z.nullable(timestamp),
  windowExpiresAt: z.nullable(timestamp),
  lastInboundAt: z.nullable(timestamp),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type User = z.infer<typeof userRow>;

const USER_COLUMNS = `id, tenant_id AS "tenantId", wa_id AS "waId", bsuid, name, locale, time_zone AS "timeZone",
  country, consent_status AS "consentStatus", opted_in_at AS "optedInAt", opted_out_at AS "optedOutAt",
  window_expires_at AS "windowExpiresAt", last_inbound_at AS "lastInboundAt", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

const CURRENT_USER = 'id = app_current_user_id()';

// Meta: every message from the user opens or resets a 24-hour customer service window (FACTS.md).
const SERVICE_WINDOW = '24 hours';

async function updateCurrentUser(tx: Tx, assignments: string, params: readonly unknown[]): Promise<User> {
  const { rows } = await tx.query(
    `UPDATE users SET ${assignments} WHERE ${CURRENT_USER} RETURNING ${USER_COLUMNS}`,
    params,
  );
  const user = parseFirstRow(userRow, rows);
  if (!user) throw new Error('No current user: the transaction scope has no userId, or the user was erased');
  return user;
}

export async function getCurrentUser(tx: Tx): Promise<User | undefined> {
  const { rows } = await tx.query(`SELECT ${USER_COLUMNS} FROM users WHERE ${CURRENT_USER}`);
  return parseFirstRow(userRow, rows);
}

export interface ProfileChanges {
  readonly name?: string | null;
  readonly locale?: string;
  /** IANA name, e.g. America/Lima. */
  readonly timeZone?: string;
  /** ISO 3166-1 alpha-2, e.g. PE. */
  readonly country?: string | null;
}

const PROFILE_COLUMNS = {
  name: 'name',
  locale: 'locale',
  timeZone: 'time_zone',
  country: 'country',
} as const;

/** Changes only the fields given; null clears a nullable one. */
export async function updateProfile(tx: Tx, changes: ProfileChanges): Promise<User> {
  if (changes.timeZone !== undefined) assertTimeZone(changes.timeZone);
  const params: unknown[] = [];
  const assignments: string[] = [];
  for (const field of Object.keys(PROFILE_COLUMNS) as (keyof ProfileChanges)[]) {
    const value = changes[field];
    if (value === undefined) continue;
    params.push(value);
    assignments.push(`${PROFILE_COLUMNS[field]} = $${params.length}`);
  }
  if (assignments.length === 0) {
    const user = await getCurrentUser(tx);
    if (!user)
      throw new Error('No current user: the transaction scope has no userId, or the user was erased');
    return user;
  }
  return updateCurrentUser(tx, assignments.join(', '), params);
}

/** Opting out is honoured at once and kept until the user opts in again. */
export function setConsent(tx: Tx, status: ConsentStatus, at: Date): Promise<User> {
  return status === 'opted_in'
    ? updateCurrentUser(tx, "consent_status = 'opted_in', opted_in_at = $1", [at])
    : updateCurrentUser(tx, "consent_status = 'opted_out', opted_out_at = $1", [at]);
}

const inboundActivityRow = z.extend(userRow, { previousInboundAt: z.nullable(timestamp) });

export interface InboundActivity {
  readonly user: User;
  /** The user's latest message before this one (Meta's time); null for their first. */
  readonly previousInboundAt: Date | null;
}

/**
 * Records a message from the user at `at` (Meta's timestamp), which opens the customer service window.
 * Webhooks arrive out of order: an older message never shortens the window.
 */
export async function recordInboundActivity(tx: Tx, at: Date): Promise<InboundActivity> {
  // The CTE reads the row as it was before the update: every part of one statement sees the same snapshot.
  const { rows } = await tx.query(
    `WITH previous AS (SELECT last_inbound_at FROM users WHERE ${CURRENT_USER})
     UPDATE users SET last_inbound_at = GREATEST(last_inbound_at, $1),
       window_expires_at = GREATEST(window_expires_at, $1::timestamptz + interval '${SERVICE_WINDOW}')
     WHERE ${CURRENT_USER}
     RETURNING ${USER_COLUMNS}, (SELECT last_inbound_at FROM previous) AS "previousInboundAt"`,
    [at],
  );
  const row = parseFirstRow(inboundActivityRow, rows);
  if (!row) throw new Error('No current user: the transaction scope has no userId, or the user was erased');
  const { previousInboundAt, ...user } = row;
  return { user, previousInboundAt };
}

/**
 * Meta said a free-form message sent at `sentAt` found the window closed (error 131047): it is closed,
 * whatever our clock said, until the user writes again. A message from the user after `sentAt`
 * opened a new window, which this leaves alone. Returns whether the window changed.
 */
export async function closeServiceWindow(tx: Tx, sentAt: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE users SET window_expires_at = $1
     WHERE ${CURRENT_USER} AND (last_inbound_at IS NULL OR last_inbound_at <= $1)
       AND window_expires_at > $1`,
    [sentAt],
  );
  return rowCount === 1;
}

/** Erases the current user and, through the cascading foreign keys, everything the user owns. */
export async function eraseCurrentUser(tx: Tx): Promise<boolean> {
  const { rowCount } = await tx.query(`DELETE FROM users WHERE ${CURRENT_USER}`);
  return rowCount === 1;
}
