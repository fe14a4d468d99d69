import * as z from 'zod/mini';
import { type Tx } from '../database';
import { assertTimeZone, parseFirstRow, parseRows, timestamp } from './rows';

export type ReminderStatus = 'pending' | 'sent' | 'done' | 'cancelled';

const reminderRow = z.object({
  id: z.string(),
  text: z.string(),
  dueAt: timestamp,
  timeZone: z.string(),
  recurrence: z.nullable(z.string()),
  scheduleName: z.nullable(z.string()),
  status: z.enum(['pending', 'sent', 'done', 'cancelled']),
  version: z.number().check(z.int()),
  sourceWamid: z.nullable(z.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Reminder = z.infer<typeof reminderRow>;

const REMINDER_COLUMNS = `id, text, due_at AS "dueAt", time_zone AS "timeZone", recurrence,
  schedule_name AS "scheduleName", status, version, source_wamid AS "sourceWamid", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export interface NewReminder {
  readonly text: string;
  readonly dueAt: Date;
  /** The user's IANA zone: the schedule fires in it, and a recurrence follows its clock. */
  readonly timeZone: string;
  readonly recurrence?: string;
  readonly sourceWamid?: string;
}

export async function createReminder(tx: Tx, reminder: NewReminder): Promise<Reminder> {
  assertTimeZone(reminder.timeZone);
  const { rows } = await tx.query(
    `INSERT INTO reminders (text, due_at, time_zone, recurrence, source_wamid)
     VALUES ($1, $2, $3, $4, $5)
     RETURNING ${REMINDER_COLUMNS}`,
    [
      reminder.text,
      reminder.dueAt,
      reminder.timeZone,
      reminder.recurrence ?? null,
      reminder.sourceWamid ?? null,
    ],
  );
  return reminderRow.parse(rows[0]);
}

export async function getReminder(tx: Tx, id: string): Promise<Reminder | undefined> {
  const { rows } = await tx.query(`SELECT ${REMINDER_COLUMNS} FROM reminders WHERE id = $1`, [id]);
  return parseFirstRow(reminderRow, rows);
}

export interface ReminderFilter {
  readonly status?: ReminderStatus;
  /** Due at or after. */
  readonly from?: Date;
  /** Due before. */
  readonly to?: Date;
  readonly limit?: number;
}

const DEFAULT_LIST_LIMIT = 50;

/** Ordered by due time. */
export async function listReminders(tx: Tx, filter: ReminderFilter = {}): Promise<Reminder[]> {
  const { rows } = await tx.query(
    `SELECT ${REMINDER_COLUMNS} FROM reminders
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::timestamptz IS NULL OR due_at >= $2)
       AND ($3::timestamptz IS NULL OR due_at < $3)
     ORDER BY due_at, id
     LIMIT $4`,
    [filter.status ?? null, filter.from ?? null, filter.to ?? null, filter.limit ?? DEFAULT_LIST_LIMIT],
  );
  return parseRows(reminderRow, rows);
}

/** Records the EventBridge Scheduler schedule created for the reminder. */
export async function attachSchedule(
  tx: Tx,
  id: string,
  scheduleName: string,
): Promise<Reminder | undefined> {
  const { rows } = await tx.query(
    `UPDATE reminders SET schedule_name = $2 WHERE id = $1 RETURNING ${REMINDER_COLUMNS}`,
    [id, scheduleName],
  );
  return parseFirstRow(reminderRow, rows);
}

/**
 * Moves the reminder to a new time (a user's change, or a recurrence's next occurrence) and bumps its version,
 * so the schedule of the old time finds itself stale. Undefined when the reminder is gone, finished, or was
 * changed since `expectedVersion` was read.
 */
export async function rescheduleReminder(
  tx: Tx,
  id: string,
  change: { readonly dueAt: Date; readonly expectedVersion: number },
): Promise<Reminder | undefined> {
  const { rows } = await tx.query(
    `UPDATE reminders SET due_at = $2, status = 'pending', version = version + 1
     WHERE id = $1 AND version = $3 AND status IN ('pending', 'sent')
     RETURNING ${REMINDER_COLUMNS}`,
    [id, change.dueAt, change.expectedVersion],
  );
  return parseFirstRow(reminderRow, rows);
}

/**
 * Claims a firing: true once for a pending reminder whose version matches the schedule's; false for a
 * duplicate delivery, a stale schedule, or a cancelled reminder.
 */
export async function markReminderSent(tx: Tx, id: string, version: number): Promise<boolean> {
  const { rowCount } = await tx.query(
    "UPDATE reminders SET status = 'sent' WHERE id = $1 AND version = $2 AND status = 'pending'",
    [id, version],
  );
  return rowCount === 1;
}

/** Marks the reminder done or cancelled; a finished reminder stays as it is. */
export async function finishReminder(
  tx: Tx,
  id: string,
  status: Extract<ReminderStatus, 'done' | 'cancelled'>,
): Promise<Reminder | undefined> {
  const { rows } = await tx.query(
    `UPDATE reminders SET status = $2 WHERE id = $1 AND status IN ('pending', 'sent')
     RETURNING ${REMINDER_COLUMNS}`,
    [id, status],
  );
  return parseFirstRow(reminderRow, rows);
}
