import { ChasquiError } from '../errors';

/**
 * Widths `user_memory` has an HNSW index for (migration 0009, one partial index each). A vector column
 * without a width accepts any, but an index needs one, so the configured dimension must be one of these.
 * 1536 is text-embedding-3-small's native width; the smaller ones suit its `dimensions` parameter and
 * small local models.
 */
export const SUPPORTED_EMBEDDING_DIMENSIONS = [384, 512, 768, 1024, 1536] as const;
export type EmbeddingDimensions = (typeof SUPPORTED_EMBEDDING_DIMENSIONS)[number];
export const DEFAULT_EMBEDDING_DIMENSIONS: EmbeddingDimensions = 1536;

export const isSupportedDimension = (value: number): value is EmbeddingDimensions =>
  (SUPPORTED_EMBEDDING_DIMENSIONS as readonly number[]).includes(value);

/**
 * A model and a width: vectors are comparable only within one space. Every stored vector records its
 * space, and search compares only vectors of the embedder's own.
 */
export interface EmbeddingSpace {
  readonly model: string;
  readonly dimensions: EmbeddingDimensions;
}

/**
 * Cosine similarities that mean something in this space. They differ by model: unrelated sentences score
 * about 0.1–0.2 with OpenAI's models and about 0 with the lexical embedder.
 */
export interface SimilarityScale {
  /** At or above: related enough to show the assistant. */
  readonly related: number;
  /** At or above: the same memory said again, to be merged rather than stored twice. */
  readonly duplicate: number;
}

/**
 * One request an embedder made to a paid provider, answered or not, as the provider reported it. `ok`,
 * or why it failed: `error` (retryable: throttled, 5xx, unreachable), `rejected` (permanent, or an
 * answer that could not be used), `deadline` (the caller stopped waiting).
 */
export interface EmbeddingRequest {
  readonly provider: string;
  readonly model: string;
  /** Input tokens billed (OpenAI's `usage.prompt_tokens`); 0 when nothing came back. */
  readonly inputTokens: number;
  readonly latencyMs: number;
  readonly outcome: 'ok' | 'error' | 'rejected' | 'deadline';
}

export interface EmbedOptions {
  readonly signal?: AbortSignal;
  /** Told of every request to a paid provider, so its cost can be recorded; a local embedder makes none. */
  readonly onRequest?: (request: EmbeddingRequest) => void;
}

export interface Embedder extends EmbeddingSpace {
  readonly similarity: SimilarityScale;
  /** One unit-length vector of `dimensions` numbers per text, in order. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]>;
}

/**
 * The embedder could not answer. Memory keeps working without it: a memory is stored unembedded (the
 * re-embedding job fills it in later) and search falls back to keywords.
 */
export class EmbeddingError extends ChasquiError {
  readonly httpStatus = 503;

  constructor(
    readonly code: string,
    readonly retryable: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
