import { resolveClock, type UserClock } from './clock';
import { planCancel } from './cancel';
import { asksForHelp, asksForHuman, stripPleasantries } from './conversation';
import { EVENT_NOUN, EVENT_VERB, planEvent, saysWhen } from './events';
import { planExpense, planExpenseShorthand } from './expenses';
import { detectLanguage } from './language';
import { asksForMemories, contentAfter, isQuestion, memoryQuery, planForget, REMEMBER_THAT } from './memory';
import { planListEvents, planListExpenses, planListReminders, planSumExpenses } from './queries';
import { planReminder, planSoftReminder, REMINDER_TRIGGER, SOFT_REMINDER_TRIGGER } from './reminders';
import { hasLetterOrDigit, maskOf, type Masked } from './text';
import type { Intent, Language, Plan, PlannerContext } from './types';
import { planUsageReport } from './usage';

/** WhatsApp caps a text message at 4096 characters; anything longer is not a message a user typed. */
const MAX_MESSAGE_CHARS = 4096;

interface Turn {
  clock: UserClock;
  language: Language;
  currency: string;
}

type Rule = (masked: Masked, turn: Turn) => Intent | undefined;

/**
 * Tried in order; the first that recognises the message wins. The order carries the precedence:
 * cancelling before creating ("cancela el recordatorio …"), forgetting and "what do you remember
 * about me" before the questions that search memory, "recuerda que" before "recuérdame",
 * questions about expenses before the expense verbs they contain ("¿cuánto gasté …?"), and the
 * question about the assistant's own cost before those ("¿cuánto he gastado en el asistente?").
 */
const RULES: readonly Rule[] = [
  (masked) => planCancel(masked),
  (masked) => planForget(masked),
  (masked) => (asksForMemories(masked) ? { kind: 'list_memories' } : undefined),
  (masked) => {
    const trigger = REMEMBER_THAT.exec(masked.folded);
    const content = trigger === null ? '' : contentAfter(masked, trigger);
    return content === '' ? undefined : { kind: 'remember', content };
  },
  (masked, { clock, language }) => {
    const trigger = REMINDER_TRIGGER.exec(masked.folded);
    return trigger === null ? undefined : planReminder(masked, trigger, clock, language);
  },
  (masked) => (asksForHuman(masked) ? { kind: 'human_handoff' } : undefined),
  (masked) => planListReminders(masked),
  (masked) => planUsageReport(masked),
  (masked, { clock, language }) => planSumExpenses(masked, clock, language),
  (masked, { clock, language }) => planListExpenses(masked, clock, language),
  (masked, { clock, language }) => {
    const verb = EVENT_VERB.exec(masked.folded);
    if (verb === null) return undefined;
    const event = planEvent(masked, clock, language, verb);
    return event.title === '' ? undefined : event;
  },
  (masked, { clock, language }) => planListEvents(masked, clock, language),
  (masked, { clock, language, currency }) => planExpense(masked, clock, language, currency),
  (masked, { clock, language }) =>
    EVENT_NOUN.test(masked.folded) && saysWhen(masked, clock, language)
      ? planEvent(masked, clock, language)
      : undefined,
  (masked, { clock, language }) => {
    const trigger = SOFT_REMINDER_TRIGGER.exec(masked.folded);
    // "do you remember …?" asks about a memory; it is for the question rule below.
    if (trigger === null || isQuestion(masked)) return undefined;
    const reminder = planSoftReminder(masked, trigger, clock, language);
    if (reminder !== undefined) return reminder;
    const content = contentAfter(masked, trigger);
    return content === '' ? undefined : { kind: 'remember', content };
  },
  (masked) => (asksForHelp(masked) ? { kind: 'help' } : undefined),
  (masked) => {
    if (!isQuestion(masked)) return undefined;
    const query = memoryQuery(masked);
    return query === '' ? undefined : { kind: 'search_memory', query };
  },
  (masked, { clock, language, currency }) => planExpenseShorthand(masked, clock, language, currency),
];

const classify = (masked: Masked, turn: Turn): Intent => {
  const { masked: body, pleasantry } = stripPleasantries(masked);
  if (!hasLetterOrDigit(body.original)) return { kind: pleasantry ?? 'unknown' };
  for (const rule of RULES) {
    const intent = rule(body, turn);
    if (intent !== undefined) return intent;
  }
  return { kind: 'unknown' };
};

/** The message as the planner reads it, and the language it is written in. */
const readMessage = (text: string, preferred: Language) => {
  const masked = maskOf(text.slice(0, MAX_MESSAGE_CHARS).normalize('NFC'));
  return { masked, language: detectLanguage(masked.original, masked.folded, preferred) };
};

/** The language a message is written in, judged as planMessage judges it, without planning the rest. */
export const messageLanguage = (text: string, preferred: Language): Language =>
  readMessage(text, preferred).language;

/**
 * The offline planner: what a WhatsApp message asks for, in Spanish or English, with its slots
 * parsed — no model, no I/O, and no clock but `context.now`. It never throws on any text.
 */
export const planMessage = (text: string, context: PlannerContext): Plan => {
  const clock = resolveClock(context.now, context.timeZone);
  const { masked, language } = readMessage(text, context.locale);
  return {
    language,
    intent: classify(masked, { clock, language, currency: context.defaultCurrency.toUpperCase() }),
  };
};
