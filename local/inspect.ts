import type { Database } from '../layers/core/db/database';
import {
  listCalendarEvents,
  listExpenses,
  listHandoffRequests,
  listMemories,
  listPreferences,
  listReminders,
} from '../layers/core/db/repositories';

export const INSPECTABLE = [
  'reminders',
  'expenses',
  'events',
  'memories',
  'preferences',
  'handoffs',
] as const;
export type Inspectable = (typeof INSPECTABLE)[number];

/** Wide enough for any local conversation, narrow enough for a timestamptz. */
const ALL_TIME = { from: new Date('1970-01-01T00:00:00Z'), to: new Date('2200-01-01T00:00:00Z') };
const LIMIT = 1000;

/**
 * A user's rows, read through the same RLS-scoped repositories the assistant uses. The user is
 * found by phone number (wa_id) or business-scoped id; an unknown user has no rows.
 */
export const inspectUser = async (db: Database, user: string, kind: Inspectable): Promise<unknown[]> => {
  const { rows } = await db.query<{ id: string; tenant_id: string }>(
    'SELECT id, tenant_id FROM users WHERE wa_id = $1 OR bsuid = $1 ORDER BY created_at LIMIT 1',
    [user.replace(/^\+/, '')],
  );
  const found = rows[0];
  if (!found) return [];
  return db.transaction({ tenantId: found.tenant_id, userId: found.id }, async (tx) => {
    switch (kind) {
      case 'reminders':
        return listReminders(tx, { limit: LIMIT });
      case 'expenses':
        return listExpenses(tx, { limit: LIMIT });
      case 'events':
        return listCalendarEvents(tx, ALL_TIME);
      case 'memories':
        return listMemories(tx, { limit: LIMIT });
      case 'preferences':
        return Object.entries(await listPreferences(tx)).map(([key, value]) => ({ key, value }));
      case 'handoffs':
        return listHandoffRequests(tx, LIMIT);
    }
  });
};
