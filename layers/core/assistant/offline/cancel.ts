import { cutAll, cutMatch, FILLER, remainder, type Masked } from './text';
import type { Intent } from './types';

const CANCEL_VERB =
  /^\s*(?:cancela(?:r|me)?|cancel|borra(?:r|me)?|elimina(?:r|me)?|quita(?:r|me)?|anula(?:r)?|suprime|delete|remove|undo|deshaz|deshacer|clear|drop)\b/;

const STOP_REMINDING =
  /\b(?:ya no me recuerdes|no me recuerdes(?: mas)?|deja de recordarme|don'?t remind me(?: anymore)?|stop reminding me)\b/;

const EXPENSE_NOUN = /\b(?:gastos?|expenses?)\b/;
const REMINDER_NOUN = /\b(?:recordatorios?|reminders?|alarmas?|alarms?|avisos?)\b/;
const EVENT_NOUN =
  /\b(?:eventos?|citas?|reuniones|reunion|juntas?|llamadas?|events?|appointments?|meetings?|calls?)\b/;

const QUERY_EDGE = new Set(
  (
    'el la los las lo mi mis my the a an un una de del about for to of sobre con with que para that on all ' +
    'todos todas ese esa this anymore more mas ya'
  ).split(' '),
);
const EDGES = { leading: QUERY_EDGE, trailing: QUERY_EDGE };

const queryOf = (masked: Masked, noun: RegExp): string =>
  remainder(cutAll(cutAll(masked, noun), FILLER), EDGES);

/**
 * "cancela el recordatorio de llamar a Juan", "cancel my dentist appointment", "borra el último
 * gasto", "ya no me recuerdes lo del gym". The verb must open the message, so "recuérdame cancelar
 * la cita" stays a reminder.
 */
export const planCancel = (masked: Masked): Intent | undefined => {
  const stop = STOP_REMINDING.exec(masked.folded);
  if (stop !== null)
    return { kind: 'cancel_reminder', query: queryOf(cutMatch(masked, stop), REMINDER_NOUN) };
  const verb = CANCEL_VERB.exec(masked.folded);
  if (verb === null) return undefined;
  const rest = cutMatch(masked, verb);
  if (REMINDER_NOUN.test(rest.folded))
    return { kind: 'cancel_reminder', query: queryOf(rest, REMINDER_NOUN) };
  if (EVENT_NOUN.test(rest.folded)) return { kind: 'cancel_event', query: queryOf(rest, EVENT_NOUN) };
  if (EXPENSE_NOUN.test(rest.folded)) return { kind: 'delete_last_expense' };
  return undefined;
};
