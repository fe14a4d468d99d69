import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import {
  type EmbedOptions,
  type Embedder,
  type EmbeddingDimensions,
  EmbeddingError,
  type EmbeddingRequest,
  type SimilarityScale,
} from '../ports/embedder';
import { loadOpenAiSdk, OPENAI_PROVIDER, type OpenAiClient, type OpenAiSdk, openAiClient } from './openai';

export interface OpenAiEmbedderConfig {
  readonly apiKey: string;
  /** e.g. `text-embedding-3-small`; it must accept the `dimensions` parameter (the text-embedding-3 family does). */
  readonly model: string;
  readonly dimensions: EmbeddingDimensions;
  /** An OpenAI-compatible server, or a test stub; OpenAI's by default. */
  readonly baseURL?: string;
  /** Per HTTP attempt. */
  readonly timeoutMs?: number;
  /** The SDK's retries, with its exponential back-off and `retry-after` handling (429, 5xx, network). */
  readonly maxRetries?: number;
  /** Inputs per request. */
  readonly batchSize?: number;
  readonly fetch?: typeof globalThis.fetch;
}

/** An embedding request is one short HTTP call; anything slower is better answered by keywords. */
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RETRIES = 2;
/**
 * OpenAI takes up to 2,048 inputs and 300,000 tokens per request (API reference, "Create embeddings").
 * Memories are a sentence or a short summary, so 256 of them stay far below the token cap.
 */
const DEFAULT_BATCH_SIZE = 256;

/**
 * OpenAI embeddings (text-embedding-3-small by default) through the official SDK, in batches. The SDK
 * asks for base64 and decodes it to float32 itself.
 */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: EmbeddingDimensions;
  /**
   * With text-embedding-3 models unrelated sentences still score ≈ 0.1–0.2 and a sentence and the
   * question it answers ≈ 0.35–0.6; rewordings of one statement ≈ 0.9 and up.
   */
  readonly similarity: SimilarityScale = { related: 0.3, duplicate: 0.92 };
  private readonly client: () => Promise<OpenAiClient>;
  private readonly batchSize: number;

  constructor(config: OpenAiEmbedderConfig) {
    this.model = config.model;
    this.dimensions = config.dimensions;
    this.batchSize = config.batchSize ?? DEFAULT_BATCH_SIZE;
    this.client = openAiClient({
      ...config,
      timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
    });
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + this.batchSize), options)));
    }
    return vectors;
  }

  private async embedBatch(input: string[], { signal, onRequest }: EmbedOptions): Promise<number[][]> {
    const client = await this.client();
    const started = performance.now();
    const report = (outcome: EmbeddingRequest['outcome'], inputTokens = 0): void =>
      onRequest?.({
        provider: OPENAI_PROVIDER,
        model: this.model,
        inputTokens,
        latencyMs: performance.now() - started,
        outcome,
      });
    let response: CreateEmbeddingResponse;
    try {
      response = await client.embeddings.create(
        { model: this.model, input, dimensions: this.dimensions },
        signal ? { signal } : {},
      );
    } catch (error) {
      const failure = toEmbeddingError(await loadOpenAiSdk(), error);
      report(failure.code === ABORTED ? 'deadline' : failure.retryable ? 'error' : 'rejected');
      throw failure;
    }
    // Billed whether or not the vectors turn out usable; a compatible server may report no usage.
    const billed = response.usage?.prompt_tokens ?? 0;
    const byIndex = [...response.data].sort((a, b) => a.index - b.index);
    const valid =
      byIndex.length === input.length &&
      byIndex.every(
        (item, position) =>
          item.index === position &&
          item.embedding.length === this.dimensions &&
          item.embedding.every(Number.isFinite),
      );
    if (!valid) {
      report('rejected', billed);
      throw new EmbeddingError(
        'embedding_invalid_response',
        false,
        `Expected ${input.length} embeddings of ${this.dimensions} dimensions`,
      );
    }
    report('ok', billed);
    return byIndex.map((item) => Array.from(item.embedding));
  }
}

const ABORTED = 'embedding_aborted';

const toEmbeddingError = (sdk: OpenAiSdk, error: unknown): EmbeddingError => {
  if (error instanceof sdk.APIUserAbortError) {
    return new EmbeddingError(ABORTED, true, 'Embedding request aborted', { cause: error });
  }
  if (error instanceof sdk.APIConnectionError) {
    return new EmbeddingError('embedding_unreachable', true, 'Embedding provider unreachable or timed out', {
      cause: error,
    });
  }
  if (error instanceof sdk.APIError && typeof error.status === 'number') {
    const retryable = error.status === 408 || error.status === 429 || error.status >= 500;
    return new EmbeddingError(`embedding_http_${error.status}`, retryable, 'Embedding request failed', {
      cause: error,
    });
  }
  return new EmbeddingError('embedding_failed', false, 'Embedding request failed', { cause: error });
};
