import * as z from 'zod/mini';
import { type Tx } from '../database';
import { numeric, parseFirstRow } from './rows';

const usageRow = z.object({
  messages: numeric,
  llmCalls: numeric,
  inputTokens: numeric,
  outputTokens: numeric,
  cachedTokens: numeric,
  llmCostUsd: numeric,
  whatsappCostUsd: numeric,
});
export type UsageTotals = z.infer<typeof usageRow>;

/**
 * The current user's assistant usage since `since`: the messages they sent, the model calls and tokens
 * spent answering them, and what both cost. Reads the tables the cost views summarise (the views group by
 * UTC day; a user asks about their own day). Messages count by when they happened, which for an inbound
 * one is Meta's timestamp.
 */
export async function usageSince(tx: Tx, since: Date): Promise<UsageTotals> {
  const { rows } = await tx.query(
    `SELECT
       (SELECT count(*) FROM messages WHERE direction = 'in' AND occurred_at >= $1) AS messages,
       count(ai.id) AS "llmCalls",
       COALESCE(sum(ai.input_tokens), 0) AS "inputTokens",
       COALESCE(sum(ai.output_tokens), 0) AS "outputTokens",
       COALESCE(sum(ai.cache_read_tokens + ai.cache_write_tokens), 0) AS "cachedTokens",
       COALESCE(sum(ai.cost_usd), 0) AS "llmCostUsd",
       (SELECT COALESCE(sum(cost_usd), 0) FROM messages
        WHERE direction = 'out' AND occurred_at >= $1) AS "whatsappCostUsd"
     FROM ai_usage ai
     WHERE ai.created_at >= $1`,
    [since],
  );
  // An aggregate with no GROUP BY always returns exactly one row.
  return parseFirstRow(usageRow, rows)!;
}
