import { MetricNames } from '../observability/metric-names';
import type { MetricsPort } from '../ports/metrics';

type TokenKind = 'input' | 'output' | 'cache_read' | 'cache_write';

/**
 * The tokens and estimated cost of one answered paid call, chat, embedding or transcription alike: the
 * cost dashboard, its cost per active user and the daily-spend alarm sum `LlmCostUsd` over every model.
 */
export const countSpend = (
  metrics: MetricsPort,
  call: {
    readonly provider: string;
    readonly model: string;
    readonly costUsd: number;
    readonly tokens: Partial<Readonly<Record<TokenKind, number>>>;
  },
): void => {
  const { provider, model } = call;
  for (const [kind, count] of Object.entries(call.tokens)) {
    metrics.add(MetricNames.llmTokens, 'Count', count, { provider, model, kind });
  }
  metrics.add(MetricNames.llmCostUsd, 'None', call.costUsd, { provider, model });
};
