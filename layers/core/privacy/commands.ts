import { fold } from '../assistant/offline/text';

/**
 * Consent and erasure commands are recognised here, before any model: stopping messages must never depend
 * on an LLM being up, right or within budget. Only the whole message counts ("Baja.", "STOP 🛑"), so
 * "stop reminding me about rent" stays a request for the assistant.
 */

/** Always honoured, whatever the configuration adds (FACTS.md, Policy: "STOP", "BAJA"). */
export const MANDATORY_OPT_OUT_KEYWORDS = ['stop', 'baja', 'parar', 'unsubscribe'] as const;
export const MANDATORY_OPT_IN_KEYWORDS = ['start', 'alta'] as const;

export interface ConsentKeywords {
  /** Added to the mandatory ones; any case and accents. */
  readonly optOut: readonly string[];
  readonly optIn: readonly string[];
}

export type PrivacyCommand = 'opt_out' | 'opt_in' | 'erase';

/** Lower case, without accents, with punctuation, symbols and emoji reduced to single spaces. */
export const normalizeCommand = (text: string): string =>
  fold(text.normalize('NFC'))
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const POLITE = String.raw`(?:(?:por favor|porfa|please|pls|quiero|quisiera|necesito|deseo|puedes|podrias|me puedes|i want to|i d like to|i would like to|i need to|can you|could you|can i)\s+)*`;
const ERASE_VERB = String.raw`(?:borrar|borra|borre|borren|borrame|borro|eliminar|elimina|elimine|eliminen|eliminame|elimino|suprimir|suprime|delete|erase|remove|wipe)`;
const ERASE_OBJECT = String.raw`(?:(?:todos|todas|todo|toda|all|all of)\s+)?(?:mis|mi|my)\s+(?:personal\s+)?(?:datos|data|informacion|info|information|cuenta|account|historial|history)(?:\s+personales)?`;
const POLITE_END = String.raw`(?:\s+(?:por favor|porfa|please|pls))?`;

const ERASE_REQUEST = new RegExp(
  String.raw`^(?:${POLITE}${ERASE_VERB}\s+${ERASE_OBJECT}${POLITE_END}|olvidame|forget me|forget about me)$`,
);

/** The command a whole message stands for, if any; an opt-out wins over anything else. */
export const privacyCommandOf = (text: string, keywords: ConsentKeywords): PrivacyCommand | undefined => {
  const message = normalizeCommand(text);
  if (message === '') return undefined;
  const matches = (words: readonly string[]) => words.some((word) => normalizeCommand(word) === message);
  if (matches(MANDATORY_OPT_OUT_KEYWORDS) || matches(keywords.optOut)) return 'opt_out';
  if (matches(MANDATORY_OPT_IN_KEYWORDS) || matches(keywords.optIn)) return 'opt_in';
  return ERASE_REQUEST.test(message) ? 'erase' : undefined;
};

/** Comma-separated keywords as configured (an environment variable), blanks dropped. */
export const parseKeywordList = (text: string): string[] =>
  text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => normalizeCommand(word) !== '');
