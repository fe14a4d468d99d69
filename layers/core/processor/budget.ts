import type { Database, TenantScope } from '../db/database';

/**
 * Whether paid models may answer this turn: the user's spend today and everyone's spend today
 * are both under their budgets. "Today" is the UTC day, as on the cost dashboard.
 */
export const paidModelsAllowed =
  (
    db: Database,
    scope: Required<TenantScope>,
    budgets: { dailyUsd: number; userDailyUsd: number },
    now: Date,
  ) =>
  async (): Promise<boolean> => {
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const userSpend = await db.transaction(scope, async (tx) => {
      const { rows } = await tx.query<{ total: string | number | null }>(
        'SELECT COALESCE(sum(cost_usd), 0) AS total FROM ai_usage WHERE created_at >= $1',
        [since],
      );
      return Number(rows[0]?.total ?? 0);
    });
    if (userSpend >= budgets.userDailyUsd) return false;
    const { rows } = await db.query<{ total: string | number | null }>(
      'SELECT app_total_ai_cost_since($1) AS total',
      [since],
    );
    return Number(rows[0]?.total ?? 0) < budgets.dailyUsd;
  };
