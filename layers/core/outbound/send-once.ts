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
import { PermanentError } from '../errors';
import { MetricNames } from '../observability/metric-names';
import type { Clock } from '../ports/clock';
import type { MetricsPort } from '../ports/metrics';
import type { GraphApi } from '../whatsapp/graph/client';
import { certainlyNotSent, WindowClosedError } from '../whatsapp/graph/errors';
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

/**
 * An earlier attempt recorded this send intent and then stopped before learning whether Meta accepted
 * it (a timeout, a crash, the database lost right after the send), or is sending it right now. Sending
 * again could deliver the message twice, and Meta has no way to ask, so it is parked as a dead letter
 * for a human.
 */
export class SendOutcomeUnknownError extends PermanentError {
  constructor(readonly idempotencyKey: string) {
    // The key stays out of the message, which is logged: a key holds a wamid, and a wamid a phone number.
    super(
      'send_outcome_unknown',
      'A send intent was recorded but its outcome is unknown; not sending it again',
    );
  }
}

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
 * Graph API is called. A second attempt that finds it with Meta's wamid sends nothing (returns
 * undefined); one that finds it without a wamid throws SendOutcomeUnknownError. If Meta certainly
 * got nothing (it refused the request, or no connection was made) the intent is discarded, so a retry
 * may send; if the outcome is unknown it stays, and the message is never sent twice.
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
    // Only a send with a fallback template asks whether the window is open.
    const user = intent.fallback ? await getCurrentUser(tx) : undefined;
    const template = user && intent.fallback ? fallbackFor(deps, user, intent.fallback) : undefined;
    const as: Sent['as'] = template && !serviceWindowOpen(user!, now) ? 'template' : 'message';
    const payload = as === 'template' ? template! : intent.payload;
    const { isNew, message } = await recordOutboundMessage(tx, {
      idempotencyKey,
      type: payload.type,
      body: intent.body,
      payload,
      occurredAt: now,
      ...(intent.contextWamid && { contextWamid: intent.contextWamid }),
      ...(as === 'message' && template && { templateFallback: template }),
    });
    return { isNew, as, payload, message };
  });
  if (!recorded.isNew) {
    if (recorded.message.wamid === null) throw new SendOutcomeUnknownError(idempotencyKey);
    return undefined;
  }
  const { as, payload } = recorded;
  try {
    const { wamid } = await deps.graph.sendMessage(intent.phoneNumberId, payload);
    // Every outbound message (replies and reminders) passes here, so this is the one count of them.
    deps.metrics.add(MetricNames.whatsappMessagesSent, 'Count', 1, { kind: kindOf(payload.type) });
    await deps.db.transaction(scope, (tx) => assignOutboundWamid(tx, idempotencyKey, wamid));
    return { wamid, as };
  } catch (error) {
    if (!certainlyNotSent(error)) throw error;
    await deps.db.transaction(scope, (tx) => discardSendIntent(tx, idempotencyKey));
    if (!(error instanceof WindowClosedError) || as === 'template' || !intent.fallback) throw error;
    // The refused intent was discarded, so the key is free for the template.
    const now = deps.clock.now();
    if (!(await deps.db.transaction(scope, (tx) => closeServiceWindow(tx, now)))) throw error;
    return sendOnce(deps, scope, intent);
  }
};
