import type { DateTime } from 'luxon';
import { isoUtc, startOfDay, type UserClock } from './clock';
import { findDate, type Direction } from './dates';
import type { Masked } from './text';
import type { Language, Period } from './types';

interface Bounds {
  from: DateTime<true>;
  to: DateTime<true>;
}

const day = (clock: UserClock, offset: number): Bounds => {
  const from = clock.now.startOf('day').plus({ days: offset });
  return { from, to: from.plus({ days: 1 }) };
};

/** Weeks start on Monday (luxon's ISO weeks), as the brief and most of our users' calendars do. */
const week = (clock: UserClock, offset: number): Bounds => {
  const from = clock.now.startOf('week').plus({ weeks: offset });
  return { from, to: from.plus({ weeks: 1 }) };
};

const month = (clock: UserClock, offset: number): Bounds => {
  const from = clock.now.startOf('month').plus({ months: offset });
  return { from, to: from.plus({ months: 1 }) };
};

const year = (clock: UserClock, offset: number): Bounds => {
  const from = clock.now.startOf('year').plus({ years: offset });
  return { from, to: from.plus({ years: 1 }) };
};

const MONTHS: Readonly<Record<string, number>> = {
  enero: 1,
  febrero: 2,
  marzo: 3,
  abril: 4,
  mayo: 5,
  junio: 6,
  julio: 7,
  agosto: 8,
  septiembre: 9,
  setiembre: 9,
  octubre: 10,
  noviembre: 11,
  diciembre: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
};

/** "en marzo", "in May 2025": that month, this year's unless that points the wrong way. */
const namedMonth = (clock: UserClock, match: RegExpExecArray, direction: Direction): Bounds => {
  const wanted = MONTHS[match.groups?.month ?? ''] ?? clock.now.month;
  const explicitYear = match.groups?.year;
  const current = clock.now.month;
  const shift = direction === 'past' ? (wanted > current ? -1 : 0) : wanted < current ? 1 : 0;
  const targetYear = explicitYear === undefined ? clock.now.year + shift : Number(explicitYear);
  const from = clock.now.startOf('year').set({ year: targetYear, month: wanted });
  return { from, to: from.plus({ months: 1 }) };
};

const lastDays = (clock: UserClock, match: RegExpExecArray): Bounds => {
  const count = Math.min(Math.max(Number(match.groups?.count ?? 1), 1), 366);
  const to = clock.now.startOf('day').plus({ days: 1 });
  return { from: to.minus({ days: count }), to };
};

const PERIODS: ReadonlyArray<
  [RegExp, (clock: UserClock, match: RegExpExecArray, direction: Direction) => Bounds]
> = [
  [/\bpasado manana\b/, (clock) => day(clock, 2)],
  [/\b(?:anteayer|antier|antes de ayer|the day before yesterday)\b/, (clock) => day(clock, -2)],
  [
    /\b(?:esta (?:manana|tarde|noche)|this (?:morning|afternoon|evening)|tonight|hoy|today)\b/,
    (clock) => day(clock, 0),
  ],
  [/\b(?:manana|tomorrow)\b/, (clock) => day(clock, 1)],
  [/\b(?:ayer|yesterday)\b/, (clock) => day(clock, -1)],
  [
    /\b(?:(?:los |en los |the )?(?:ultimos|last|past) (?<count>\d{1,3}) (?:dias|days))\b/,
    (clock, match) => lastDays(clock, match),
  ],
  [
    /\b(?:semana pasada|ultima semana|semana anterior|last week|past week|previous week)\b/,
    (clock) => week(clock, -1),
  ],
  [
    /\b(?:proxima semana|semana que viene|siguiente semana|semana entrante|next week)\b/,
    (clock) => week(clock, 1),
  ],
  [
    /\b(?:este fin de semana|el fin de semana|this weekend|the weekend)\b/,
    (clock) => {
      const saturday = clock.now.startOf('week').plus({ days: 5 });
      return { from: saturday, to: saturday.plus({ days: 2 }) };
    },
  ],
  [/\b(?:esta semana|this week|la semana|the week)\b/, (clock) => week(clock, 0)],
  [
    /\b(?:mes pasado|ultimo mes|mes anterior|last month|previous month|past month)\b/,
    (clock) => month(clock, -1),
  ],
  [/\b(?:proximo mes|mes que viene|siguiente mes|next month)\b/, (clock) => month(clock, 1)],
  [/\b(?:este mes|this month|el mes|del mes|the month)\b/, (clock) => month(clock, 0)],
  [/\b(?:ano pasado|last year|previous year)\b/, (clock) => year(clock, -1)],
  [/\b(?:este ano|this year|el ano|del ano)\b/, (clock) => year(clock, 0)],
  [
    new RegExp(
      String.raw`\b(?:en|de|del mes de|in|during|for)\s+(?<month>${Object.keys(MONTHS).join('|')})(?:\s+(?:de\s+|del\s+)?(?<year>\d{4}))?\b`,
    ),
    namedMonth,
  ],
];

const toPeriod = ({ from, to }: Bounds): Period => ({ from: isoUtc(from), to: isoUtc(to) });

/**
 * The period a question is about, as [from, to) instants computed on the user's wall clock: "hoy",
 * "esta semana", "last month", "los últimos 7 días", "en marzo", or a single day ("el viernes").
 */
export const findPeriod = (
  masked: Masked,
  clock: UserClock,
  language: Language,
  direction: Direction,
): Period | undefined => {
  for (const [pattern, bounds] of PERIODS) {
    const match = pattern.exec(masked.folded);
    if (match !== null) return toPeriod(bounds(clock, match, direction));
  }
  const found = findDate(masked, clock, language, direction).found;
  if (found === undefined) return undefined;
  const from = startOfDay(clock, found.date);
  return from === undefined ? undefined : toPeriod({ from, to: from.plus({ days: 1 }) });
};

/** The period questions default to when they name none. */
export const defaultPeriod = {
  /** What is coming up: today and the six days after. */
  upcomingWeek: (clock: UserClock): Period => {
    const from = clock.now.startOf('day');
    return toPeriod({ from, to: from.plus({ days: 7 }) });
  },
  thisMonth: (clock: UserClock): Period => toPeriod(month(clock, 0)),
};
