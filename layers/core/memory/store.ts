import type { Tx } from '../db/database';
import {
  deleteMemory,
  findMemoryByContent,
  getMemory,
  insertMemory,
  type Memory,
  type MemoryKind,
  replaceMemory,
} from '../db/repositories';
import type { Embedder } from '../ports/embedder';
import { spaceOf } from './embeddings';
import { findNearest, type FoundMemory, searchMemories } from './search';

/** What the user says, as opposed to the text of their expenses, events and reminders. */
export const SAID_KINDS = ['fact', 'preference', 'summary'] as const satisfies readonly MemoryKind[];
export type SaidKind = (typeof SAID_KINDS)[number];

export interface Remembered {
  readonly memory: Memory;
  /** True when a near-identical memory was updated instead of a new one stored. */
  readonly merged: boolean;
  /** The merged memory's words before this update. */
  readonly previous?: string;
}

/**
 * Stores what the user said, unless they said it before: a memory of the same kind at the space's
 * `duplicate` similarity (or with the same words, when there is no vector) takes the new wording and
 * time instead, so "I prefer calls in the morning" after "I prefer morning calls" leaves one memory.
 * `vector` is the content's, or undefined when the embedder could not answer.
 */
export const remember = async (
  tx: Tx,
  embedder: Pick<Embedder, 'model' | 'dimensions' | 'similarity'>,
  input: { kind: SaidKind; content: string; occurredAt?: Date },
  vector: readonly number[] | undefined,
): Promise<Remembered> => {
  const space = spaceOf(embedder);
  const embedding = vector && { values: vector, space };
  const nearest = vector
    ? (await findNearest(tx, { vector, space, limit: 1, filter: { kinds: [input.kind] } }))[0]
    : undefined;
  const duplicate =
    nearest && 1 - nearest.distance >= embedder.similarity.duplicate
      ? nearest
      : await findMemoryByContent(tx, input.kind, input.content);
  const memory = {
    content: input.content,
    ...(input.occurredAt && { occurredAt: input.occurredAt }),
    ...(embedding && { embedding }),
  };
  if (duplicate) {
    const updated = await replaceMemory(tx, duplicate.id, memory);
    if (updated) return { memory: updated, merged: true, previous: duplicate.content };
  }
  return { memory: await insertMemory(tx, { kind: input.kind, ...memory }), merged: false };
};

/**
 * How much better than the runner-up the best match of "forget my address" must be to be forgotten
 * without asking: a fused score half again as high, or this much more cosine similarity.
 */
const CLEAR_SCORE_RATIO = 1.5;
const CLEAR_SIMILARITY_MARGIN = 0.15;
const FORGET_CANDIDATES = 3;

export type ForgetOutcome =
  | { readonly kind: 'forgotten'; readonly memory: Memory }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly FoundMemory[] }
  | { readonly kind: 'not_found' };

const isClearWinner = (best: FoundMemory, runnerUp: FoundMemory | undefined): boolean =>
  runnerUp === undefined ||
  best.score >= CLEAR_SCORE_RATIO * runnerUp.score ||
  (best.similarity ?? 0) - (runnerUp.similarity ?? 0) >= CLEAR_SIMILARITY_MARGIN;

/**
 * Forgets one thing the user said, by id or by a description ("my address") and its vector (undefined
 * when the embedder could not answer). A description that fits several memories about equally well
 * forgets nothing and returns them, so the user can pick. Only what the user said can be forgotten this
 * way: an expense's text goes with the expense.
 */
export const forget = async (
  tx: Tx,
  embedder: Pick<Embedder, 'model' | 'dimensions' | 'similarity'>,
  target: { id: string } | { query: string; vector: readonly number[] | undefined },
): Promise<ForgetOutcome> => {
  if ('id' in target) {
    const memory = await getMemory(tx, target.id);
    if (!memory || !(SAID_KINDS as readonly string[]).includes(memory.kind)) return { kind: 'not_found' };
    await deleteMemory(tx, memory.id);
    return { kind: 'forgotten', memory };
  }
  const found = await searchMemories(
    tx,
    embedder,
    { text: target.query, kinds: SAID_KINDS, limit: FORGET_CANDIDATES },
    target.vector,
  );
  const [best, runnerUp] = found;
  if (!best) return { kind: 'not_found' };
  if (!isClearWinner(best, runnerUp)) return { kind: 'ambiguous', candidates: found };
  await deleteMemory(tx, best.id);
  return { kind: 'forgotten', memory: best };
};
