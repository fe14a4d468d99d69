import { TEXT_BODY_MAX } from './limits';

/**
 * Fitting text into Meta's length limits without breaking what the user reads: long replies are
 * split where a reader pauses anyway, short fields are shortened with an ellipsis. Cuts fall on
 * grapheme boundaries, so an emoji (a surrogate pair, or a ZWJ sequence) is never split.
 */

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Boundaries in order of preference: a blank line, the end of a sentence, any whitespace. */
const PARAGRAPH = /\n[^\S\n]*\n\s*/g;
const SENTENCE = /[.!?…][)\]"'»”’]*(\s+)/g;
const WORD = /\s+/g;

interface Cut {
  /** The piece is `text.slice(0, end)`. */
  end: number;
  /** The rest starts at `next`; the whitespace in between is dropped. */
  next: number;
}

/** The last match of `pattern` whose piece ends within `max` and is not empty. */
const lastBoundary = (text: string, max: number, pattern: RegExp, keepMatch: boolean): Cut | undefined => {
  let best: Cut | undefined;
  // Two units past `max`: a blank line may start right at the limit.
  for (const match of text.slice(0, max + 2).matchAll(pattern)) {
    const separator = match[1] ?? match[0];
    const end = match.index + (keepMatch ? match[0].length - separator.length : 0);
    if (end > 0 && end <= max) best = { end, next: match.index + match[0].length };
  }
  return best;
};

/** The longest run of whole graphemes within `max`: only for a single "word" longer than `max`. */
const graphemeCut = (text: string, max: number): Cut => {
  let end = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (end + segment.length > max) break;
    end += segment.length;
  }
  // A single grapheme longer than the limit cannot be kept whole; cut it at a code point.
  if (end === 0) end = String.fromCodePoint(text.codePointAt(0) ?? 0).length;
  return { end, next: end };
};

const findCut = (text: string, max: number): Cut =>
  lastBoundary(text, max, PARAGRAPH, false) ??
  lastBoundary(text, max, SENTENCE, true) ??
  lastBoundary(text, max, WORD, false) ??
  graphemeCut(text, max);

/**
 * Splits `text` into pieces of at most `max` UTF-16 units, preferring paragraph breaks, then
 * sentence ends, then spaces. A word is cut only when it alone is longer than `max`.
 */
export const splitText = (text: string, max: number = TEXT_BODY_MAX): string[] => {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const { end, next } = findCut(rest, max);
    pieces.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(next).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
};

/**
 * Shortens `text` to at most `max` UTF-16 units, ending in an ellipsis, at the last space when
 * that keeps at least half of the room (a title cut mid-word reads worse than a shorter one).
 */
export const truncate = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > room) break;
    kept += segment;
  }
  const space = kept.search(/\s\S*$/);
  if (space >= room / 2 && /\S/.test(text.charAt(kept.length))) kept = kept.slice(0, space);
  return `${kept.trimEnd()}${ELLIPSIS}`;
};
