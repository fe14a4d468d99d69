import * as z from 'zod/mini';
import { type Tx } from '../database';
import { parseRows, timestamp } from './rows';

/** The width of user_memory.embedding. */
export const EMBEDDING_DIMENSIONS = 1536;

const memoryRow = z.object({
  id: z.string(),
  kind: z.string(),
  content: z.string(),
  embeddingModel: z.nullable(z.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Memory = z.infer<typeof memoryRow>;

const MEMORY_COLUMNS = `id, kind, content, embedding_model AS "embeddingModel", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export interface Embedding {
  readonly values: readonly number[];
  readonly model: string;
}

/** pgvector's text form, `[0.1,0.2,…]`. */
function toVectorLiteral(values: readonly number[]): string {
  if (values.length !== EMBEDDING_DIMENSIONS) {
    throw new RangeError(`An embedding needs ${EMBEDDING_DIMENSIONS} dimensions, got ${values.length}`);
  }
  if (!values.every(Number.isFinite)) throw new RangeError('An embedding must contain only finite numbers');
  return `[${values.join(',')}]`;
}

export interface NewMemory {
  readonly kind: string;
  readonly content: string;
  /** Omit when the embedder is unavailable; the memory is still kept, and found by text. */
  readonly embedding?: Embedding;
}

export async function insertMemory(tx: Tx, memory: NewMemory): Promise<Memory> {
  const embedding = memory.embedding;
  const { rows } = await tx.query(
    `INSERT INTO user_memory (kind, content, embedding, embedding_model, embedding_dim)
     VALUES ($1, $2, $3::vector, $4, $5)
     RETURNING ${MEMORY_COLUMNS}`,
    [
      memory.kind,
      memory.content,
      embedding ? toVectorLiteral(embedding.values) : null,
      embedding?.model ?? null,
      embedding ? embedding.values.length : null,
    ],
  );
  return memoryRow.parse(rows[0]);
}

const nearestRow = z.extend(memoryRow, { distance: z.number() });
export type NearestMemory = z.infer<typeof nearestRow>;

/**
 * The user's memories closest to `embedding` by cosine distance (0 = same direction), nearest first.
 *
 * The HNSW index holds every user's vectors, and row-level security filters its candidates afterwards: with
 * the default scan, a user with few memories could get fewer than `limit`, or none. Iterative scanning
 * (pgvector 0.8) keeps reading the index until enough rows survive the filter.
 */
export async function findNearestMemories(
  tx: Tx,
  embedding: readonly number[],
  limit: number,
): Promise<NearestMemory[]> {
  await tx.query("SELECT set_config('hnsw.iterative_scan', 'strict_order', true)");
  const { rows } = await tx.query(
    `SELECT ${MEMORY_COLUMNS}, embedding <=> $1::vector AS distance
     FROM user_memory
     WHERE embedding IS NOT NULL
     ORDER BY embedding <=> $1::vector
     LIMIT $2`,
    [toVectorLiteral(embedding), limit],
  );
  return parseRows(nearestRow, rows);
}

/** Newest first. */
export async function listMemories(tx: Tx, limit: number): Promise<Memory[]> {
  const { rows } = await tx.query(
    `SELECT ${MEMORY_COLUMNS} FROM user_memory ORDER BY created_at DESC, id LIMIT $1`,
    [limit],
  );
  return parseRows(memoryRow, rows);
}

export async function deleteMemory(tx: Tx, id: string): Promise<boolean> {
  const { rowCount } = await tx.query('DELETE FROM user_memory WHERE id = $1', [id]);
  return rowCount === 1;
}
