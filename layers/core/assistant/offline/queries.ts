import { findCategory } from './categories';
import type { UserClock } from './clock';
import { mentionsAmount } from './money';
import { defaultPeriod, findPeriod } from './periods';
import type { Masked } from './text';
import type { Intent, Language } from './types';

const LIST_REMINDERS =
  /\b(?:recordatorios|reminders|alarmas|alarms)\b|\b(?:que|cuales|what|which)\b.*\b(?:recordatorio|reminder)\b/;

const SUM_EXPENSES =
  /\bcuant[oa]s?\b.*\b(?:gaste|gastado|gastamos|gasto|gastos|llevo|pague|he pagado)\b|\bhow much\b.*\b(?:spend|spent|spending|paid|pay)\b|\btotal\b.*\b(?:gastos?|gastado|expenses?|spent|spending)\b|\b(?:gastos|expenses|spending)\b.*\btotal\b/;

const LIST_EXPENSES =
  /^\s*(?:gastos|expenses)\b|\b(?:mis|my|los|the|ver|muestra(?:me)?|lista(?:r)?|show|list|see|view|dame|give me)\b.*\b(?:gastos|expenses)\b|\b(?:que|cuales|what|which)\b.*\b(?:gastos|expenses)\b|\ben que\b.*\bgast|\bwhat did i (?:spend|buy)\b/;

const LIST_EVENTS =
  /^\s*(?:agenda|calendario|calendar|eventos|events|citas|appointments)\b|\b(?:que|what)\b.*\b(?:tengo|have|got)\b|\b(?:que|what)\b.*\bhay\b.*\b(?:hoy|manana|agenda|calendario|semana)\b|\b(?:mi|mis|my|la|el|the|ver|muestra(?:me)?|show|list|see|check|revisa)\b.*\b(?:agenda|calendario|calendar|schedule|eventos|events|citas|appointments|reuniones|meetings)\b|\b(?:tengo algo|do i have anything|am i (?:free|busy)|estoy (?:libre|ocupad[oa]))\b/;

export const planListReminders = (masked: Masked): Intent | undefined =>
  LIST_REMINDERS.test(masked.folded) ? { kind: 'list_reminders' } : undefined;

/** "¿cuánto gasté esta semana?", "how much did I spend on food this month?" (default: this month). */
export const planSumExpenses = (masked: Masked, clock: UserClock, language: Language): Intent | undefined => {
  if (!SUM_EXPENSES.test(masked.folded)) return undefined;
  const period = findPeriod(masked, clock, language, 'past') ?? defaultPeriod.thisMonth(clock);
  const category = findCategory(masked.folded, language);
  return { kind: 'sum_expenses', ...period, ...(category === undefined ? {} : { category }) };
};

/** "mis gastos de la semana", "show my expenses this month"; a message with an amount is a new expense. */
export const planListExpenses = (
  masked: Masked,
  clock: UserClock,
  language: Language,
): Intent | undefined => {
  if (!LIST_EXPENSES.test(masked.folded) || mentionsAmount(masked)) return undefined;
  const period = findPeriod(masked, clock, language, 'past') ?? defaultPeriod.thisMonth(clock);
  const category = findCategory(masked.folded, language);
  return { kind: 'list_expenses', ...period, ...(category === undefined ? {} : { category }) };
};

/** "¿qué tengo mañana?", "what's on my calendar this week?" (default: the coming seven days). */
export const planListEvents = (masked: Masked, clock: UserClock, language: Language): Intent | undefined => {
  if (!LIST_EVENTS.test(masked.folded)) return undefined;
  const period = findPeriod(masked, clock, language, 'upcoming') ?? defaultPeriod.upcomingWeek(clock);
  return { kind: 'list_events', ...period };
};
