import type { Logger } from '@aws-lambda-powertools/logger';
import { NO_USAGE } from '../llm/chat-model';
import { embeddingCostOf } from '../llm/prices';
import type { ModelCall } from '../llm/router';
import { countSpend } from '../llm/spend-metrics';
import type {
  EmbedOptions,
  Embedder,
  EmbeddingDimensions,
  EmbeddingRequest,
  SimilarityScale,
} from '../ports/embedder';
import type { MetricsPort } from '../ports/metrics';

/**
 * The embedder as the work for one message uses it. Each request it makes to a paid provider is priced
 * and counted in the cost metrics when it ends, as the LLM router counts its calls, and kept for the
 * caller to record in `ai_usage` with the message's other model calls, where the per-user budget and the
 * cost views sum it. Kept rather than written at once: they go out in the one write of the turn's model
 * calls, not in a transaction per request.
 */
export class MeteredEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: EmbeddingDimensions;
  readonly similarity: SimilarityScale;
  readonly #calls: ModelCall[] = [];

  constructor(
    private readonly embedder: Embedder,
    private readonly deps: {
      readonly metrics: MetricsPort;
      readonly logger: Logger;
      /** The time the message is handled at: prices in force then apply, as to its other model calls. */
      readonly now: Date;
    },
  ) {
    this.model = embedder.model;
    this.dimensions = embedder.dimensions;
    this.similarity = embedder.similarity;
  }

  embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    return this.embedder.embed(texts, { ...options, onRequest: (request) => this.#count(request) });
  }

  /** The requests made since the last take, as model calls; each is handed out once. */
  takeCalls(): ModelCall[] {
    return this.#calls.splice(0);
  }

  #count(request: EmbeddingRequest): void {
    const { provider, model, inputTokens } = request;
    let costUsd = 0;
    // A request that billed nothing (it failed before an answer) has nothing to count.
    if (inputTokens > 0) {
      const cost = embeddingCostOf(inputTokens, provider, model, this.deps.now);
      if (!cost.priced)
        this.deps.logger.warn('No price for this embedding model; its cost is recorded as 0', {
          provider,
          model,
        });
      costUsd = cost.usd;
      countSpend(this.deps.metrics, { provider, model, costUsd, tokens: { input: inputTokens } });
    }
    this.#calls.push({
      provider,
      model,
      outcome: request.outcome,
      latencyMs: request.latencyMs,
      usage: { ...NO_USAGE, inputTokens },
      costUsd,
    });
  }
}
