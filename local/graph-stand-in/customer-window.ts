import { CUSTOMER_SERVICE_WINDOW_MS } from '../../layers/core/whatsapp/graph/limits';

/** A simulated user as the local stack knows them: phone number, BSUID, or both. */
export type SimulatedUser = string | { waId?: string | undefined; bsuid?: string | undefined };

const keysOf = (user: SimulatedUser): string[] =>
  typeof user === 'string' ? [user] : [user.waId, user.bsuid].filter((key): key is string => Boolean(key));

/**
 * The 24 h customer-service window per (business number, user), fed by the inbound messages the
 * local stack simulates. It also remembers which phone number and BSUID belong together, so a
 * status webhook can carry both, as Meta's do.
 */
export class CustomerWindows {
  private readonly lastInbound = new Map<string, number>();
  private readonly partner = new Map<string, string>();

  recordInbound(phoneNumberId: string, user: SimulatedUser, at: Date): void {
    for (const key of keysOf(user)) {
      const slot = `${phoneNumberId}:${key}`;
      this.lastInbound.set(slot, Math.max(this.lastInbound.get(slot) ?? 0, at.getTime()));
    }
    if (typeof user !== 'string' && user.waId && user.bsuid) {
      this.partner.set(user.waId, user.bsuid);
      this.partner.set(user.bsuid, user.waId);
    }
  }

  isOpen(phoneNumberId: string, userKey: string, now: Date): boolean {
    const last = this.lastInbound.get(`${phoneNumberId}:${userKey}`);
    return last !== undefined && now.getTime() - last < CUSTOMER_SERVICE_WINDOW_MS;
  }

  /** The other identifier of the same user, when known. */
  partnerOf(userKey: string): string | undefined {
    return this.partner.get(userKey);
  }
}
