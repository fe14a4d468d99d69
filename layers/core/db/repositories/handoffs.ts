import * as z from 'zod/mini';
import { type Tx } from '../database';
import { parseFirstRow, parseRows, timestamp } from './rows';

const handoffRow = z.object({
  id: z.string(),
  messageWamid: z.string(),
  reason: z.nullable(z.string()),
  lastMessage: z.nullable(z.string()),
  status: z.enum(['open', 'closed']),
  createdAt: timestamp,
});
export type HandoffRequest = z.infer<typeof handoffRow>;

const HANDOFF_COLUMNS = `id, message_wamid AS "messageWamid", reason, last_message AS "lastMessage", status,
  created_at AS "createdAt"`;

export interface NewHandoffRequest {
  /** The inbound message that asked for a person. */
  readonly messageWamid: string;
  readonly reason?: string;
}

/**
 * Records the request, with the text of the message that asked, once per message: asking again while
 * answering the same message returns the first request.
 */
export async function recordHandoffRequest(
  tx: Tx,
  request: NewHandoffRequest,
): Promise<{ request: HandoffRequest; isNew: boolean }> {
  const { rows } = await tx.query(
    `INSERT INTO handoff_requests (message_wamid, reason, last_message)
     VALUES ($1, $2, (SELECT body FROM messages WHERE wamid = $1))
     ON CONFLICT (message_wamid) DO NOTHING
     RETURNING ${HANDOFF_COLUMNS}`,
    [request.messageWamid, request.reason ?? null],
  );
  const inserted = parseFirstRow(handoffRow, rows);
  if (inserted) return { request: inserted, isNew: true };
  const existing = await tx.query(
    `SELECT ${HANDOFF_COLUMNS} FROM handoff_requests WHERE message_wamid = $1`,
    [request.messageWamid],
  );
  const found = parseFirstRow(handoffRow, existing.rows);
  if (!found) throw new Error('A handoff request for this message belongs to another user');
  return { request: found, isNew: false };
}

export async function listHandoffRequests(tx: Tx, limit = 100): Promise<HandoffRequest[]> {
  const { rows } = await tx.query(
    `SELECT ${HANDOFF_COLUMNS} FROM handoff_requests ORDER BY created_at DESC LIMIT $1`,
    [limit],
  );
  return parseRows(handoffRow, rows);
}
