import { createHash } from 'node:crypto';
import { type Queryable } from '../db/database';
import type { DeadLetteredMessage } from './ports';

/**
 * The history of every processing-DLQ message lives in `dead_letters`, append-only: one row per redrive
 * (external id `<key>#<n>`, status `redriven`, redrive_count n) and one when it is parked (`<key>#parked`).
 *
 * Append-only because the function connects as the application login: row-level security (migration 0006) lets
 * it insert a dead letter outside any user's scope but not read or update one, so a counter row could never be
 * incremented. The unique (source, external_id) key works regardless of visibility, so "has it been redriven n
 * times" is answered by whether row n exists. `ON CONFLICT DO NOTHING` names no target on purpose: with one
 * (`ON CONFLICT (source, external_id)`) Postgres also checks the new row against the SELECT policy, which an
 * unscoped row fails (the history test runs as the application role to keep this true).
 */
export const DLQ_SOURCE = 'processor-dlq';

/**
 * Identifies a message across moves. SQS gives a moved message a new id, and a FIFO DLQ replaces the
 * deduplication id with the failed message's id (SQS Developer Guide, "dead-letter queue redrive"), so neither
 * survives a round trip; the group and the body (which carries the webhook event id) do.
 */
export const messageKey = (message: Pick<DeadLetteredMessage, 'groupId' | 'body'>): string =>
  `sha256:${createHash('sha256').update(message.groupId).update('\n').update(message.body).digest('hex')}`;

const INSERT_ROW = `INSERT INTO dead_letters
    (tenant_id, user_id, source, reason, payload, receive_count, last_error, redrive_count, status, external_id)
  VALUES (NULL, NULL, $1, $2, $3::jsonb, $4, $5, $6, $7, $8)
  ON CONFLICT DO NOTHING`;

const insertRow = async (
  db: Queryable,
  message: DeadLetteredMessage,
  row: { externalId: string; reason: string; redriveCount: number; status: 'redriven' | 'parked' },
): Promise<boolean> => {
  const payload = JSON.stringify({
    messageId: message.messageId,
    groupId: message.groupId,
    body: message.body,
  });
  const { rowCount } = await db.query(INSERT_ROW, [
    DLQ_SOURCE,
    row.reason,
    payload,
    message.receiveCount,
    message.lastError ?? null,
    row.redriveCount,
    row.status,
    row.externalId,
  ]);
  return rowCount === 1;
};

/**
 * Whether the message has been redriven `times` times. Must run inside a transaction: the probe inserts row
 * `times` and rolls back to a savepoint, because a conflict is the one answer the application role can see.
 */
export async function hasBeenRedriven(tx: Queryable, key: string, times: number): Promise<boolean> {
  await tx.query('SAVEPOINT redrive_probe');
  const { rowCount } = await tx.query(
    `INSERT INTO dead_letters (tenant_id, user_id, source, reason, payload, external_id)
     VALUES (NULL, NULL, $1, 'probe', '{}'::jsonb, $2)
     ON CONFLICT DO NOTHING`,
    [DLQ_SOURCE, `${key}#${times}`],
  );
  await tx.query('ROLLBACK TO SAVEPOINT redrive_probe');
  await tx.query('RELEASE SAVEPOINT redrive_probe');
  return rowCount === 0;
}

/** Records that the message is parked for a human; false when an earlier run already did. */
export const recordParked = (
  db: Queryable,
  message: DeadLetteredMessage,
  key: string,
  maxRedrives: number,
): Promise<boolean> =>
  insertRow(db, message, {
    externalId: `${key}#parked`,
    reason: `dead-lettered again after ${maxRedrives} redrives`,
    redriveCount: maxRedrives,
    status: 'parked',
  });

/**
 * Records one more redrive of the message and returns its number, or undefined when all `maxRedrives` are
 * already recorded (another run counted it first).
 */
export async function recordRedrive(
  db: Queryable,
  message: DeadLetteredMessage,
  key: string,
  maxRedrives: number,
): Promise<number | undefined> {
  for (let n = 1; n <= maxRedrives; n++) {
    const recorded = await insertRow(db, message, {
      externalId: `${key}#${n}`,
      reason: `redrive ${n} of ${maxRedrives}`,
      redriveCount: n,
      status: 'redriven',
    });
    if (recorded) return n;
  }
  return undefined;
}
