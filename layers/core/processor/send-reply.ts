import type { Reply } from '../assistant/replies';
import type { TenantScope } from '../db/database';
import { assignOutboundWamid, discardSendIntent, recordOutboundMessage } from '../db/repositories';
import { replyButtons, text } from '../whatsapp/graph/builders';
import { GraphPermanentError, GraphTransientError } from '../whatsapp/graph/errors';
import type { OutboundMessage } from '../whatsapp/graph/outbound-schema';
import type { UserIdentity } from '../whatsapp/events';
import type { ProcessorDeps } from './deps';

/** Meta's limit for the body of an interactive message (FACTS.md). */
const INTERACTIVE_BODY_MAX = 1024;

const payloadsFor = (to: UserIdentity, reply: Reply, replyTo: string): OutboundMessage[] => {
  const recipient = { waId: to.waId, bsuid: to.bsuid };
  if (reply.buttons && reply.buttons.length > 0 && reply.text.length <= INTERACTIVE_BODY_MAX) {
    return [replyButtons(recipient, reply.text, reply.buttons, { replyTo, fit: true })];
  }
  return text(recipient, reply.text, { replyTo });
};

/** A Graph error that carries Meta's answer means the request was refused: nothing reached the user. */
const definitelyNotSent = (error: unknown): boolean =>
  (error instanceof GraphTransientError || error instanceof GraphPermanentError) &&
  error.status !== undefined;

/**
 * Sends a reply at most once per inbound message. Each piece is recorded as a send intent keyed
 * by the inbound wamid before the Graph API is called; a retried record finds the intent and
 * skips it. If Meta refused the request the intent is discarded so the retry can send; if the
 * outcome is unknown (a timeout, a crash) the intent stays and the piece is never sent twice.
 */
export const sendReply = async (
  deps: Pick<ProcessorDeps, 'db' | 'graph' | 'logger'>,
  scope: Required<TenantScope>,
  phoneNumberId: string,
  to: UserIdentity,
  inboundWamid: string,
  reply: Reply,
): Promise<number> => {
  let sent = 0;
  const payloads = payloadsFor(to, reply, inboundWamid);
  for (const [index, payload] of payloads.entries()) {
    const idempotencyKey = `reply:${inboundWamid}:${index}`;
    const { isNew } = await deps.db.transaction(scope, (tx) =>
      recordOutboundMessage(tx, {
        idempotencyKey,
        type: payload.type,
        body: index === 0 || payload.type === 'text' ? bodyOf(payload) : null,
        payload: payload,
        contextWamid: inboundWamid,
      }),
    );
    if (!isNew) continue;
    try {
      const { wamid } = await deps.graph.sendMessage(phoneNumberId, payload);
      await deps.db.transaction(scope, (tx) => assignOutboundWamid(tx, idempotencyKey, wamid));
      sent++;
    } catch (error) {
      if (definitelyNotSent(error))
        await deps.db.transaction(scope, (tx) => discardSendIntent(tx, idempotencyKey));
      throw error;
    }
  }
  return sent;
};

const bodyOf = (payload: OutboundMessage): string | null => {
  if (payload.type === 'text') return payload.text.body;
  if (payload.type === 'interactive') return payload.interactive.body.text;
  return null;
};
