import type { Logger } from '@aws-lambda-powertools/logger';
import type { Database, TenantScope } from '../db/database';
import { listMemoriesOutsideSpace, setMemoryEmbedding } from '../db/repositories';
import { type Embedder, EmbeddingError, type EmbeddingSpace } from '../ports/embedder';

export const spaceOf = (embedder: EmbeddingSpace): EmbeddingSpace => ({
  model: embedder.model,
  dimensions: embedder.dimensions,
});

/**
 * How long a turn or a tool waits for a vector (retries included) before going on without one: the user
 * is waiting for the reply, and keywords still answer.
 */
export const EMBED_WAIT_MS = 4_000;

/**
 * The vector of one text, or undefined when the embedder cannot answer in time: memory then works by
 * keywords, and the re-embedding job fills the vector in later. Anything but an EmbeddingError is a bug
 * and throws.
 */
export const embedOrSkip = async (
  embedder: Embedder,
  text: string,
  waitMs = EMBED_WAIT_MS,
): Promise<number[] | undefined> => {
  try {
    const [vector] = await embedder.embed([text], { signal: AbortSignal.timeout(waitMs) });
    return vector;
  } catch (error) {
    if (error instanceof EmbeddingError) return undefined;
    throw error;
  }
};

/** One embedding request covers this many memories; a few hundred is still one short call to OpenAI. */
export const REEMBED_BATCH = 100;

/**
 * The re-embedding job, one user at a time: memories stored without a vector (an embedder outage, or the
 * text of an expense, event or reminder written by a trigger) and memories embedded by another model or
 * at another width are embedded again in the configured space. Changing EMBEDDING_MODEL or
 * EMBEDDING_DIMENSIONS therefore never mixes spaces: search compares only vectors of the current one, the
 * old vectors are replaced as each user writes, and keyword search finds every memory meanwhile. The
 * embedding request runs outside any transaction; a memory edited in between keeps its new text and is
 * picked up next time.
 */
export const refreshEmbeddings = async (
  deps: { db: Database; embedder: Embedder; logger: Logger },
  scope: Required<TenantScope>,
  limit = REEMBED_BATCH,
): Promise<{ embedded: number; unavailable: number }> => {
  const space = spaceOf(deps.embedder);
  const stale = await deps.db.transaction(scope, (tx) => listMemoriesOutsideSpace(tx, space, limit));
  if (stale.length === 0) return { embedded: 0, unavailable: 0 };
  let vectors: number[][];
  try {
    vectors = await deps.embedder.embed(stale.map((memory) => memory.content));
  } catch (error) {
    if (!(error instanceof EmbeddingError)) throw error;
    deps.logger.warn('Memories left unembedded: the embedder is unavailable', {
      count: stale.length,
      reason: error.code,
    });
    return { embedded: 0, unavailable: stale.length };
  }
  const embedded = await deps.db.transaction(scope, async (tx) => {
    let updated = 0;
    for (const [index, memory] of stale.entries()) {
      if (await setMemoryEmbedding(tx, memory, { values: vectors[index]!, space })) updated++;
    }
    return updated;
  });
  return { embedded, unavailable: 0 };
};
