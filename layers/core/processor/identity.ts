import { resolveUser, upsertTenant } from '../db/repositories';
import type { Tenant, UserIdentity } from '../whatsapp/events';
import type { ProcessorDeps } from './deps';

/** Ids never change, but a user may be erased: a cached id is trusted only this long. */
const USER_TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

interface CachedUser {
  id: string;
  name: string | undefined;
  at: number;
}

/**
 * Resolves tenant and user ids with the identity functions, remembering them per instance. Most
 * queue events are statuses (three per reply), and without this each would run two upserts
 * before its one-row update.
 */
export class IdentityCache {
  private readonly tenants = new Map<string, string>();
  private readonly users = new Map<string, CachedUser>();

  async scopeOf(
    deps: Pick<ProcessorDeps, 'db' | 'clock'>,
    tenant: Tenant,
    user: UserIdentity,
    newUser: { profileName?: string; locale: string; timeZone: string; country?: string },
  ): Promise<{ tenantId: string; userId: string }> {
    let tenantId = this.tenants.get(tenant.phoneNumberId);
    if (!tenantId) {
      tenantId = await upsertTenant(deps.db, {
        phoneNumberId: tenant.phoneNumberId,
        displayPhoneNumber: tenant.displayPhoneNumber ?? tenant.phoneNumberId,
      });
      this.remember(this.tenants, tenant.phoneNumberId, tenantId);
    }
    const key = `${tenantId}:${user.waId ?? ''}:${user.bsuid ?? ''}`;
    const now = deps.clock.now().getTime();
    const cached = this.users.get(key);
    const nameUnchanged = newUser.profileName === undefined || newUser.profileName === cached?.name;
    if (cached && now - cached.at < USER_TTL_MS && nameUnchanged) return { tenantId, userId: cached.id };
    const userId = await resolveUser(deps.db, {
      tenantId,
      ...(user.waId && { waId: user.waId }),
      ...(user.bsuid && { bsuid: user.bsuid }),
      ...(newUser.profileName && { profileName: newUser.profileName }),
      defaults: {
        locale: newUser.locale,
        timeZone: newUser.timeZone,
        ...(newUser.country && { country: newUser.country }),
      },
    });
    this.remember(this.users, key, { id: userId, name: newUser.profileName ?? cached?.name, at: now });
    return { tenantId, userId };
  }

  /** Forgets a user, e.g. after erasing their data, so the next message creates them afresh. */
  forget(userId: string): void {
    for (const [key, value] of this.users) if (value.id === userId) this.users.delete(key);
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
    map.set(key, value);
  }
}
