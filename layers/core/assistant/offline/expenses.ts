import type { DateTime } from 'luxon';
import { findCategory } from './categories';
import { atLocal, dateOf, isoUtc, type UserClock } from './clock';
import { findDate, findRelative } from './dates';
import { findMoney } from './money';
import { cutAll, cutMatch, FILLER, remainder, type Masked } from './text';
import type { AddExpense, Language } from './types';

const EXPENSE_VERB =
  /\b(?:(?:yo\s+)?(?:me\s+)?(?:gaste|he gastado|gastamos|pague|he pagado|pagamos|compre|he comprado|compramos|me costo)|(?:i\s+)?(?:just\s+)?(?:spent|paid|bought)|(?:agrega|agregar|anade|anadir|anota|registra|registrar|nuevo|add|log|record|new)\s+(?:(?:un|a|an)\s+)?(?:gasto|expense)(?:\s+(?:de|of))?|gasto de|cost me)\b/;

const CONNECTORS = new Set(
  'en on for de del in at por para el la los las un una the a an my mi mis of y and i me yo just con with some unos unas algo total'.split(
    ' ',
  ),
);
const EDGES = { leading: CONNECTORS, trailing: CONNECTORS };

/** Expenses without a time happened at noon of their day: clear of DST gaps and of day boundaries. */
const NOON = { hour: 12, minute: 0 };

const occurredAt = (
  masked: Masked,
  clock: UserClock,
  language: Language,
): { masked: Masked; at: DateTime<true> } => {
  const afterRelative = findRelative(masked);
  const { relative } = afterRelative;
  if (relative !== undefined && relative.amount < 0) {
    const shifted = clock.now.plus({ [relative.unit]: relative.amount });
    const at =
      relative.unit === 'minutes' || relative.unit === 'hours'
        ? shifted
        : (atLocal(clock, dateOf(shifted), NOON) ?? shifted);
    return { masked: afterRelative.masked, at };
  }
  const afterDate = findDate(masked, clock, language, 'past');
  const found = afterDate.found;
  if (found === undefined) return { masked, at: clock.now };
  const isToday =
    found.date.year === clock.now.year &&
    found.date.month === clock.now.month &&
    found.date.day === clock.now.day;
  const at = isToday ? clock.now : (atLocal(clock, found.date, found.time ?? NOON) ?? clock.now);
  return { masked: afterDate.masked, at };
};

const expenseFrom = (
  masked: Masked,
  clock: UserClock,
  language: Language,
  defaultCurrency: string,
): AddExpense | undefined => {
  const signalled = findMoney(cutAll(masked, FILLER), defaultCurrency, { signalled: true });
  const when = occurredAt(signalled.masked, clock, language);
  const money =
    signalled.money === undefined ? findMoney(when.masked, defaultCurrency, { signalled: false }) : signalled;
  if (money.money === undefined) return undefined;
  const rest = signalled.money === undefined ? money.masked : when.masked;
  const description = remainder(rest, EDGES);
  return {
    kind: 'add_expense',
    amount: money.money.amount,
    currency: money.money.currency,
    category: findCategory(rest.folded, language) ?? 'other',
    description,
    occurredAt: isoUtc(when.at),
  };
};

/** "¿en qué gasté 45,90?", "where did I pay $12?": asks about a spend, and the amount finds it. */
const ASKS_WHAT_OR_WHERE =
  /^[\s¿¡]*(?:en que|a que|que|donde|en donde|on what|for what|what|where)\b.*\b(?:gaste|pague|compre|spent|spend|paid|pay|bought|buy)\b/;

/** "gasté 45.000 en almuerzo", "I spent $12.50 on coffee", "pagué 120 USD de internet ayer". */
export const planExpense = (
  masked: Masked,
  clock: UserClock,
  language: Language,
  defaultCurrency: string,
): AddExpense | undefined => {
  if (ASKS_WHAT_OR_WHERE.test(masked.folded)) return undefined;
  const verb = EXPENSE_VERB.exec(masked.folded);
  if (verb === null) return undefined;
  return expenseFrom(cutMatch(masked, verb), clock, language, defaultCurrency);
};

/** At most this many words for a message with no verb to still read as a ledger line ("taxi 12.000"). */
const SHORTHAND_MAX_WORDS = 5;

/** "almuerzo 25.000", "uber $15": an amount next to a known category word, and nothing else. */
export const planExpenseShorthand = (
  masked: Masked,
  clock: UserClock,
  language: Language,
  defaultCurrency: string,
): AddExpense | undefined => {
  const words = masked.folded.trim().split(/\s+/);
  if (words.length > SHORTHAND_MAX_WORDS || findCategory(masked.folded, language) === undefined)
    return undefined;
  return expenseFrom(masked, clock, language, defaultCurrency);
};
