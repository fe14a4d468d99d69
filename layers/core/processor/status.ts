import { WINDOW_CLOSED_CODE } from '../whatsapp/graph/errors';
import type { TenantScope, Tx } from '../db/database';
import {
  closeServiceWindow,
  getCurrentUser,
  type Message,
  recordMessageCost,
  updateMessageStatus,
} from '../db/repositories';
import { MetricNames } from '../observability/metric-names';
import { sendOnce } from '../outbound/send-once';
import type { StatusEvent } from '../whatsapp/events';
import { parseOutboundMessage } from '../whatsapp/graph/outbound-schema';
import { messageCostOf } from '../whatsapp/pricing';
import type { ProcessorDeps } from './deps';

const OUTBOUND_STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

export type StatusOutcome = 'applied' | 'stale' | 'ignored' | 'unknown_message';

/** Names the send intent of the template that replaces a message Meta refused with 131047. */
export const templateRetryKey = (message: Pick<Message, 'idempotencyKey' | 'wamid'>): string =>
  `${message.idempotencyKey ?? message.wamid}:template`;

/**
 * The first status that carries pricing, for a message that was not refused, gives it its cost.
 * Returns the cost when it was stored now, so the metric counts each message once.
 */
const priceOnce = async (
  deps: ProcessorDeps,
  tx: Tx,
  message: Message,
  at: Date,
): Promise<number | undefined> => {
  if (message.costUsd !== null || message.pricingCategory === null || message.status === 'failed')
    return undefined;
  const country = (await getCurrentUser(tx))?.country ?? null;
  const pricing = { category: message.pricingCategory, type: message.pricingType ?? undefined };
  const cost = messageCostOf(pricing, country, at);
  if (!cost.priced) {
    deps.logger.warn('No WhatsApp price for this category; the message has no cost', {
      category: message.pricingCategory,
      type: message.pricingType,
      country,
    });
    return undefined;
  }
  return (await recordMessageCost(tx, message.wamid!, cost.usd)) ? cost.usd : undefined;
};

/**
 * Meta refused a free-form message because the window had closed: the window is closed until the
 * user writes again, and the message goes once more as its template. The template's send intent
 * makes a redelivered status, or a retry after a crash, send nothing the second time.
 */
const sendTemplateInstead = async (
  deps: ProcessorDeps,
  scope: Required<TenantScope>,
  event: StatusEvent,
  message: Message,
): Promise<void> => {
  if (message.templateFallback === null) return;
  const sent = await sendOnce(deps, scope, {
    idempotencyKey: templateRetryKey(message),
    phoneNumberId: event.tenant.phoneNumberId,
    payload: parseOutboundMessage(message.templateFallback),
    body: message.body,
    ...(message.contextWamid && { contextWamid: message.contextWamid }),
  });
  if (sent) deps.logger.info('Window closed: sent the template instead');
};

/**
 * Applies a delivery status to the message it is about. Statuses arrive out of order and may
 * skip steps; the repository only ever moves a status forward. A status for a message we never
 * recorded (sent by another app on the number, or from Meta's console) is acknowledged and
 * counted, not retried: a retry would hold the user's FIFO group for a visibility timeout. Our
 * own replies cannot race their statuses, which queue behind the reply in the same group.
 */
export const handleStatus = async (deps: ProcessorDeps, event: StatusEvent): Promise<StatusOutcome> => {
  if (!OUTBOUND_STATUSES.has(event.status)) return 'ignored';
  const scope = await deps.identities.scopeOf(deps, event.tenant, event.user, deps.config.defaults);
  const at = new Date(event.sentAt);
  const windowClosed =
    event.status === 'failed' && event.errors.some((error) => error.code === WINDOW_CLOSED_CODE);
  const result = await deps.db.transaction(scope, async (tx) => {
    const update = await updateMessageStatus(tx, {
      wamid: event.wamid,
      status: event.status as 'sent' | 'delivered' | 'read' | 'failed',
      at,
      ...(event.errors.length > 0 && { error: event.errors.map((error) => ({ ...error })) }),
      ...(event.pricing?.category && { pricingCategory: event.pricing.category }),
      ...(event.pricing?.type && { pricingType: event.pricing.type }),
    });
    if (!update) return undefined;
    const refusedAsLate = windowClosed && update.status === 'failed' && update.message.type !== 'template';
    if (refusedAsLate) await closeServiceWindow(tx, update.message.occurredAt);
    // A template outside the window is a proactive message: a user who has opted out since gets none.
    const resend = refusedAsLate && (await getCurrentUser(tx))?.consentStatus === 'opted_in';
    return { ...update, resend, cost: await priceOnce(deps, tx, update.message, at) };
  });
  if (!result) return 'unknown_message';
  if (result.cost !== undefined) {
    deps.metrics.add(MetricNames.whatsappMessageCostUsd, 'None', result.cost, {
      category: result.message.pricingCategory ?? 'unknown',
    });
  }
  if (result.resend) await sendTemplateInstead(deps, scope, event, result.message);
  return result.advanced ? 'applied' : 'stale';
};
