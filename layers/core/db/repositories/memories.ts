import * as z from 'zod/mini';
import { type Tx } from '../database';
import { isSupportedDimension, type EmbeddingSpace } from '../../ports/embedder';
import { parseFirstRow, parseRows, timestamp } from './rows';

/**
 * What a memory is: something the user said about themselves (`fact`), how they like things done
 * (`preference`), a summary of older conversation, or the searchable text of an expense, event or
 * reminder (written by triggers, migration 0009).
 */
export const MEMORY_KINDS = ['fact', 'preference', 'summary', 'expense', 'event', 'reminder'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];

const memoryRow = z.object({
  id: z.string(),
  kind: z.enum(MEMORY_KINDS),
  content: z.string(),
  embeddingModel: z.nullable(z.string()),
  embeddingDim: z.nullable(z.number()),
  occurredAt: timestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Memory = z.infer<typeof memoryRow>;

const MEMORY_COLUMNS = `id, kind, content, embedding_model AS "embeddingModel", embedding_dim AS "embeddingDim",
  occurred_at AS "occurredAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface Embedding {
  readonly values: readonly number[];
  readonly space: EmbeddingSpace;
}

/**
 * The width spliced into SQL (`vector(1536)`): a partial index is used only when the query names its
 * width as a literal, so it cannot be a parameter. Checked against the supported list first.
 */
const widthOf = (space: EmbeddingSpace): number => {
  if (!isSupportedDimension(space.dimensions)) {
    throw new RangeError(`No index for ${String(space.dimensions)}-dimensional embeddings`);
  }
  return space.dimensions;
};

/** pgvector's text form, `[0.1,0.2,…]`. */
function toVectorLiteral(values: readonly number[], space: EmbeddingSpace): string {
  if (values.length !== space.dimensions) {
    throw new RangeError(
      `An embedding of ${space.model} needs ${space.dimensions} dimensions, got ${values.length}`,
    );
  }
  if (!values.every(Number.isFinite)) throw new RangeError('An embedding must contain only finite numbers');
  return `[${values.join(',')}]`;
}

const embeddingParams = (embedding: Embedding | undefined): [string | null, string | null, number | null] =>
  embedding
    ? [toVectorLiteral(embedding.values, embedding.space), embedding.space.model, embedding.space.dimensions]
    : [null, null, null];

export interface NewMemory {
  readonly kind: MemoryKind;
  readonly content: string;
  /** Defaults to now. */
  readonly occurredAt?: Date;
  /** Omit when the embedder is unavailable; the memory is still kept, found by keywords, and embedded later. */
  readonly embedding?: Embedding;
}

export async function insertMemory(tx: Tx, memory: NewMemory): Promise<Memory> {
  const { rows } = await tx.query(
    `INSERT INTO user_memory (kind, content, occurred_at, embedding, embedding_model, embedding_dim)
     VALUES ($1, $2, COALESCE($3, now()), $4::vector, $5, $6)
     RETURNING ${MEMORY_COLUMNS}`,
    [memory.kind, memory.content, memory.occurredAt ?? null, ...embeddingParams(memory.embedding)],
  );
  return memoryRow.parse(rows[0]);
}

/** Says a memory again in new words: content, time and vector are replaced, the id stays. */
export async function replaceMemory(
  tx: Tx,
  id: string,
  memory: Omit<NewMemory, 'kind'>,
): Promise<Memory | undefined> {
  const { rows } = await tx.query(
    `UPDATE user_memory
     SET content = $2, occurred_at = COALESCE($3, now()), embedding = $4::vector, embedding_model = $5,
         embedding_dim = $6
     WHERE id = $1
     RETURNING ${MEMORY_COLUMNS}`,
    [id, memory.content, memory.occurredAt ?? null, ...embeddingParams(memory.embedding)],
  );
  return parseFirstRow(memoryRow, rows);
}

/** A memory of this kind with the same words, ignoring case and surrounding spaces. */
export async function findMemoryByContent(
  tx: Tx,
  kind: MemoryKind,
  content: string,
): Promise<Memory | undefined> {
  const { rows } = await tx.query(
    `SELECT ${MEMORY_COLUMNS} FROM user_memory WHERE kind = $1 AND lower(btrim(content)) = lower(btrim($2))
     ORDER BY updated_at DESC, id LIMIT 1`,
    [kind, content],
  );
  return parseFirstRow(memoryRow, rows);
}

export async function getMemory(tx: Tx, id: string): Promise<Memory | undefined> {
  const { rows } = await tx.query(`SELECT ${MEMORY_COLUMNS} FROM user_memory WHERE id = $1`, [id]);
  return parseFirstRow(memoryRow, rows);
}

export interface MemoryFilter {
  readonly kinds?: readonly MemoryKind[];
  /** Occurred at or after. */
  readonly from?: Date;
  /** Occurred before. */
  readonly to?: Date;
}

/** `$first`… `$first+2` are the filter's parameters. */
const filterSql = (first: number): string =>
  `($${first}::text[] IS NULL OR kind = ANY($${first}::text[]))
   AND ($${first + 1}::timestamptz IS NULL OR occurred_at >= $${first + 1})
   AND ($${first + 2}::timestamptz IS NULL OR occurred_at < $${first + 2})`;
const filterParams = (filter: MemoryFilter): unknown[] => [
  filter.kinds && filter.kinds.length > 0 ? [...filter.kinds] : null,
  filter.from ?? null,
  filter.to ?? null,
];

const nearestRow = z.extend(memoryRow, { distance: z.number() });
export type NearestMemory = z.infer<typeof nearestRow>;

/**
 * How the nearest vectors are found. `hnsw`: the global HNSW index of the space, with row-level
 * security filtering its candidates afterwards; iterative scanning (pgvector 0.8) keeps reading the index
 * until enough of the user's rows survive, since a user owns a small share of it. `exact`: a scan of the
 * user's own rows in the space, through the (user_id, embedding_model, embedding_dim) index — exact, and
 * bounded by what one person remembers rather than by the whole table. `npm run bench -- --only memory`
 * compares them.
 */
export type VectorScan = 'hnsw' | 'exact';

/**
 * A user owns a small share of the index. With pgvector's default of 40 the filtered, iterative scan
 * sometimes returned worse neighbours, and more slowly, than with 100 (`npm run bench -- --only memory`:
 * recall@5 0.82–0.89 and p95 over 100 ms at 20 users × 1,000 in some index builds; 1.000 at 100).
 */
const DEFAULT_EF_SEARCH = 100;

export interface NearestQuery {
  readonly vector: readonly number[];
  readonly space: EmbeddingSpace;
  readonly limit: number;
  readonly filter?: MemoryFilter;
  readonly scan: VectorScan;
  /** HNSW candidate list size (default 100; pgvector's is 40); set for this transaction only. */
  readonly efSearch?: number;
}

const nearestParams = (query: Omit<NearestQuery, 'scan'>): unknown[] => [
  toVectorLiteral(query.vector, query.space),
  query.space.model,
  ...filterParams(query.filter ?? {}),
  query.limit,
];

const nearestWithEligibleRow = z.object({ eligible: z.number() });

/**
 * The HNSW scan, and how many of the user's memories in the space pass the filter. When it found that
 * many, no exact scan can find more: most users hold fewer memories than a search asks for, and this
 * spares them the second query.
 */
export async function findNearestMemoriesByIndex(
  tx: Tx,
  query: Omit<NearestQuery, 'scan'>,
): Promise<{ nearest: NearestMemory[]; eligible: number }> {
  const width = widthOf(query.space);
  const distance = `embedding::vector(${width}) <=> $1::vector(${width})`;
  // Per transaction (`is_local`), never per session: RDS Proxy would pin the connection (FACTS.md).
  await tx.query(
    `SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', $1, true)`,
    [String(query.efSearch ?? DEFAULT_EF_SEARCH)],
  );
  // Relaxed order lets the scan return a slightly unordered list; the outer query sorts it. The count
  // reads the user's (user_id, model, width) index, and comes back even when nothing is near.
  const { rows } = await tx.query(
    `WITH nearest AS MATERIALIZED (
       SELECT ${MEMORY_COLUMNS}, ${distance} AS distance
       FROM user_memory
       WHERE embedding_dim = ${width} AND embedding_model = $2 AND ${filterSql(3)}
       ORDER BY ${distance}
       LIMIT $6),
     eligible AS (
       SELECT count(*)::int AS eligible
       FROM user_memory
       WHERE user_id = app_current_user_id() AND embedding_model = $2 AND embedding_dim = ${width}
         AND ${filterSql(3)})
     SELECT nearest.*, eligible.eligible FROM eligible LEFT JOIN nearest ON true
     ORDER BY nearest.distance, nearest.id`,
    nearestParams(query),
  );
  const found = rows.filter((row) => row['id'] !== null);
  return {
    nearest: parseRows(nearestRow, found),
    // `FROM eligible LEFT JOIN nearest` always answers at least the count's row.
    eligible: nearestWithEligibleRow.parse(rows[0]).eligible,
  };
}

/** The user's memories in `space` closest to the vector by cosine distance (0 = same direction), nearest first. */
export async function findNearestMemories(tx: Tx, query: NearestQuery): Promise<NearestMemory[]> {
  if (query.scan === 'hnsw') return (await findNearestMemoriesByIndex(tx, query)).nearest;
  const width = widthOf(query.space);
  // `embedding <=> $1::vector`, without the width cast, is not the expression the HNSW indexes are built
  // on, so the planner cannot answer it with an index scan over everyone's rows; the user_id condition
  // repeats the row-level security policy so it can drive the (user_id, model, width) index. Skipping the
  // cast also saves a copy of every vector.
  const { rows } = await tx.query(
    `SELECT ${MEMORY_COLUMNS}, embedding <=> $1::vector AS distance
     FROM user_memory
     WHERE user_id = app_current_user_id() AND embedding_model = $2 AND embedding_dim = ${width}
       AND ${filterSql(3)}
     ORDER BY distance, id
     LIMIT $6`,
    nearestParams(query),
  );
  return parseRows(nearestRow, rows);
}

const keywordRow = z.extend(memoryRow, { rank: z.number(), literals: z.number() });
export type KeywordMemory = z.infer<typeof keywordRow>;

/**
 * The user's memories containing any of `terms` (folded words or numbers, see memory/terms.ts), best
 * first. A term counts by how rare it is among the user's memories (ln(1 + N/df), the idea behind
 * BM25's idf): an amount or a name found in one memory outweighs a word found in all of them.
 * `literals` counts the matched terms that contain a digit — amounts, codes, dates — which a user means
 * exactly.
 *
 * Only the user's rows are matched, through the (user_id, …) index: a word every user has ("gasto",
 * the name of a month) would send a GIN index shared by all users through everyone's rows, only for
 * row-level security to drop all but the user's. Like the exact vector scan, the cost is bounded by what
 * one person remembers. Terms are checked by pattern before they are quoted, so none can add an operator.
 */
export async function findKeywordMemories(
  tx: Tx,
  query: { terms: readonly string[]; limit: number; filter?: MemoryFilter },
): Promise<KeywordMemory[]> {
  const terms = [...new Set(query.terms.filter((term) => /^[\p{L}\p{N}.,]+$/u.test(term)))];
  if (terms.length === 0) return [];
  const { rows } = await tx.query(
    `WITH terms AS (
       SELECT term, to_tsquery('simple', quote_literal(term)) AS search, term ~ '[0-9]' AS literal
       FROM unnest($1::text[]) AS term),
     matching AS MATERIALIZED (
       SELECT id, content_tsv FROM user_memory
       WHERE user_id = app_current_user_id() AND content_tsv @@ to_tsquery('simple', $2) AND ${filterSql(3)}),
     hits AS (
       SELECT matching.id, terms.term, terms.literal
       FROM matching JOIN terms ON matching.content_tsv @@ terms.search),
     -- Materialized so each is computed once: the planner, expecting a row or two of hits, would
     -- otherwise recount the user's memories for every hit.
     frequency AS MATERIALIZED (SELECT term, count(*) AS documents FROM hits GROUP BY term),
     total AS MATERIALIZED (
       SELECT count(*) AS documents FROM user_memory
       WHERE user_id = app_current_user_id() AND ${filterSql(3)}),
     scored AS (
       SELECT hits.id, sum(ln(1 + total.documents::float8 / frequency.documents)) AS rank,
         (count(*) FILTER (WHERE hits.literal))::integer AS literals
       FROM hits JOIN frequency USING (term) CROSS JOIN total
       GROUP BY hits.id)
     SELECT ${MEMORY_COLUMNS}, scored.rank, scored.literals
     FROM scored JOIN user_memory USING (id)
     ORDER BY scored.rank DESC, occurred_at DESC, id
     LIMIT $6`,
    [terms, terms.map((term) => `'${term}'`).join(' | '), ...filterParams(query.filter ?? {}), query.limit],
  );
  return parseRows(keywordRow, rows);
}

/** Newest first. */
export async function listMemories(
  tx: Tx,
  options: { limit: number; kinds?: readonly MemoryKind[] },
): Promise<Memory[]> {
  const { rows } = await tx.query(
    `SELECT ${MEMORY_COLUMNS} FROM user_memory
     WHERE ($1::text[] IS NULL OR kind = ANY($1::text[]))
     ORDER BY occurred_at DESC, id LIMIT $2`,
    [options.kinds && options.kinds.length > 0 ? [...options.kinds] : null, options.limit],
  );
  return parseRows(memoryRow, rows);
}

/** Deletes one memory and returns it. */
export async function deleteMemory(tx: Tx, id: string): Promise<Memory | undefined> {
  const { rows } = await tx.query(`DELETE FROM user_memory WHERE id = $1 RETURNING ${MEMORY_COLUMNS}`, [id]);
  return parseFirstRow(memoryRow, rows);
}

const pendingRow = z.object({ id: z.string(), content: z.string() });
export type UnembeddedMemory = z.infer<typeof pendingRow>;

/** The user's memories with no vector, or one from another model or width: the re-embedding job's work. */
export async function listMemoriesOutsideSpace(
  tx: Tx,
  space: EmbeddingSpace,
  limit: number,
): Promise<UnembeddedMemory[]> {
  const { rows } = await tx.query(
    `SELECT id, content FROM user_memory
     WHERE user_id = app_current_user_id()
       AND (embedding IS NULL OR embedding_model <> $1 OR embedding_dim <> $2)
     ORDER BY occurred_at DESC, id
     LIMIT $3`,
    [space.model, space.dimensions, limit],
  );
  return parseRows(pendingRow, rows);
}

/** Stores a vector for the memory, unless its content changed since it was read. */
export async function setMemoryEmbedding(
  tx: Tx,
  memory: UnembeddedMemory,
  embedding: Embedding,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE user_memory SET embedding = $3::vector, embedding_model = $4, embedding_dim = $5
     WHERE id = $1 AND content = $2`,
    [memory.id, memory.content, ...embeddingParams(embedding)],
  );
  return rowCount === 1;
}
