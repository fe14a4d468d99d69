import { mentionsAmount } from './money';
import type { Masked } from './text';
import type { Intent } from './types';

/** The assistant itself, as a user names it. */
const ASSISTANT = /\b(?:asistente|assistant|chasqui|bot|ia|ai|chat ?bot)\b/;

/** A question about money or use: how much, cost, spent, usage. */
const COST_WORDS =
  /\bcuant[oa]s?\b|\bhow much\b|\bcost(?:o|os|s|ado|ar|ea|ed)?\b|\bcuest[ao]\b|\bgast(?:e|ado|o|amos)\b|\bspen[dt]\b|\b(?:uso|consumo|usage)\b/;

/** Phrases that ask about the user's own cost to the service, naming no assistant. */
const USAGE_PHRASE =
  /\b(?:te he costado|te cuesto|(?:what|how much) (?:have|do) i cost|mi (?:uso|consumo)|my usage|usage report)\b/;

/**
 * "¿cuánto he gastado en el asistente?", "what have I cost?", "/cost": the user's own usage and its cost.
 * Tried before the expense questions, which "¿cuánto he gastado …?" would otherwise be; without the
 * assistant named, "¿cuánto gasté?" stays a question about the user's expenses, and with an amount
 * ("gasté 20 en la app de IA") it is an expense.
 */
export const planUsageReport = (masked: Masked): Intent | undefined => {
  const asks =
    USAGE_PHRASE.test(masked.folded) || (ASSISTANT.test(masked.folded) && COST_WORDS.test(masked.folded));
  return asks && !mentionsAmount(masked) ? { kind: 'usage_report' } : undefined;
};
