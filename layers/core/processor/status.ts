import { updateMessageStatus } from '../db/repositories';
import type { StatusEvent } from '../whatsapp/events';
import type { ProcessorDeps } from './deps';

const OUTBOUND_STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

export type StatusOutcome = 'applied' | 'stale' | 'ignored' | 'unknown_message';

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
  const result = await deps.db.transaction(scope, (tx) =>
    updateMessageStatus(tx, {
      wamid: event.wamid,
      status: event.status as 'sent' | 'delivered' | 'read' | 'failed',
      at: new Date(event.sentAt),
      ...(event.errors.length > 0 && { error: event.errors.map((error) => ({ ...error })) }),
      ...(event.pricing?.category && { pricingCategory: event.pricing.category }),
      ...(event.pricing?.type && { pricingType: event.pricing.type }),
    }),
  );
  if (!result) return 'unknown_message';
  return result.advanced ? 'applied' : 'stale';
};
