/** Small counts written as words (folded): enough for hours, durations and "un millón". */
export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  un: 1,
  una: 1,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
  quince: 15,
  veinte: 20,
  treinta: 30,
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
};

/** Alternation of the words above, longest first so "once" never stops at "on". */
export const NUMBER_WORD_PATTERN = Object.keys(NUMBER_WORDS)
  .sort((left, right) => right.length - left.length)
  .join('|');

/** A digit string or a number word; undefined for anything else. */
export const countOf = (token: string): number | undefined => {
  if (/^\d+$/.test(token)) return Number(token);
  return NUMBER_WORDS[token];
};

/**
 * A number as people type it in either language: "45.000" and "1,200" group thousands, "12,50" and
 * "12.50" carry decimals, "1.200,50" and "1,200.50" both mean 1200.5, and an apostrophe ("1'500.000",
 * common in Colombia) always groups.
 */
export const parseLocalizedNumber = (raw: string): number => {
  const digits = raw.replace(/['’\s]/g, '');
  const separators = digits.match(/[.,]/g) ?? [];
  if (separators.length === 0) return Number(digits);
  const lastIndex = Math.max(digits.lastIndexOf('.'), digits.lastIndexOf(','));
  const decimals = digits.slice(lastIndex + 1);
  const mixed = new Set(separators).size > 1;
  const lastIsDecimal =
    mixed || (separators.length === 1 && (decimals.length !== 3 || /^0+$/.test(digits.slice(0, lastIndex))));
  if (!lastIsDecimal) return Number(digits.replace(/[.,]/g, ''));
  const integerPart = digits.slice(0, lastIndex).replace(/[.,]/g, '');
  return Number(`${integerPart}.${decimals}`);
};
