import * as z from 'zod/mini';
import { type Queryable } from '../database';
import { assertTimeZone } from './rows';

// Identity is resolved before a scope exists, so these take any Queryable and call the SECURITY DEFINER
// functions of migration 0007, the one way the application role can create tenants and users.

const idRow = z.object({ id: z.string() });

export interface TenantIdentity {
  /** metadata.phone_number_id of the webhook. */
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
}

/** The tenant's id, creating the tenant on first sight of its phone number. */
export async function upsertTenant(db: Queryable, tenant: TenantIdentity): Promise<string> {
  const { rows } = await db.query('SELECT app_upsert_tenant($1, $2) AS id', [
    tenant.phoneNumberId,
    tenant.displayPhoneNumber,
  ]);
  return idRow.parse(rows[0]).id;
}

export interface UserIdentity {
  readonly tenantId: string;
  /** At least one of waId and bsuid. */
  readonly waId?: string;
  /** Meta's business-scoped user id (`user_id` in webhooks). */
  readonly bsuid?: string;
  readonly profileName?: string;
  /** Used only when the user is new. */
  readonly defaults: { readonly locale: string; readonly timeZone: string; readonly country?: string };
}

/** The user's id: matched by wa_id, else bsuid; created on first contact. */
export async function resolveUser(db: Queryable, user: UserIdentity): Promise<string> {
  assertTimeZone(user.defaults.timeZone);
  const { rows } = await db.query('SELECT app_resolve_user($1, $2, $3, $4, $5, $6, $7) AS id', [
    user.tenantId,
    user.waId ?? null,
    user.bsuid ?? null,
    user.profileName ?? null,
    user.defaults.locale,
    user.defaults.timeZone,
    user.defaults.country ?? null,
  ]);
  return idRow.parse(rows[0]).id;
}
