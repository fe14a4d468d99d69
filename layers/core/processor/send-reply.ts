import type { Reply } from '../assistant/replies';
import type { TenantScope } from '../db/database';
import { replyButtons, text } from '../whatsapp/graph/builders';
import { sendOnce } from '../outbound/send-once';
import type { OutboundMessage } from '../whatsapp/graph/outbound-schema';
import type { UserIdentity } from '../whatsapp/events';
import type { ProcessorDeps } from './deps';

/** What the send intents of every piece of the reply to an inbound message start with. */
export const replyIntentPrefix = (inboundWamid: string): string => `reply:${inboundWamid}:`;

/** Names the send intent of piece `index` of the reply to an inbound message. */
export const replyIntentKey = (inboundWamid: string, index: number): string =>
  `${replyIntentPrefix(inboundWamid)}${index}`;

/** Meta's limit for the body of an interactive message (FACTS.md). */
const INTERACTIVE_BODY_MAX = 1024;

const payloadsFor = (to: UserIdentity, reply: Reply, replyTo: string): OutboundMessage[] => {
  const recipient = { waId: to.waId, bsuid: to.bsuid };
  if (reply.buttons && reply.buttons.length > 0 && reply.text.length <= INTERACTIVE_BODY_MAX) {
    return [replyButtons(recipient, reply.text, reply.buttons, { replyTo, fit: true })];
  }
  return text(recipient, reply.text, { replyTo });
};

/**
 * Sends a reply at most once per inbound message: each piece is a send intent keyed by the
 * inbound wamid (see sendOnce), so a retried record skips what was already sent.
 */
export const sendReply = async (
  deps: Pick<ProcessorDeps, 'db' | 'graph' | 'clock' | 'metrics' | 'config'>,
  scope: Required<TenantScope>,
  phoneNumberId: string,
  to: UserIdentity,
  inboundWamid: string,
  reply: Reply,
): Promise<number> => {
  let sent = 0;
  for (const [index, payload] of payloadsFor(to, reply, inboundWamid).entries()) {
    const body = bodyOf(payload);
    const wamid = await sendOnce(deps, scope, {
      idempotencyKey: replyIntentKey(inboundWamid, index),
      phoneNumberId,
      payload,
      body,
      contextWamid: inboundWamid,
      // A reply is late past the window only when its message waited a day (a redrive): the
      // re-engagement template still carries it.
      ...(body && { fallback: { purpose: 'reengagement' as const, text: body } }),
    });
    if (wamid) sent++;
  }
  return sent;
};

const bodyOf = (payload: OutboundMessage): string | null => {
  if (payload.type === 'text') return payload.text.body;
  if (payload.type === 'interactive') return payload.interactive.body.text;
  return null;
};
