import * as z from 'zod/mini';
import { type Tx } from '../database';
import { numeric, timestamp } from './rows';

const aiUsageRow = z.object({
  id: z.string(),
  provider: z.string(),
  model: z.string(),
  inputTokens: z.number().check(z.int()),
  outputTokens: z.number().check(z.int()),
  cacheReadTokens: z.number().check(z.int()),
  cacheWriteTokens: z.number().check(z.int()),
  costUsd: numeric,
  latencyMs: z.number().check(z.int()),
  outcome: z.string(),
  messageWamid: z.nullable(z.string()),
  createdAt: timestamp,
});
export type AiUsage = z.infer<typeof aiUsageRow>;

export interface AiUsageRecord {
  readonly provider: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens?: number;
  readonly cacheWriteTokens?: number;
  readonly costUsd: number;
  readonly latencyMs: number;
  /** e.g. ok, error, timeout: whatever the LLM router reports. */
  readonly outcome: string;
  /** The inbound message the call served. */
  readonly messageWamid?: string;
}

export async function recordAiUsage(tx: Tx, usage: AiUsageRecord): Promise<AiUsage> {
  const { rows } = await tx.query(
    `INSERT INTO ai_usage (provider, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
       cost_usd, latency_ms, outcome, message_wamid)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     RETURNING id, provider, model, input_tokens AS "inputTokens", output_tokens AS "outputTokens",
       cache_read_tokens AS "cacheReadTokens", cache_write_tokens AS "cacheWriteTokens", cost_usd AS "costUsd",
       latency_ms AS "latencyMs", outcome, message_wamid AS "messageWamid", created_at AS "createdAt"`,
    [
      usage.provider,
      usage.model,
      usage.inputTokens,
      usage.outputTokens,
      usage.cacheReadTokens ?? 0,
      usage.cacheWriteTokens ?? 0,
      String(usage.costUsd),
      Math.round(usage.latencyMs),
      usage.outcome,
      usage.messageWamid ?? null,
    ],
  );
  return aiUsageRow.parse(rows[0]);
}
