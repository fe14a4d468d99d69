/**
 * The message as the parsers see it: `original` keeps the user's casing and accents for the slots we
 * hand back, `folded` is lower case without accents for matching. Both always have the same length,
 * so an index found in one is valid in the other, and parsers consume text by blanking spans.
 */
export interface Masked {
  readonly original: string;
  readonly folded: string;
}

const TYPOGRAPHIC: Readonly<Record<string, string>> = { '\u2018': "'", '\u2019': "'", '\u00b4': "'" };

const foldUnit = (unit: string): string => {
  const typographic = TYPOGRAPHIC[unit];
  if (typographic !== undefined) return typographic;
  const lower = unit.toLowerCase();
  // A few letters lower-case to two code units (İ); keeping them as they are preserves alignment.
  const single = lower.length === 1 ? lower : unit;
  return single.normalize('NFD').charAt(0);
};

/** Lower case and strip accents one code unit at a time, so the result stays index-aligned. */
export const fold = (text: string): string => {
  let folded = '';
  for (const unit of text.split('')) folded += foldUnit(unit);
  return folded;
};

export const maskOf = (text: string): Masked => ({ original: text, folded: fold(text) });

export const cut = (masked: Masked, start: number, end: number): Masked => {
  const blank = ' '.repeat(end - start);
  return {
    original: masked.original.slice(0, start) + blank + masked.original.slice(end),
    folded: masked.folded.slice(0, start) + blank + masked.folded.slice(end),
  };
};

export const cutMatch = (masked: Masked, match: RegExpExecArray): Masked =>
  cut(masked, match.index, match.index + match[0].length);

/** Blank every match of the pattern. */
export const cutAll = (masked: Masked, pattern: RegExp): Masked => {
  const everywhere = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  let result = masked;
  for (const match of masked.folded.matchAll(everywhere)) {
    result = cut(result, match.index, match.index + match[0].length);
  }
  return result;
};

/**
 * Widen a span to the left over words that only introduce it ("el viernes", "on Friday"), so that
 * cutting the span leaves no dangling article in the text around it.
 */
export const absorbIntroducers = (folded: string, start: number, introducer: RegExp): number => {
  const before = introducer.exec(folded.slice(0, start));
  return before === null ? start : before.index;
};

const PUNCTUATION_ONLY = /^[\p{P}\p{S}]+$/u;
const EDGE_PUNCTUATION = /^[\s\p{P}]+|[\s\p{P}]+$/gu;
const EMOJI = /\p{Extended_Pictographic}/u;

const bareWord = (token: string): string => token.replace(/^[\p{P}]+|[\p{P}]+$/gu, '');

export interface EdgeWords {
  leading: ReadonlySet<string>;
  trailing: ReadonlySet<string>;
}

/**
 * What is left of the message once the parsers blanked what they understood: whitespace collapsed,
 * stray punctuation dropped, and connector words trimmed from both ends ("to call John" → "call John").
 */
export const remainder = (masked: Masked, edges: EdgeWords): string => {
  const tokens = [...masked.folded.matchAll(/\S+/g)]
    .map((match) => ({
      original: masked.original.slice(match.index, match.index + match[0].length),
      bare: bareWord(match[0]),
    }))
    .filter((token) => !PUNCTUATION_ONLY.test(token.original) || EMOJI.test(token.original));
  let first = 0;
  let last = tokens.length;
  while (first < last && edges.leading.has(tokens[first]!.bare)) first += 1;
  while (last > first && edges.trailing.has(tokens[last - 1]!.bare)) last -= 1;
  return tokens
    .slice(first, last)
    .map((token) => token.original)
    .join(' ')
    .replace(EDGE_PUNCTUATION, '');
};

/** Politeness and attention-getters that carry no slot value anywhere in a command. */
export const FILLER =
  /(?<![\p{L}\p{N}])(?:por favor|porfa(?:vor)?|porfis|please|pls|plz|oye|hey|chasqui|puedes|podrias|(?:can|could|would|will) (?:you|u))(?![\p{L}\p{N}])/u;

export const hasLetterOrDigit = (text: string): boolean => /[\p{L}\p{N}]/u.test(text);
