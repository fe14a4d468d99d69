import { languageOfLocale } from '../assistant/replies';
import type { Database, TenantScope } from '../db/database';
import {
  assignOutboundWamid,
  closeServiceWindow,
  discardSendIntent,
  getCurrentUser,
  recordOutboundMessage,
  type User,
} from '../db/repositories';
import { MetricNames } from '../observability/metric-names';
import type { Clock } from '../ports/clock';
import type { MetricsPort } from '../ports/metrics';
import type { GraphApi } from '../whatsapp/graph/client';
import { GraphPermanentError, GraphTransientError, WindowClosedError } from '../whatsapp/graph/errors';
import type { OutboundMessage, OutboundMessageType } from '../whatsapp/graph/outbound-schema';
import { serviceWindowOpen } from './service-window';
import { type MessageTemplates, type TemplatePurpose, templateMessage } from './templates';

export interface SendIntent {
  readonly idempotencyKey: string;
  readonly phoneNumberId: string;
  readonly payload: OutboundMessage;
  /** What the user reads, for the conversation history. */
  readonly body: string | null;
  /** The inbound message this answers. */
  readonly contextWamid?: string;
  /**
   * The template that carries `text` when the window is closed: sent instead of `payload` when it
   * is closed at send time, and kept with the message for a `failed` status with 131047.
   */
  readonly fallback?: { readonly purpose: TemplatePurpose; readonly text: string };
}

export interface SendDeps {
  readonly db: Database;
  readonly graph: GraphApi;
  readonly clock: Clock;
  readonly metrics: MetricsPort;
  readonly config: { readonly templates: MessageTemplates };
}

export interface Sent {
  readonly wamid: string;
  /** `template` when the window was closed and the fallback went instead. */
  readonly as: 'message' | 'template';
}

/** The metric's `kind`: every media type counts as `media`. */
const kindOf = (type: OutboundMessageType): string =>
  type === 'text' || type === 'interactive' || type === 'template' || type === 'reaction' ? type : 'media';

/** A Graph error that carries Meta's answer means the request was refused: nothing reached the user. */
const definitelyNotSent = (error: unknown): boolean =>
  (error instanceof GraphTransientError || error instanceof GraphPermanentError) &&
  error.status !== undefined;

/** The fallback template for this user, addressed as the user is known now. */
const fallbackFor = (deps: SendDeps, user: User, fallback: NonNullable<SendIntent['fallback']>) =>
  templateMessage(
    deps.config.templates,
    fallback.purpose,
    { waId: user.waId ?? undefined, bsuid: user.bsuid ?? undefined },
    languageOfLocale(user.locale),
    fallback.text,
  );

/**
 * Sends at most once per idempotency key (replies, reminders): the intent is recorded before the
 * Graph API is called, and a second attempt that finds it sends nothing (returns undefined). If
 * Meta refused the request the intent is discarded, so a retry may send; if the outcome is unknown
 * (a timeout, a crash) it stays, and the message is never sent twice.
 *
 * Whether the window is open is decided here, at send time, from the user's row: outside it the
 * fallback template goes instead. When Meta answers 131047 at once, the window is marked closed
 * and the template is sent under the same key.
 */
export const sendOnce = async (
  deps: SendDeps,
  scope: Required<TenantScope>,
  intent: SendIntent,
): Promise<Sent | undefined> => {
  const { idempotencyKey } = intent;
  const recorded = await deps.db.transaction(scope, async (tx) => {
    const now = deps.clock.now();
    const user = await getCurrentUser(tx);
    const template = user && intent.fallback ? fallbackFor(deps, user, intent.fallback) : undefined;
    const as: Sent['as'] = template && !serviceWindowOpen(user!, now) ? 'template' : 'message';
    const payload = as === 'template' ? template! : intent.payload;
    const { isNew } = await recordOutboundMessage(tx, {
      idempotencyKey,
      type: payload.type,
      body: intent.body,
      payload,
      occurredAt: now,
      ...(intent.contextWamid && { contextWamid: intent.contextWamid }),
      ...(as === 'message' && template && { templateFallback: template }),
    });
    return { isNew, as, payload };
  });
  if (!recorded.isNew) return undefined;
  const { as, payload } = recorded;
  try {
    const { wamid } = await deps.graph.sendMessage(intent.phoneNumberId, payload);
    // Every outbound message (replies and reminders) passes here, so this is the one count of them.
    deps.metrics.add(MetricNames.whatsappMessagesSent, 'Count', 1, { kind: kindOf(payload.type) });
    await deps.db.transaction(scope, (tx) => assignOutboundWamid(tx, idempotencyKey, wamid));
    return { wamid, as };
  } catch (error) {
    if (!definitelyNotSent(error)) throw error;
    await deps.db.transaction(scope, (tx) => discardSendIntent(tx, idempotencyKey));
    if (!(error instanceof WindowClosedError) || as === 'template' || !intent.fallback) throw error;
    // The refused intent was discarded, so the key is free for the template.
    const now = deps.clock.now();
    if (!(await deps.db.transaction(scope, (tx) => closeServiceWindow(tx, now)))) throw error;
    return sendOnce(deps, scope, intent);
  }
};
