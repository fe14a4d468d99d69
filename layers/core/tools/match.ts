import type { Json } from '../db/repositories';
import { ToolRefusal } from './tool';

/** Lower case without accents: "Llamar a José" and "llamar a jose" are the same words to a user. */
const folded = (text: string): string =>
  text
    .toLocaleLowerCase()
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '');

/**
 * The one item a phrase refers to: the most words of the phrase (longer than two letters) found in
 * its text. No match, or a tie, is refused with the candidates so the user can pick one.
 */
export const matchOne = <T>(
  items: readonly T[],
  query: string,
  options: { textOf: (item: T) => string; viewOf: (item: T) => Record<string, Json>; noun: string },
): T => {
  const words = folded(query)
    .split(/\W+/u)
    .filter((word) => word.length > 2);
  const scored = items
    .map((item) => ({
      item,
      score: words.filter((word) => folded(options.textOf(item)).includes(word)).length,
    }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) throw new ToolRefusal('not_found', `No ${options.noun} matches "${query}"`);
  const tied = scored.filter(({ score }) => score === best.score);
  if (tied.length > 1) {
    throw new ToolRefusal('ambiguous', `Several ${options.noun}s match "${query}"`, {
      candidates: tied.map(({ item }) => options.viewOf(item)),
    });
  }
  return best.item;
};
