import type { Database, TenantScope } from '../db/database';

/**
 * Whether paid models may serve this message: the user's spend today and everyone's spend today
 * are both under their budgets. "Today" is the UTC day, as on the cost dashboard. Asked at most once
 * per message, in one statement, however many paid calls follow (a voice note's transcription, then
 * the turn's model calls): what they cost counts from the next message on.
 */
export const paidModelsAllowed = (
  db: Database,
  scope: Required<TenantScope>,
  budgets: { dailyUsd: number; userDailyUsd: number },
  now: Date,
): (() => Promise<boolean>) => {
  let allowed: Promise<boolean> | undefined;
  const check = async (): Promise<boolean> => {
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const { rows } = await db.transaction(scope, (tx) =>
      tx.query<{ user: string | number | null; everyone: string | number | null }>(
        // Row-level security limits the sum to this user; the function sums everyone's without showing a row.
        `SELECT (SELECT COALESCE(sum(cost_usd), 0) FROM ai_usage WHERE created_at >= $1) AS "user",
           app_total_ai_cost_since($1) AS everyone`,
        [since],
      ),
    );
    const spend = rows[0];
    return Number(spend?.user ?? 0) < budgets.userDailyUsd && Number(spend?.everyone ?? 0) < budgets.dailyUsd;
  };
  return () => (allowed ??= check());
};
