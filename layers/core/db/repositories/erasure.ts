import * as z from 'zod/mini';
import { type Tx } from '../database';
import { parseRows } from './rows';

/**
 * Every table that holds rows a user owns, except `messages` (erased apart, see below) and `users`. A new
 * user-owned table belongs here: the erasure test finds the tables in the catalog and fails until it is.
 */
export const USER_DATA_TABLES = [
  'reminders',
  'calendar_events',
  'expenses',
  'user_memory',
  'preferences',
  'ai_usage',
  'tool_executions',
  'dead_letters',
  'handoff_requests',
] as const;

/** The exchange that confirms the erasure, which must outlive it. */
export interface ErasureExemption {
  /** The inbound message that confirmed: kept, so Meta redelivering it finds it already answered. */
  readonly inboundWamid: string;
  /** Send intents of its reply start with this: kept, so a retry never sends the confirmation twice. */
  readonly replyKeyPrefix: string;
}

const scheduleRow = z.object({ scheduleName: z.string() });

/**
 * The schedules of the user's reminders, with the reminders locked until the transaction ends: a reminder
 * firing meanwhile waits, then finds nothing to send.
 */
export async function lockScheduledReminders(tx: Tx): Promise<string[]> {
  const { rows } = await tx.query(
    `SELECT schedule_name AS "scheduleName" FROM reminders
     WHERE user_id = app_current_user_id() AND schedule_name IS NOT NULL
     FOR UPDATE`,
  );
  return parseRows(scheduleRow, rows).map((row) => row.scheduleName);
}

/**
 * Deletes everything the current user owns but their identity: the user row stays with its ids, language,
 * time zone, consent and service window, and loses the profile name. Returns the rows deleted per table.
 */
export async function eraseCurrentUserData(
  tx: Tx,
  exempt: ErasureExemption,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const table of USER_DATA_TABLES) {
    const { rowCount } = await tx.query(`DELETE FROM ${table} WHERE user_id = app_current_user_id()`);
    deleted[table] = rowCount;
  }
  const { rowCount } = await tx.query(
    `DELETE FROM messages
     WHERE user_id = app_current_user_id()
       AND wamid IS DISTINCT FROM $1
       AND NOT COALESCE(starts_with(idempotency_key, $2), false)`,
    [exempt.inboundWamid, exempt.replyKeyPrefix],
  );
  deleted.messages = rowCount;
  await tx.query('UPDATE users SET name = NULL WHERE id = app_current_user_id()');
  return deleted;
}
