/**
 * Words as memory search compares them, in Spanish and English: folded (lower case, no accents), without
 * the words every sentence has, and with amounts written one way.
 */

/** Lower case without accents or other marks: "Cumpleaños" and "cumpleanos" are one word to a user. */
export const fold = (text: string): string => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Articles, pronouns, auxiliaries and question words of both languages (folded). They carry no topic,
 * and in a question ("what's my sister's birthday?") they would outnumber the words that do.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  // Spanish
  (
    'a al algo algun alguna algunas alguno algunos ante antes aqui asi aun con contra cual cuales cuando ' +
    'cuanto cuanta cuantos cuantas de del desde donde e el ella ellas ellos en entre era eramos eran es esa ' +
    'esas ese eso esos esta estaba estas este esto estos estoy fue fueron ha han has hay he la las le les lo ' +
    'los me mi mis mas muy nada ni no nos nosotros o os otra otro para pero poco por porque que quien quienes ' +
    'se sea ser si sin sobre son soy su sus tambien te tengo tiene tienes ti tu tus un una uno unos unas y ya yo ' +
    'dime decir dijiste recuerdas recuerda acuerdas sabes sabe favor porfa oye hola ' +
    // English
    'about after again all am an and any are as at be been before being both but by can could did do does ' +
    'doing done for from had has have having he her here hers him his how i if in into is it its just me more ' +
    'most my myself no nor not of off on once only or our ours out over own please same she should so some ' +
    'such than that the their theirs them then there these they this those through to too under until up very ' +
    'was we were what whats when where which while who whom why will with would you your yours yourself ' +
    'tell remember know recall again s t don didn doesn isn wasn'
  ).split(' '),
);

// Letters and digits together ("221b", "tigre123"), and amounts with their separators ("45.90", "1,234.56"),
// as Postgres' text-search parser splits them, so a query term meets the stored lexeme.
const TOKEN = /[\p{L}\p{N}]+(?:[.,]\p{N}+)*/gu;

/** The folded words and numbers of a text, in order, stopwords included. */
export const tokens = (text: string): string[] => fold(text).match(TOKEN) ?? [];

export const isNumber = (token: string): boolean => /^\p{N}+(?:[.,]\p{N}+)*$/u.test(token);

/** The folded words and numbers that say what a text is about. */
export const contentTokens = (text: string): string[] =>
  tokens(text).filter((token) => !STOPWORDS.has(token));

/**
 * Ways the same amount is written: "45.000" is forty-five thousand in Colombia and forty-five in the
 * US, "45,90" and "45.90" are the same price, and "12.5" is stored as "12.50". Memories write amounts
 * with a dot and two decimals (or none for whole numbers), so every reading of the token is offered.
 */
export const numberForms = (token: string): string[] => {
  const forms = new Set<string>([token]);
  const groups = token.split(/[.,]/);
  const last = groups.at(-1) ?? '';
  const canonical = (integer: string, fraction: string) => {
    const whole = integer.replace(/^0+(?=\d)/, '');
    const trimmed = fraction.replace(/0+$/, '');
    return trimmed === '' ? whole : `${whole}.${fraction.length >= 2 ? fraction : fraction.padEnd(2, '0')}`;
  };
  if (groups.length === 1) return [...forms];
  // The last separator as a decimal point: "45,90" → 45.90, "1,234.56" → 1234.56.
  if (last.length <= 2 || groups.length === 2) forms.add(canonical(groups.slice(0, -1).join(''), last));
  // Every separator as a thousands separator: "45.000" → 45000, "1.234.567" → 1234567.
  if (groups.slice(1).every((group) => group.length === 3)) forms.add(groups.join(''));
  return [...forms];
};
