import * as z from 'zod/mini';
import { type Tx } from '../database';
import { json, type Json, jsonParam, numeric, parseFirstRow, parseRows, timestamp } from './rows';

export type OutboundStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
export type MessageStatus = 'received' | OutboundStatus;

const messageRow = z.object({
  id: z.string(),
  wamid: z.nullable(z.string()),
  direction: z.enum(['in', 'out']),
  type: z.string(),
  body: z.nullable(z.string()),
  payload: json,
  status: z.enum(['received', 'pending', 'sent', 'delivered', 'read', 'failed']),
  statusUpdatedAt: z.nullable(timestamp),
  error: z.nullable(json),
  contextWamid: z.nullable(z.string()),
  pricingCategory: z.nullable(z.string()),
  pricingType: z.nullable(z.string()),
  costUsd: z.nullable(numeric),
  idempotencyKey: z.nullable(z.string()),
  templateFallback: z.nullable(json),
  occurredAt: timestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Message = z.infer<typeof messageRow>;

const MESSAGE_COLUMNS = `id, wamid, direction, type, body, payload, status, status_updated_at AS "statusUpdatedAt",
  error, context_wamid AS "contextWamid", pricing_category AS "pricingCategory", pricing_type AS "pricingType",
  cost_usd AS "costUsd", idempotency_key AS "idempotencyKey", template_fallback AS "templateFallback",
  occurred_at AS "occurredAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface InboundMessage {
  readonly wamid: string;
  readonly type: string;
  /** Text, caption or button title; null for types without one. */
  readonly body: string | null;
  /** The message object as Meta sent it, unknown types included. */
  readonly payload: Json;
  readonly contextWamid?: string;
  /** Meta's timestamp. */
  readonly occurredAt: Date;
}

/**
 * What storing an inbound message found. A redelivery finds what an earlier attempt left: the body as it
 * is now (a voice note's transcript, once heard), and its reply's send intent: `none` (no intent: never
 * sent, or Meta refused it), `sent` (Meta gave it a wamid), or `unknown` (an attempt stopped between
 * recording the intent and learning the result).
 */
export type StoredInbound =
  | { readonly isNew: true }
  | { readonly isNew: false; readonly body: string | null; readonly reply: 'none' | 'sent' | 'unknown' };

const storedInboundRow = z.object({
  isNew: z.boolean(),
  body: z.nullable(z.string()),
  replySent: z.nullable(z.boolean()),
});

/**
 * Stores an inbound message; Meta redelivers webhooks, and a wamid already stored changes nothing. The same
 * statement reads what a redelivery needs, with `replyKey` naming the send intent of its reply, so a
 * message already answered costs one statement. Every part of a statement sees the snapshot from before
 * the insert: for a new message both lookups find nothing.
 */
export async function insertInboundMessage(
  tx: Tx,
  message: InboundMessage,
  replyKey: string,
): Promise<StoredInbound> {
  const { rows } = await tx.query(
    `WITH inserted AS (
       INSERT INTO messages (wamid, direction, type, body, payload, status, context_wamid, occurred_at)
       VALUES ($1, 'in', $2, $3, $4::jsonb, 'received', $5, $6)
       ON CONFLICT (wamid) DO NOTHING
       RETURNING 1
     )
     SELECT EXISTS (SELECT FROM inserted) AS "isNew",
       (SELECT body FROM messages WHERE wamid = $1 AND direction = 'in') AS body,
       (SELECT wamid IS NOT NULL FROM messages WHERE idempotency_key = $7) AS "replySent"`,
    [
      message.wamid,
      message.type,
      message.body,
      jsonParam(message.payload),
      message.contextWamid ?? null,
      message.occurredAt,
      replyKey,
    ],
  );
  const row = storedInboundRow.parse(rows[0]);
  if (row.isNew) return { isNew: true };
  return {
    isNew: false,
    body: row.body,
    reply: row.replySent === null ? 'none' : row.replySent ? 'sent' : 'unknown',
  };
}

/** The text an inbound message stands for, once known: a voice note's transcript, a photo's description. */
export async function setInboundBody(tx: Tx, wamid: string, body: string): Promise<void> {
  await tx.query("UPDATE messages SET body = $2 WHERE wamid = $1 AND direction = 'in'", [wamid, body]);
}

/**
 * Why an inbound message could not be understood (media without a model key, a failed transcription):
 * kept with the message, so support sees it in the user's history and erasing the user erases it.
 */
export async function recordInboundError(tx: Tx, wamid: string, error: Json): Promise<void> {
  await tx.query("UPDATE messages SET error = $2::jsonb WHERE wamid = $1 AND direction = 'in'", [
    wamid,
    jsonParam(error),
  ]);
}

export interface OutboundMessage {
  /** Names the send intent, so a retried send finds it instead of sending again. */
  readonly idempotencyKey?: string;
  /** Known when recording a message already accepted by the Graph API. */
  readonly wamid?: string;
  readonly type: string;
  readonly body: string | null;
  /** The request body sent to the Graph API. */
  readonly payload: Json;
  readonly contextWamid?: string;
  readonly occurredAt?: Date;
  /** The template request body to send instead if Meta reports the window closed (131047). */
  readonly templateFallback?: Json;
}

/**
 * Records an outbound message, status `pending` until Meta reports on it. When the idempotency key or wamid
 * is already recorded, returns that message with `isNew: false`.
 */
export async function recordOutboundMessage(
  tx: Tx,
  message: OutboundMessage,
): Promise<{ message: Message; isNew: boolean }> {
  const inserted = await tx.query(
    `INSERT INTO messages (idempotency_key, wamid, direction, type, body, payload, status, context_wamid, occurred_at,
       template_fallback)
     VALUES ($1, $2, 'out', $3, $4, $5::jsonb, 'pending', $6, COALESCE($7, now()), $8::jsonb)
     ON CONFLICT DO NOTHING
     RETURNING ${MESSAGE_COLUMNS}`,
    [
      message.idempotencyKey ?? null,
      message.wamid ?? null,
      message.type,
      message.body,
      jsonParam(message.payload),
      message.contextWamid ?? null,
      message.occurredAt ?? null,
      jsonParam(message.templateFallback),
    ],
  );
  const created = parseFirstRow(messageRow, inserted.rows);
  if (created) return { message: created, isNew: true };

  const existing = await tx.query(
    `SELECT ${MESSAGE_COLUMNS} FROM messages
     WHERE direction = 'out' AND (idempotency_key = $1 OR wamid = $2)`,
    [message.idempotencyKey ?? null, message.wamid ?? null],
  );
  const found = parseFirstRow(messageRow, existing.rows);
  if (!found) throw new Error('Outbound message conflicts with a message outside this scope');
  return { message: found, isNew: false };
}

/** Stores the wamid the Graph API assigned to a send intent. */
export async function assignOutboundWamid(
  tx: Tx,
  idempotencyKey: string,
  wamid: string,
): Promise<Message | undefined> {
  const { rows } = await tx.query(
    `UPDATE messages SET wamid = $2
     WHERE idempotency_key = $1 AND direction = 'out' AND (wamid IS NULL OR wamid = $2)
     RETURNING ${MESSAGE_COLUMNS}`,
    [idempotencyKey, wamid],
  );
  return parseFirstRow(messageRow, rows);
}

/**
 * Forgets a send intent whose request Meta answered with an error: nothing was sent, so a retry
 * may send it. An intent with an unknown outcome (a timeout, a crash) is kept, and never resent.
 */
export async function discardSendIntent(tx: Tx, idempotencyKey: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    "DELETE FROM messages WHERE idempotency_key = $1 AND direction = 'out' AND wamid IS NULL",
    [idempotencyKey],
  );
  return rowCount === 1;
}

export interface StatusUpdate {
  readonly wamid: string;
  readonly status: OutboundStatus;
  /** Meta's timestamp of the status. */
  readonly at: Date;
  /** Meta's `errors` array, for `failed`. */
  readonly error?: Json;
  readonly pricingCategory?: string;
  readonly pricingType?: string;
}

/**
 * Applies a status webhook. The status only moves forward (see app_message_status_advances); pricing is
 * kept whatever the order, since a skipped-over status may be the one that carried it. Returns the
 * message as it now stands and whether the status moved, or undefined when no outbound message has
 * this wamid.
 */
export async function updateMessageStatus(
  tx: Tx,
  update: StatusUpdate,
): Promise<{ status: MessageStatus; advanced: boolean; message: Message } | undefined> {
  const { rows } = await tx.query(
    `WITH target AS (
       SELECT id, app_message_status_advances(status, $2) AS advances
       FROM messages WHERE wamid = $1 AND direction = 'out'
       FOR UPDATE
     )
     UPDATE messages SET
       status = CASE WHEN target.advances THEN $2 ELSE messages.status END,
       status_updated_at = CASE WHEN target.advances THEN $3 ELSE messages.status_updated_at END,
       error = CASE WHEN target.advances AND $2 = 'failed' THEN $4::jsonb ELSE messages.error END,
       pricing_category = COALESCE($5, messages.pricing_category),
       pricing_type = COALESCE($6, messages.pricing_type)
     FROM target
     WHERE messages.id = target.id
     -- target has an id too: name the message's.
     RETURNING ${MESSAGE_COLUMNS.replace(/^id,/, 'messages.id,')}, target.advances AS advanced`,
    [
      update.wamid,
      update.status,
      update.at,
      jsonParam(update.error),
      update.pricingCategory ?? null,
      update.pricingType ?? null,
    ],
  );
  const row = parseFirstRow(z.object({ ...messageRow.shape, advanced: z.boolean() }), rows);
  if (!row) return undefined;
  const { advanced, ...message } = row;
  return { status: message.status, advanced, message };
}

/**
 * Stores what Meta charges for a message, once: returns false, and changes nothing, when the message
 * already has a cost (a redelivered or later status carrying the same pricing).
 */
export async function recordMessageCost(tx: Tx, wamid: string, costUsd: number): Promise<boolean> {
  const { rowCount } = await tx.query(
    "UPDATE messages SET cost_usd = $2 WHERE wamid = $1 AND direction = 'out' AND cost_usd IS NULL",
    [wamid, String(costUsd)],
  );
  return rowCount === 1;
}

const dailyCostRow = z.object({
  userId: z.string(),
  /** The UTC day the messages were sent, `yyyy-MM-dd`. */
  day: z.string(),
  costUsd: numeric,
  /** Messages with a cost that day, free ones included. */
  messages: z.coerce.number(),
});
export type DailyMessageCost = z.infer<typeof dailyCostRow>;

/**
 * Meta's charges per user and UTC day (the day of the send, as on the cost dashboard), for messages
 * sent in [from, to). Row-level security limits it to the transaction's user; the owner role sees all.
 */
export async function sumMessageCostsByDay(
  tx: Tx,
  range: { from: Date; to: Date },
): Promise<DailyMessageCost[]> {
  const { rows } = await tx.query(
    `SELECT user_id AS "userId", to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
       sum(cost_usd) AS "costUsd", count(*) AS messages
     FROM messages
     WHERE direction = 'out' AND cost_usd IS NOT NULL AND created_at >= $1 AND created_at < $2
     GROUP BY 1, 2
     ORDER BY 1, 2`,
    [range.from, range.to],
  );
  return parseRows(dailyCostRow, rows);
}

/** A message as the assistant's history reads it: who said what. */
const turnRow = z.object({
  wamid: z.nullable(z.string()),
  direction: z.enum(['in', 'out']),
  body: z.nullable(z.string()),
});
export type ConversationTurn = z.infer<typeof turnRow>;

/**
 * The latest messages of the conversation, oldest first, with only what the assistant's context reads:
 * every turn runs this, and payloads, errors and timestamps would be fetched and parsed for nothing.
 */
export async function listRecentTurns(tx: Tx, limit: number): Promise<ConversationTurn[]> {
  const { rows } = await tx.query(
    `SELECT wamid, direction, body FROM (
       SELECT wamid, direction, body, created_at, id FROM messages ORDER BY created_at DESC, id DESC LIMIT $1
     ) recent
     ORDER BY created_at, id`,
    [limit],
  );
  return parseRows(turnRow, rows);
}

const olderMessageRow = z.object({ body: z.string(), occurredAt: timestamp, createdAt: z.string() });
export type OlderMessage = z.infer<typeof olderMessageRow>;

/**
 * What the user wrote before the `keepRecent` newest messages of the conversation (which the assistant
 * still reads whole) and after `after`, oldest first. `createdAt` is Postgres' full-precision text, so it
 * can be passed back as `after` without losing the microseconds a JavaScript Date would drop.
 */
export async function listOlderInboundMessages(
  tx: Tx,
  options: { keepRecent: number; after?: string; limit: number },
): Promise<OlderMessage[]> {
  const { rows } = await tx.query(
    `SELECT body, occurred_at AS "occurredAt", created_at::text AS "createdAt"
     FROM messages
     WHERE direction = 'in' AND btrim(COALESCE(body, '')) <> ''
       AND ($1::timestamptz IS NULL OR created_at > $1::timestamptz)
       AND created_at < (SELECT min(created_at) FROM (
         SELECT created_at FROM messages ORDER BY created_at DESC, id DESC LIMIT $2) recent)
     ORDER BY created_at, id
     LIMIT $3`,
    [options.after ?? null, options.keepRecent, options.limit],
  );
  return parseRows(olderMessageRow, rows);
}
