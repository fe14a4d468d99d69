import * as chrono from 'chrono-node';
import { dateOf, today, type CalendarDate, type TimeOfDay, type UserClock } from './clock';
import { NUMBER_WORD_PATTERN, countOf } from './numbers';
import { absorbIntroducers, cut, type Masked } from './text';
import type { Language } from './types';

/** Which way a bare date points: reminders and events look ahead, expenses look back. */
export type Direction = 'upcoming' | 'past';

export type RelativeUnit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months';

export interface Relative {
  /** Negative for "hace 2 días", "2 days ago". */
  amount: number;
  unit: RelativeUnit;
}

export interface FoundDate {
  date: CalendarDate;
  /** A bare weekday ("el viernes"): if its time has already passed today, next week's is meant. */
  weekly: boolean;
  /** A time only chrono understood, kept as a fallback for times.ts. */
  time?: TimeOfDay;
}

const UNITS: ReadonlyArray<[RegExp, RelativeUnit]> = [
  [/^(?:minutos?|mins?|minutes?)$/, 'minutes'],
  [/^(?:horas?|hrs?|hours?|h)$/, 'hours'],
  [/^(?:dias?|days?)$/, 'days'],
  [/^(?:semanas?|weeks?)$/, 'weeks'],
  [/^(?:mes|meses|months?)$/, 'months'],
];

const AMOUNT_AND_UNIT =
  String.raw`(?<amount>\d{1,3}|un par de|a couple of|half an?|media|${NUMBER_WORD_PATTERN})\s*` +
  String.raw`(?<unit>minutos?|mins?|minutes?|horas?|hrs?|hours?|h|dias?|days?|semanas?|weeks?|meses|mes|months?)` +
  String.raw`(?<half>\s+y media|\s+and a half)?`;

const RELATIVE = new RegExp(
  String.raw`(?<![\w])(?:(?<ahead>en|dentro de|in|within)\s+|(?<back>hace)\s+)?${AMOUNT_AND_UNIT}(?:\s+(?<ago>ago|atras))?(?![\w])`,
  'g',
);

const DURATION = new RegExp(String.raw`(?<![\w])(?:por|durante|for)\s+${AMOUNT_AND_UNIT}(?![\w])`);

const HALF = /^(?:half an?|media)$/;
const COUPLE = /^(?:un par de|a couple of)$/;

/** "2 horas", "media hora", "an hour and a half", "3 días", unsigned; hours with a half become minutes. */
const lengthOf = (groups: Record<string, string | undefined>): Relative | undefined => {
  const { amount: amountToken = '', unit: unitToken = '', half } = groups;
  const unit = UNITS.find(([pattern]) => pattern.test(unitToken))?.[1];
  if (unit === undefined) return undefined;
  const isHalf = HALF.test(amountToken);
  if (isHalf && unit !== 'hours') return undefined;
  const count = isHalf ? 0.5 : COUPLE.test(amountToken) ? 2 : countOf(amountToken);
  if (count === undefined || count === 0) return undefined;
  const amount = half !== undefined ? count + 0.5 : count;
  return unit === 'hours' && !Number.isInteger(amount)
    ? { amount: amount * 60, unit: 'minutes' }
    : { amount, unit };
};

/** "en 2 horas", "dentro de media hora", "in an hour and a half", "hace 3 días", "2 weeks ago". */
export const findRelative = (masked: Masked): { masked: Masked; relative?: Relative } => {
  for (const match of masked.folded.matchAll(RELATIVE)) {
    const groups = match.groups ?? {};
    if (groups.ahead === undefined && groups.back === undefined && groups.ago === undefined) continue;
    const length = lengthOf(groups);
    if (length === undefined) continue;
    const sign = groups.back !== undefined || groups.ago !== undefined ? -1 : 1;
    const relative = { amount: sign * length.amount, unit: length.unit };
    return { masked: cut(masked, match.index, match.index + match[0].length), relative };
  }
  return { masked };
};

/** "por 2 horas", "for 30 minutes": how long an event lasts, in minutes. */
export const findDuration = (masked: Masked): { masked: Masked; minutes?: number } => {
  const match = DURATION.exec(masked.folded);
  const length = match === null ? undefined : lengthOf(match.groups ?? {});
  if (match === null || length === undefined) return { masked };
  if (length.unit !== 'minutes' && length.unit !== 'hours') return { masked };
  const minutes = length.unit === 'hours' ? length.amount * 60 : length.amount;
  return { masked: cut(masked, match.index, match.index + match[0].length), minutes };
};

const WEEKDAYS: Readonly<Record<string, number>> = {
  lunes: 1,
  martes: 2,
  miercoles: 3,
  jueves: 4,
  viernes: 5,
  sabado: 6,
  domingo: 7,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
};

export const WEEKDAY_PATTERN = Object.keys(WEEKDAYS).join('|');

export const weekdayNumber = (name: string): number | undefined => WEEKDAYS[name];

const WEEKDAY = new RegExp(
  String.raw`\b(?:(?<before>el proximo|el siguiente|el pasado|proximo|siguiente|pasado|este|el|this coming|this|next|last|past|previous|on|for|para el)\s+)?` +
    String.raw`(?<day>${WEEKDAY_PATTERN})(?:\s+(?<after>pasado|que viene|proximo|siguiente|entrante))?\b`,
  'g',
);
const PAST_WEEKDAY = /^(?:el pasado|pasado|last|past|previous)$/;

/** "el viernes", "next Monday", "el lunes pasado": the nearest such day in the right direction. */
const weekdayDate = (clock: UserClock, isoWeekday: number, direction: Direction, explicitPast: boolean) => {
  const todayWeekday = clock.now.weekday;
  if (explicitPast || direction === 'past') {
    const back = (todayWeekday - isoWeekday + 7) % 7;
    const days = explicitPast && back === 0 ? 7 : back;
    return dateOf(clock.now.minus({ days }));
  }
  return dateOf(clock.now.plus({ days: (isoWeekday - todayWeekday + 7) % 7 }));
};

interface Candidate {
  start: number;
  end: number;
  found: FoundDate;
}

const weekdayCandidates = (masked: Masked, clock: UserClock, direction: Direction): Candidate[] =>
  [...masked.folded.matchAll(WEEKDAY)].map((match) => {
    const { before = '', day = '', after = '' } = match.groups ?? {};
    const explicitPast = PAST_WEEKDAY.test(before) || after === 'pasado';
    const date = weekdayDate(clock, WEEKDAYS[day] ?? 1, direction, explicitPast);
    return {
      start: match.index,
      end: match.index + match[0].length,
      found: { date, weekly: direction === 'upcoming' && !explicitPast },
    };
  });

const FIXED_OFFSETS: ReadonlyArray<[RegExp, number]> = [
  [/\bpasado manana\b/, 2],
  [/\b(?:anteayer|antier|antes de ayer|the day before yesterday)\b/, -2],
];

const fixedOffsetCandidates = (masked: Masked, clock: UserClock): Candidate[] =>
  FIXED_OFFSETS.flatMap(([pattern, days]) => {
    const match = pattern.exec(masked.folded);
    if (match === null) return [];
    const date = dateOf(clock.now.plus({ days }));
    return [{ start: match.index, end: match.index + match[0].length, found: { date, weekly: false } }];
  });

const CHRONO_INTRODUCER = /\b(?:el|para el|desde el|on|for|by|this)\s+$/;

/**
 * Calendar dates chrono reads well: "mañana", "tomorrow", "5 de diciembre", "Dec 5", "5/12". Only
 * results with a certain day count: weekdays are handled above (chrono's forwardDate reads "last
 * Monday" as next Monday), and a lone month or an abbreviation ("mar", "may", "sun") is noise.
 */
const chronoCandidates = (masked: Masked, clock: UserClock, language: Language, direction: Direction) => {
  const parser = language === 'es' ? chrono.es : chrono.en;
  const reference = { instant: clock.now.toJSDate(), timezone: clock.now.offset };
  const results = parser.parse(masked.original, reference, { forwardDate: true });
  return results.flatMap((result): Candidate[] => {
    const { start } = result;
    if (!start.isCertain('day')) return [];
    const year = start.get('year');
    const month = start.get('month');
    const day = start.get('day');
    if (year === null || month === null || day === null) return [];
    const date = { year, month, day };
    const current = today(clock);
    const isAfterToday =
      year * 10_000 + month * 100 + day > current.year * 10_000 + current.month * 100 + current.day;
    const pointed =
      direction === 'past' && isAfterToday && !start.isCertain('year') ? { ...date, year: year - 1 } : date;
    const hour = start.get('hour');
    const time =
      start.isCertain('hour') && hour !== null ? { hour, minute: start.get('minute') ?? 0 } : undefined;
    const end = result.index + result.text.length;
    return [
      {
        start: absorbIntroducers(masked.folded, result.index, CHRONO_INTRODUCER),
        end,
        found: { date: pointed, weekly: false, ...(time === undefined ? {} : { time }) },
      },
    ];
  });
};

const DAY_OF_MONTH = [
  /\b(?:el|para el)\s+(?:dia\s+)?(?<day>\d{1,2})\b(?!\s*(?:[:.,/-]\s*\d|de\b|%|mil\b|k\b))/g,
  /\b(?:on\s+)?the\s+(?<day>\d{1,2})(?:st|nd|rd|th)\b/g,
];

/** "el 15", "el día 3", "on the 5th": that day of this month, or of the next (previous) one. */
const dayOfMonthCandidates = (masked: Masked, clock: UserClock, direction: Direction): Candidate[] =>
  DAY_OF_MONTH.flatMap((pattern) =>
    [...masked.folded.matchAll(pattern)].flatMap((match): Candidate[] => {
      const day = Number(match.groups?.day);
      const step = direction === 'upcoming' ? 1 : -1;
      const goesThisMonth = direction === 'upcoming' ? day >= clock.now.day : day <= clock.now.day;
      // Up to two more months, so "el 31" in April lands on May 31 instead of failing.
      for (let months = goesThisMonth ? 0 : step; Math.abs(months) <= 2; months += step) {
        const month = clock.now.startOf('month').plus({ months });
        if (day >= 1 && day <= (month.daysInMonth ?? 0)) {
          const date = { year: month.year, month: month.month, day };
          return [{ start: match.index, end: match.index + match[0].length, found: { date, weekly: false } }];
        }
      }
      return [];
    }),
  );

const overlaps = (left: Candidate, right: Candidate) => left.start < right.end && right.start < left.end;

/** The earliest date expression in the message, cut out of it. */
export const findDate = (
  masked: Masked,
  clock: UserClock,
  language: Language,
  direction: Direction,
): { masked: Masked; found?: FoundDate } => {
  const fixed = fixedOffsetCandidates(masked, clock);
  const fromChrono = chronoCandidates(masked, clock, language, direction).filter(
    (candidate) => !fixed.some((other) => overlaps(candidate, other)),
  );
  const strong = [...fixed, ...fromChrono];
  const weak = [
    ...weekdayCandidates(masked, clock, direction),
    ...dayOfMonthCandidates(masked, clock, direction),
  ].filter((candidate) => !strong.some((other) => overlaps(candidate, other)));
  const [first] = [...strong, ...weak].sort((left, right) => left.start - right.start);
  if (first === undefined) return { masked };
  return { masked: cut(masked, first.start, first.end), found: first.found };
};
