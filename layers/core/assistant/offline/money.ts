import { parseLocalizedNumber } from './numbers';
import { absorbIntroducers, cut, type Masked } from './text';

export interface Money {
  amount: number;
  currency: string;
}

/** Currencies written with a bare "$": a Colombian's "$45.000" is pesos, an American's "$12.50" dollars. */
const DOLLAR_SIGN = new Set([
  'USD',
  'COP',
  'MXN',
  'ARS',
  'CLP',
  'UYU',
  'DOP',
  'CAD',
  'AUD',
  'NZD',
  'SGD',
  'HKD',
]);
const PESOS = new Set(['COP', 'MXN', 'ARS', 'CLP', 'UYU', 'DOP', 'CUP', 'PHP']);
const DOLLARS = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD']);
const ISO_CODES = 'usd|cop|eur|gbp|mxn|ars|clp|pen|brl|inr|cad|aud|jpy|chf';

const SYMBOLS: Readonly<Record<string, string>> = {
  us$: 'USD',
  u$s: 'USD',
  col$: 'COP',
  cop$: 'COP',
  mx$: 'MXN',
  r$: 'BRL',
  's/': 'PEN',
  '€': 'EUR',
  '£': 'GBP',
  '₹': 'INR',
  '¥': 'JPY',
};

const NAMED: ReadonlyArray<[RegExp, string]> = [
  [/colombianos/, 'COP'],
  [/mexicanos/, 'MXN'],
  [/chilenos/, 'CLP'],
  [/argentinos/, 'ARS'],
  [/^(?:euros?|€)$/, 'EUR'],
  [/^(?:libras?|pounds?|quid|£)$/, 'GBP'],
  [/^soles$/, 'PEN'],
  [/^(?:reales|reais)$/, 'BRL'],
  [/^(?:rupias|rupees)$/, 'INR'],
  [/^(?:yen|yenes)$/, 'JPY'],
];

const SCALES: Readonly<Record<string, number>> = {
  k: 1_000,
  mil: 1_000,
  luca: 1_000,
  lucas: 1_000,
  grand: 1_000,
  millon: 1_000_000,
  millones: 1_000_000,
  million: 1_000_000,
  millions: 1_000_000,
  palo: 1_000_000,
  palos: 1_000_000,
};

const AMOUNT = new RegExp(
  String.raw`(?<![\w.,$])(?:(?<symbol>us\$|u\$s|col\$|cop\$|mx\$|r\$|s/\.?|\$|€|£|₹|¥)\s?|(?<code>${ISO_CODES})\s?)?` +
    String.raw`(?:(?<number>\d{1,3}(?:[.,'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)|(?<wordNumber>un|medio|a|one|half a)(?=\s+(?:millon|millones|million)))` +
    String.raw`(?:\s?(?<scale>k|mil|lucas?|grand|millon|millones|millions?|palos?)(?![a-z]))?` +
    String.raw`(?:\s*(?:de\s+)?(?<word>pesos?(?:\s+(?:colombianos|mexicanos|chilenos|argentinos))?|dolares|dolar|dollars?|bucks|euros?|libras?|pounds?|quid|soles|reales|reais|rupias|rupees|yen(?:es)?|${ISO_CODES}|€|£)(?![a-z]))?` +
    String.raw`(?![\d%])`,
  'g',
);

const currencyOf = (groups: Record<string, string | undefined>, defaultCurrency: string): string => {
  const { word, symbol, code } = groups;
  if (word !== undefined) {
    if (word.startsWith('peso')) {
      const named = NAMED.find(([pattern]) => pattern.test(word))?.[1];
      return named ?? (PESOS.has(defaultCurrency) ? defaultCurrency : 'COP');
    }
    if (/^(?:dolares|dolar|dollars?|bucks)$/.test(word))
      return DOLLARS.has(defaultCurrency) ? defaultCurrency : 'USD';
    const named = NAMED.find(([pattern]) => pattern.test(word))?.[1];
    return named ?? word.toUpperCase();
  }
  if (code !== undefined) return code.toUpperCase();
  if (symbol === '$') return DOLLAR_SIGN.has(defaultCurrency) ? defaultCurrency : 'USD';
  if (symbol !== undefined) return SYMBOLS[symbol.replace(/\.$/, '')] ?? defaultCurrency;
  return defaultCurrency;
};

/** "zapatos por $180.000": the preposition goes with the price, not the description. */
const PRICE_INTRODUCER = /\b(?:por|for)\s+$/;

const WORD_AMOUNTS: Readonly<Record<string, number>> = { un: 1, a: 1, one: 1, medio: 0.5, 'half a': 0.5 };

/**
 * The first amount of money in the message: "45.000", "50 mil", "1,5 millones", "$12.50", "120 USD",
 * "30 euros". With `signalled`, only amounts that cannot be anything else count (a currency, a scale
 * word or thousands grouping), so that "el 3" or "2 cafés" are not taken for the price.
 */
export const findMoney = (
  masked: Masked,
  defaultCurrency: string,
  options: { signalled: boolean },
): { masked: Masked; money?: Money } => {
  for (const match of masked.folded.matchAll(AMOUNT)) {
    const groups = match.groups ?? {};
    const { number, wordNumber, scale, symbol, code, word } = groups;
    const base =
      number !== undefined ? parseLocalizedNumber(number) : (WORD_AMOUNTS[wordNumber ?? ''] ?? NaN);
    const amount = Math.round(base * (SCALES[scale ?? ''] ?? 1) * 100) / 100;
    if (!Number.isFinite(amount) || amount <= 0) continue;
    const signalled =
      symbol !== undefined ||
      code !== undefined ||
      word !== undefined ||
      scale !== undefined ||
      /[.,'’]/.test(number ?? '');
    if (options.signalled && !signalled) continue;
    return {
      masked: cut(
        masked,
        absorbIntroducers(masked.folded, match.index, PRICE_INTRODUCER),
        match.index + match[0].length,
      ),
      money: { amount, currency: currencyOf(groups, defaultCurrency) },
    };
  }
  return { masked };
};

/** Whether the message carries an amount at all; XXX is ISO 4217's code for "no currency". */
export const mentionsAmount = (masked: Masked): boolean =>
  findMoney(masked, 'XXX', { signalled: false }).money !== undefined;
