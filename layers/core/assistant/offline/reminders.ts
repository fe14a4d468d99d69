import { clockTime, isoUtc, localStamp, type UserClock } from './clock';
import { findRecurrence, nextOccurrence } from './recurrence';
import { cutAll, cutMatch, FILLER, remainder, type Masked } from './text';
import { findTime } from './times';
import type { Ambiguity, CreateReminder, Language, Recurrence } from './types';
import { findMoment, nextNineOClock, type Moment } from './when';

/** Words that ask for a reminder wherever they appear ("every Monday at 8 remind me to …"). */
export const REMINDER_TRIGGER =
  /\b(?:recuerdame|recordame|recordarme|recuerdeme|recuerdenme|acuerdame|avisame|hazme acordar|me recuerdas|(?:pon(?:me|er)?|crea(?:r)?|programa(?:r)?|agrega(?:r)?|anade|nuevo)\s+(?:un\s+)?recordatorio(?:\s+(?:para|de))?|recordatorio(?:\s+(?:para|de))?|remind me|(?:set|create|add|make)\s+(?:a\s+|an\s+)?(?:reminder|alarm)(?:\s+(?:to|for|about))?|reminder(?:\s+(?:to|for|about))?|don'?t let me forget(?:\s+to)?|ping me|nudge me)\b/;

/**
 * Verbs that mean "remember" and become a reminder only when a time comes with them ("recuerda
 * comprar leche mañana"); followed by "que" / "that" they always store a memory instead.
 */
export const SOFT_REMINDER_TRIGGER =
  /\b(?:recuerda|acuerdate de|no olvides|no te olvides de|remember to|remember|don'?t forget to|don'?t forget)\b/;

const LEADING = new Set(
  'que de del to that about para of y and for sobre then luego tambien also me'.split(' '),
);
const TRAILING = new Set('el la a at on for para de y and que to in en por the'.split(' '));
const EDGES = { leading: LEADING, trailing: TRAILING };

const DEFAULT_HOUR = 9;

const reminderAt = (text: string, moment: Moment, recurrence?: Recurrence): CreateReminder => ({
  kind: 'create_reminder',
  text,
  dueAt: isoUtc(moment.at),
  localTime: localStamp(moment.at),
  ...(recurrence === undefined ? {} : { recurrence }),
  ...(moment.ambiguity === undefined ? {} : { ambiguity: moment.ambiguity }),
});

const recurringReminder = (masked: Masked, clock: UserClock): CreateReminder | undefined => {
  const { masked: afterRule, rule } = findRecurrence(masked, clock);
  if (rule === undefined) return undefined;
  const afterTime = findTime(afterRule, {
    ranges: false,
    ...(rule.dayPart === undefined ? {} : { dayPart: rule.dayPart }),
  });
  const time = afterTime.time ?? { hour: DEFAULT_HOUR, minute: 0 };
  const at = nextOccurrence(rule, time, clock);
  if (at === undefined) return undefined;
  const ambiguity: Ambiguity | undefined = afterTime.time === undefined ? 'no_time' : undefined;
  const { dayPart: _dayPart, ...recurrence } = rule;
  return reminderAt(
    remainder(afterTime.masked, EDGES),
    { at, ...(ambiguity ? { ambiguity } : {}) },
    {
      ...recurrence,
      time: clockTime(time),
    },
  );
};

/**
 * A reminder from the message minus its trigger: recurrence first, then when, and what is left is
 * the thing to be reminded of ("llamar a Juan", not "mañana a las 9 llamar a Juan").
 */
export const planReminder = (
  masked: Masked,
  trigger: RegExpExecArray,
  clock: UserClock,
  language: Language,
): CreateReminder => {
  const body = cutAll(cutMatch(masked, trigger), FILLER);
  const recurring = recurringReminder(body, clock);
  if (recurring !== undefined) return recurring;
  const { masked: rest, moment } = findMoment(body, clock, language, { ranges: false });
  return reminderAt(remainder(rest, EDGES), moment ?? nextNineOClock(clock));
};

/** A soft trigger counts as a reminder only if the message says when. */
export const planSoftReminder = (
  masked: Masked,
  trigger: RegExpExecArray,
  clock: UserClock,
  language: Language,
): CreateReminder | undefined => {
  const body = cutAll(cutMatch(masked, trigger), FILLER);
  if (
    findRecurrence(body, clock).rule === undefined &&
    findMoment(body, clock, language, { ranges: false }).moment === undefined
  ) {
    return undefined;
  }
  return planReminder(masked, trigger, clock, language);
};
