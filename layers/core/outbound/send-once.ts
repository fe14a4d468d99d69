import type { Database, TenantScope } from '../db/database';
import { assignOutboundWamid, discardSendIntent, recordOutboundMessage } from '../db/repositories';
import { MetricNames } from '../observability/metric-names';
import type { MetricsPort } from '../ports/metrics';
import type { GraphApi } from '../whatsapp/graph/client';
import { GraphPermanentError, GraphTransientError } from '../whatsapp/graph/errors';
import type { OutboundMessage, OutboundMessageType } from '../whatsapp/graph/outbound-schema';

export interface SendIntent {
  readonly idempotencyKey: string;
  readonly phoneNumberId: string;
  readonly payload: OutboundMessage;
  /** What the user reads, for the conversation history. */
  readonly body: string | null;
  /** The inbound message this answers. */
  readonly contextWamid?: string;
}

/** The metric's `kind`: every media type counts as `media`. */
const kindOf = (type: OutboundMessageType): string =>
  type === 'text' || type === 'interactive' || type === 'template' || type === 'reaction' ? type : 'media';

/** A Graph error that carries Meta's answer means the request was refused: nothing reached the user. */
const definitelyNotSent = (error: unknown): boolean =>
  (error instanceof GraphTransientError || error instanceof GraphPermanentError) &&
  error.status !== undefined;

/**
 * Sends at most once per idempotency key (replies, reminders): the intent is recorded before the
 * Graph API is called, and a second attempt that finds it sends nothing (returns undefined). If Meta refused the request the intent is discarded, so a retry may send; if the
 * outcome is unknown (a timeout, a crash) it stays, and the message is never sent twice.
 */
export const sendOnce = async (
  deps: { readonly db: Database; readonly graph: GraphApi; readonly metrics: MetricsPort },
  scope: Required<TenantScope>,
  intent: SendIntent,
): Promise<string | undefined> => {
  const { idempotencyKey, payload } = intent;
  const { isNew } = await deps.db.transaction(scope, (tx) =>
    recordOutboundMessage(tx, {
      idempotencyKey,
      type: payload.type,
      body: intent.body,
      payload,
      ...(intent.contextWamid && { contextWamid: intent.contextWamid }),
    }),
  );
  if (!isNew) return undefined;
  try {
    const { wamid } = await deps.graph.sendMessage(intent.phoneNumberId, payload);
    // Every outbound message (replies and reminders) passes here, so this is the one count of them.
    deps.metrics.add(MetricNames.whatsappMessagesSent, 'Count', 1, { kind: kindOf(payload.type) });
    await deps.db.transaction(scope, (tx) => assignOutboundWamid(tx, idempotencyKey, wamid));
    return wamid;
  } catch (error) {
    if (definitelyNotSent(error))
      await deps.db.transaction(scope, (tx) => discardSendIntent(tx, idempotencyKey));
    throw error;
  }
};
