import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { type Queryable } from '../database';
import { json, type Json, jsonParam, parseFirstRow, parseRows, timestamp } from './rows';

// Unlike the other repositories these take any Queryable: a poison record may belong to no known user, so it
// is recorded outside a scope, and operators list and redrive dead letters as the owner.

export type DeadLetterStatus = 'open' | 'redriven' | 'parked' | 'resolved';

const deadLetterRow = z.object({
  id: z.string(),
  tenantId: z.nullable(z.string()),
  userId: z.nullable(z.string()),
  source: z.string(),
  reason: z.string(),
  payload: json,
  receiveCount: z.number().check(z.int()),
  lastError: z.nullable(z.string()),
  redriveCount: z.number().check(z.int()),
  status: z.enum(['open', 'redriven', 'parked', 'resolved']),
  externalId: z.nullable(z.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type DeadLetter = z.infer<typeof deadLetterRow>;

const DEAD_LETTER_COLUMNS = `id, tenant_id AS "tenantId", user_id AS "userId", source, reason, payload,
  receive_count AS "receiveCount", last_error AS "lastError", redrive_count AS "redriveCount", status,
  external_id AS "externalId", created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface DeadLetterRecord {
  /** Where it failed, e.g. processor, reminder. */
  readonly source: string;
  readonly reason: string;
  readonly payload: Json;
  readonly receiveCount: number;
  readonly lastError?: string;
  /** The queue's message id. */
  readonly externalId?: string;
  /** Default to the transaction's scope; null or absent outside one. */
  readonly tenantId?: string;
  readonly userId?: string;
}

/**
 * Records a failed record; `isNew` is false when this source already recorded the external id. The id is
 * generated here rather than returned by the INSERT: RETURNING needs read access to the new row, which the
 * application role lacks for a row outside its scope. For the same reason the conflict clause names no target:
 * `ON CONFLICT (source, external_id)` makes Postgres check the new row against the SELECT policy, and a row
 * with no user fails it.
 */
export async function recordDeadLetter(
  db: Queryable,
  record: DeadLetterRecord,
): Promise<{ id: string; isNew: boolean }> {
  const id = randomUUID();
  const { rowCount } = await db.query(
    `INSERT INTO dead_letters (id, tenant_id, user_id, source, reason, payload, receive_count, last_error,
       external_id)
     VALUES ($1, COALESCE($2::uuid, app_current_tenant_id()), COALESCE($3::uuid, app_current_user_id()), $4, $5,
       $6::jsonb, $7, $8, $9)
     ON CONFLICT DO NOTHING`,
    [
      id,
      record.tenantId ?? null,
      record.userId ?? null,
      record.source,
      record.reason,
      jsonParam(record.payload),
      record.receiveCount,
      record.lastError ?? null,
      record.externalId ?? null,
    ],
  );
  return { id, isNew: rowCount === 1 };
}

const DEFAULT_LIST_LIMIT = 100;

/** Oldest first: the order to work through them in. */
export async function listDeadLetters(
  db: Queryable,
  filter: { readonly status?: DeadLetterStatus; readonly limit?: number } = {},
): Promise<DeadLetter[]> {
  const { rows } = await db.query(
    `SELECT ${DEAD_LETTER_COLUMNS} FROM dead_letters
     WHERE ($1::text IS NULL OR status = $1)
     ORDER BY created_at, id
     LIMIT $2`,
    [filter.status ?? null, filter.limit ?? DEFAULT_LIST_LIMIT],
  );
  return parseRows(deadLetterRow, rows);
}

/** Moving to `redriven` also counts the redrive. */
export async function setDeadLetterStatus(
  db: Queryable,
  id: string,
  status: DeadLetterStatus,
): Promise<DeadLetter | undefined> {
  const { rows } = await db.query(
    `UPDATE dead_letters
     SET status = $2, redrive_count = redrive_count + CASE WHEN $2 = 'redriven' THEN 1 ELSE 0 END
     WHERE id = $1
     RETURNING ${DEAD_LETTER_COLUMNS}`,
    [id, status],
  );
  return parseFirstRow(deadLetterRow, rows);
}
