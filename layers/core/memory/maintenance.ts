import type { Logger } from '@aws-lambda-powertools/logger';
import type { Language } from '../assistant/replies';
import type { Database, TenantScope } from '../db/database';
import { MetricNames } from '../observability/metric-names';
import type { Embedder } from '../ports/embedder';
import type { MetricsPort } from '../ports/metrics';
import { refreshEmbeddings } from './embeddings';
import { summarizeOlderConversation } from './summaries';

export interface MemoryMaintenanceDeps {
  readonly db: Database;
  readonly embedder: Embedder;
  readonly logger: Logger;
  readonly metrics: MetricsPort;
}

/**
 * Runs after each reply, so the user never waits for it: older conversation becomes a summary memory,
 * then every memory of the user still without a vector in the configured space (the summary, the text of
 * an expense just recorded, everything after a model change) is embedded.
 */
export const maintainMemory = async (
  deps: MemoryMaintenanceDeps,
  scope: Required<TenantScope>,
  user: { language: Language; timeZone: string; keepRecent: number },
): Promise<void> => {
  await summarizeOlderConversation(deps.db, scope, user);
  const { embedded, unavailable } = await refreshEmbeddings(deps, scope);
  if (embedded > 0)
    deps.metrics.add(MetricNames.memoriesEmbedded, 'Count', embedded, { outcome: 'embedded' });
  if (unavailable > 0)
    deps.metrics.add(MetricNames.memoriesEmbedded, 'Count', unavailable, { outcome: 'embedder_unavailable' });
};
