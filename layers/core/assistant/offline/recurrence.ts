import type { DateTime } from 'luxon';
import { atLocal, dateOf, type TimeOfDay, type UserClock } from './clock';
import { WEEKDAY_PATTERN, weekdayNumber } from './dates';
import { cut, type Masked } from './text';
import type { DayPart } from './times';
import type { Recurrence } from './types';

export type RecurrenceRule = Omit<Recurrence, 'time'> & {
  /** "todas las noches", "every morning": the part of the day its times belong to. */
  dayPart?: DayPart;
};

const WORKWEEK = [1, 2, 3, 4, 5];
const WEEKEND = [6, 7];
const PARTS: Readonly<Record<string, DayPart>> = {
  manana: 'morning',
  morning: 'morning',
  tarde: 'afternoon',
  afternoon: 'afternoon',
  noche: 'night',
  evening: 'night',
  night: 'night',
};

const SPANISH_DAY = String.raw`(?:lunes|martes|miercoles|jueves|viernes|sabados?|domingos?)`;
const ENGLISH_DAY = String.raw`(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)`;

interface RecurrencePattern {
  pattern: RegExp;
  rule: (match: RegExpExecArray, clock: UserClock) => RecurrenceRule | undefined;
}

const monthDay = (match: RegExpExecArray, clock: UserClock): RecurrenceRule | undefined => {
  const day = Number(match.groups?.day ?? clock.now.day);
  return day >= 1 && day <= 31 ? { frequency: 'monthly', byMonthDay: day } : undefined;
};

const namedWeekdays = (match: RegExpExecArray): RecurrenceRule => {
  const names = match[0].match(new RegExp(WEEKDAY_PATTERN, 'g')) ?? [];
  const days = [...new Set(names.map((name) => weekdayNumber(name) ?? 1))].sort(
    (left, right) => left - right,
  );
  return { frequency: 'weekly', byWeekday: days };
};

/** Ordered so the longer phrase wins: "todos los días hábiles" before "todos los días". */
const PATTERNS: readonly RecurrencePattern[] = [
  { pattern: /\b(?:el\s+)?(?:dia\s+)?(?<day>\d{1,2})\s+de\s+cada\s+mes\b/, rule: monthDay },
  {
    pattern: /\b(?:(?:on\s+)?the\s+)?(?<day>\d{1,2})(?:st|nd|rd|th)?\s+of\s+(?:every|each|the)\s+month\b/,
    rule: monthDay,
  },
  {
    pattern:
      /\b(?:cada mes|todos los meses|mensualmente|every month|each month|monthly)(?:\s+(?:el\s+(?:dia\s+)?|on\s+the\s+|the\s+)(?<day>\d{1,2})(?:st|nd|rd|th)?\b)?/,
    rule: monthDay,
  },
  {
    pattern:
      /\b(?:(?:todos\s+)?los\s+dias\s+(?:de\s+semana|habiles|laborables)|entre\s+semana|de\s+lunes\s+a\s+viernes|(?:every|each)\s+weekday|(?:on\s+)?weekdays|monday\s+(?:to|through|thru)\s+friday)\b/,
    rule: () => ({ frequency: 'weekly', byWeekday: WORKWEEK }),
  },
  {
    pattern:
      /\b(?:(?:todos\s+)?los\s+fines\s+de\s+semana|cada\s+fin\s+de\s+semana|(?:every|each)\s+weekend|(?:on\s+)?weekends)\b/,
    rule: () => ({ frequency: 'weekly', byWeekday: WEEKEND }),
  },
  {
    pattern: new RegExp(
      String.raw`\b(?:todos\s+los|cada|los)\s+${SPANISH_DAY}(?:\s*(?:,|y|e)\s*(?:los\s+)?${SPANISH_DAY})*\b`,
    ),
    rule: namedWeekdays,
  },
  {
    pattern: new RegExp(
      String.raw`\b(?:every|each)\s+${ENGLISH_DAY}s?(?:\s*(?:,|and|&)\s*${ENGLISH_DAY}s?)*\b|\b(?:on\s+)?${ENGLISH_DAY}s(?:\s*(?:,|and|&)\s*${ENGLISH_DAY}s)*\b`,
    ),
    rule: namedWeekdays,
  },
  {
    pattern: /\b(?:cada\s+semana|todas\s+las\s+semanas|semanalmente|every\s+week|each\s+week|weekly)\b/,
    rule: (_match, clock) => ({ frequency: 'weekly', byWeekday: [clock.now.weekday] }),
  },
  {
    pattern:
      /\b(?:todas\s+las|cada)\s+(?<part>manana|tarde|noche)s?\b|\b(?:every|each)\s+(?<englishPart>morning|afternoon|evening|night)\b/,
    rule: (match) => {
      const dayPart = PARTS[match.groups?.part ?? match.groups?.englishPart ?? ''];
      return { frequency: 'daily', ...(dayPart === undefined ? {} : { dayPart }) };
    },
  },
  {
    pattern: /\b(?:todos\s+los\s+dias|cada\s+dia|diariamente|a\s+diario|every\s*day|each\s+day|daily)\b/,
    rule: () => ({ frequency: 'daily' }),
  },
];

/** "todos los días", "every Monday and Thursday", "el 5 de cada mes", "on weekdays". */
export const findRecurrence = (
  masked: Masked,
  clock: UserClock,
): { masked: Masked; rule?: RecurrenceRule } => {
  for (const { pattern, rule } of PATTERNS) {
    const match = pattern.exec(masked.folded);
    if (match === null) continue;
    const found = rule(match, clock);
    if (found === undefined) continue;
    return { masked: cut(masked, match.index, match.index + match[0].length), rule: found };
  }
  return { masked };
};

/** The first time the rule fires strictly after now. */
export const nextOccurrence = (
  rule: RecurrenceRule,
  time: TimeOfDay,
  clock: UserClock,
): DateTime<true> | undefined => {
  if (rule.frequency === 'monthly') {
    const wanted = rule.byMonthDay ?? clock.now.day;
    for (let months = 0; months <= 2; months += 1) {
      const month = clock.now.startOf('month').plus({ months });
      const day = Math.min(wanted, month.daysInMonth ?? wanted);
      const at = atLocal(clock, { year: month.year, month: month.month, day }, time);
      if (at !== undefined && at > clock.now) return at;
    }
    return undefined;
  }
  for (let days = 0; days <= 7; days += 1) {
    const date = clock.now.plus({ days });
    if (rule.byWeekday !== undefined && !rule.byWeekday.includes(date.weekday)) continue;
    const at = atLocal(clock, dateOf(date), time);
    if (at !== undefined && at > clock.now) return at;
  }
  return undefined;
};
