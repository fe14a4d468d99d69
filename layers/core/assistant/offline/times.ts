import type { TimeOfDay } from './clock';
import { NUMBER_WORDS } from './numbers';
import { cut, type Masked } from './text';

/**
 * Times of day are parsed here rather than by chrono: chrono reads "20h" as "in 20 hours", misses
 * "a las 8 y media", "a la una" and "9 de la noche", and takes any bare number for an hour. Here a
 * number is an hour only with a marker: "a las" / "at", am/pm, "h", a colon, or a part of the day.
 */

export type DayPart = 'early' | 'morning' | 'afternoon' | 'night';

const DAY_PARTS: Readonly<Record<string, DayPart>> = {
  madrugada: 'early',
  manana: 'morning',
  morning: 'morning',
  tarde: 'afternoon',
  afternoon: 'afternoon',
  noche: 'night',
  evening: 'night',
  night: 'night',
  tonight: 'night',
};

/** When only a part of the day is given: "esta tarde" → 15:00. */
const DAY_PART_DEFAULT_HOUR: Readonly<Record<DayPart, number>> = {
  early: 6,
  morning: 9,
  afternoon: 15,
  night: 20,
};

const HOUR_WORDS = Object.entries(NUMBER_WORDS)
  .filter(([word, value]) => value <= 12 && !['a', 'an', 'un'].includes(word))
  .map(([word]) => word)
  .sort((left, right) => right.length - left.length)
  .join('|');

const DAY_PART_SUFFIX = String.raw`(?:de|en|por) la (?:manana|tarde|noche|madrugada)|in the (?:morning|afternoon|evening)|at night|tonight`;
const MERIDIEM = String.raw`[ap]\.?\s?m\b\.?`;

const SINGLE_TIME = new RegExp(
  String.raw`(?<![\w:.,])(?:(?<prefix>(?:a|para|desde|hasta|antes de|despues de|tipo|como a|sobre) las?|at|around|@)\s*)?` +
    String.raw`(?<hour>\d{1,2}|${HOUR_WORDS})(?:(?<separator>[:.h])(?<minute>[0-5]\d))?` +
    String.raw`(?:\s+y\s+(?<plus>media|cuarto|\d{1,2})|\s+menos\s+(?<minus>cuarto|\d{1,2}))?` +
    String.raw`(?:\s*(?<meridiem>${MERIDIEM})|\s*(?<clock24>hrs?|hs|h)\b)?` +
    String.raw`(?:\s+(?<part>${DAY_PART_SUFFIX}))?(?![\w:])`,
  'g',
);

const TIME_RANGE = new RegExp(
  String.raw`(?<![\w:.,])(?:(?<from>de|desde|from|entre|between)\s+(?:las?\s+)?)?` +
    String.raw`(?<startHour>\d{1,2})(?::(?<startMinute>[0-5]\d))?\s*(?<startMeridiem>${MERIDIEM})?` +
    String.raw`\s*(?<separator>-|–|a|to|until|till|hasta|y|and)\s*(?:las?\s+)?` +
    String.raw`(?<endHour>\d{1,2})(?::(?<endMinute>[0-5]\d))?\s*(?<endMeridiem>${MERIDIEM})?` +
    String.raw`(?:\s+(?<part>${DAY_PART_SUFFIX}))?(?![\w:])`,
  'g',
);

const STANDALONE_PARTS: ReadonlyArray<{ pattern: RegExp; today: boolean; hour?: number }> = [
  { pattern: /\b(?:esta|this) (?<part>manana|tarde|noche|morning|afternoon|evening)\b/, today: true },
  { pattern: /\b(?<part>tonight)\b/, today: true },
  { pattern: /\b(?:en|por|de) la (?<part>manana|tarde|noche|madrugada)\b/, today: false },
  { pattern: /\bin the (?<part>morning|afternoon|evening)\b/, today: false },
  { pattern: /\bat (?<part>night)\b/, today: false },
  { pattern: /\b(?:al |a )?medio ?dia\b|\b(?:at )?(?:noon|midday)\b/, today: false, hour: 12 },
  { pattern: /\b(?:temprano|early)\b/, today: false, hour: 7 },
];

type Hint =
  | { kind: 'meridiem'; pm: boolean }
  | { kind: 'clock24' }
  | { kind: 'part'; part: DayPart }
  | { kind: 'none' };

const partOf = (phrase: string | undefined): DayPart | undefined => {
  if (phrase === undefined) return undefined;
  const lastWord = phrase.split(' ').pop() ?? '';
  return DAY_PARTS[lastWord];
};

/**
 * 12-hour readings made explicit. Without am/pm or a part of the day, 1–6 mean the afternoon
 * ("a las 3", "at 5") because that is when people book and get reminded; 7–12 keep their value.
 */
const to24Hour = (hour: number, hint: Hint): number => {
  switch (hint.kind) {
    case 'meridiem':
      return hint.pm ? (hour % 12) + 12 : hour % 12;
    case 'clock24':
      return hour;
    case 'part':
      if (hint.part === 'early' || hint.part === 'morning') return hour % 12;
      return hour < 12 ? hour + 12 : hour;
    case 'none':
      return hour >= 1 && hour <= 6 ? hour + 12 : hour;
  }
};

const hourValue = (token: string): number =>
  /^\d+$/.test(token) ? Number(token) : (NUMBER_WORDS[token] ?? NaN);

const minuteOffset = (plus: string | undefined, minus: string | undefined): number => {
  const amount = (word: string): number => (word === 'media' ? 30 : word === 'cuarto' ? 15 : Number(word));
  if (plus !== undefined) return amount(plus);
  if (minus !== undefined) return -amount(minus);
  return 0;
};

const withOffset = (hour: number, minute: number): TimeOfDay | undefined => {
  const total = hour * 60 + minute;
  if (hour > 23 || minute > 59 || total < 0 || total >= 24 * 60) return undefined;
  return { hour: Math.floor(total / 60), minute: total % 60 };
};

interface Found<T> {
  value: T;
  start: number;
  end: number;
}

const singleTimes = (folded: string): Array<Found<{ time: TimeOfDay; explicit: Hint }>> => {
  const found: Array<Found<{ time: TimeOfDay; explicit: Hint }>> = [];
  for (const match of folded.matchAll(SINGLE_TIME)) {
    const groups = match.groups ?? {};
    const { prefix, separator, meridiem, clock24 } = groups;
    const part = partOf(groups.part);
    const hourToken = groups.hour ?? '';
    const isDigits = /^\d+$/.test(hourToken);
    const marked =
      prefix !== undefined ||
      meridiem !== undefined ||
      part !== undefined ||
      (isDigits && (clock24 !== undefined || separator === ':' || separator === 'h'));
    if (!marked || (separator === '.' && prefix === undefined)) continue;
    const hour = hourValue(hourToken);
    const hint: Hint =
      meridiem !== undefined
        ? { kind: 'meridiem', pm: meridiem.startsWith('p') }
        : clock24 !== undefined || hour > 12 || hourToken.startsWith('0')
          ? { kind: 'clock24' }
          : part !== undefined
            ? { kind: 'part', part }
            : { kind: 'none' };
    if (hint.kind === 'meridiem' && hour > 12) continue;
    const minute = Number(groups.minute ?? '0') + minuteOffset(groups.plus, groups.minus);
    const time = withOffset(to24Hour(hour, hint), minute);
    if (time !== undefined) {
      found.push({ value: { time, explicit: hint }, start: match.index, end: match.index + match[0].length });
    }
  }
  return found;
};

const meridiemHint = (meridiem: string | undefined): Hint | undefined =>
  meridiem === undefined ? undefined : { kind: 'meridiem', pm: meridiem.startsWith('p') };

/**
 * "10-11am", "de 3 a 4 de la tarde", "from 9 to 10:30": the start borrows the end's am/pm unless
 * that would put it after the end ("11-1pm" starts at 11am).
 */
const timeRanges = (folded: string): Array<Found<{ start: TimeOfDay; end: TimeOfDay }>> => {
  const found: Array<Found<{ start: TimeOfDay; end: TimeOfDay }>> = [];
  for (const match of folded.matchAll(TIME_RANGE)) {
    const groups = match.groups ?? {};
    const part = partOf(groups.part);
    const endHint: Hint =
      meridiemHint(groups.endMeridiem) ?? (part !== undefined ? { kind: 'part', part } : { kind: 'none' });
    const dashed = groups.separator === '-' || groups.separator === '–';
    if (groups.from === undefined && !dashed && endHint.kind === 'none') continue;
    const startHour = Number(groups.startHour);
    const endHour = Number(groups.endHour);
    if (startHour > 23 || endHour > 23) continue;
    const end = withOffset(
      endHour > 12 ? endHour : to24Hour(endHour, endHint),
      Number(groups.endMinute ?? '0'),
    );
    const startHint =
      meridiemHint(groups.startMeridiem) ?? (startHour % 12 < endHour % 12 ? endHint : undefined);
    const start = withOffset(
      startHour > 12 ? startHour : to24Hour(startHour, startHint ?? { kind: 'none' }),
      Number(groups.startMinute ?? '0'),
    );
    if (start === undefined || end === undefined) continue;
    const startMinutes = start.hour * 60 + start.minute;
    const endMinutes = end.hour * 60 + end.minute;
    const coherentEnd =
      endMinutes > startMinutes
        ? end
        : endMinutes + 12 * 60 > startMinutes && end.hour < 12
          ? { hour: end.hour + 12, minute: end.minute }
          : undefined;
    if (coherentEnd === undefined) continue;
    found.push({
      value: { start, end: coherentEnd },
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return found;
};

export interface FoundTime {
  masked: Masked;
  time?: TimeOfDay;
  /** The end of a range, for events. */
  end?: TimeOfDay;
  /** "esta noche", "tonight": the time also pins the date to today. */
  today: boolean;
}

interface StandalonePart {
  part?: DayPart;
  /** The hour the phrase means on its own ("noon", "temprano"), when it is not a part's usual one. */
  hour?: number;
  today: boolean;
}

const findStandalonePart = (masked: Masked): { masked: Masked; found?: StandalonePart } => {
  for (const { pattern, today, hour } of STANDALONE_PARTS) {
    const match = pattern.exec(masked.folded);
    if (match === null) continue;
    const part = partOf(match.groups?.part);
    return {
      masked: cut(masked, match.index, match.index + match[0].length),
      found: { today, ...(part === undefined ? {} : { part }), ...(hour === undefined ? {} : { hour }) },
    };
  }
  return { masked };
};

/**
 * The first time of day in the message (a range when `ranges` is set), refined by a separate part of
 * the day ("a las 3 … en la mañana", or `dayPart` from "todas las noches"), or that part's usual hour.
 */
export const findTime = (masked: Masked, options: { ranges: boolean; dayPart?: DayPart }): FoundTime => {
  let current = masked;
  const range = options.ranges ? timeRanges(current.folded)[0] : undefined;
  let start: TimeOfDay | undefined;
  let end: TimeOfDay | undefined;
  let explicit: Hint = { kind: 'none' };
  if (range !== undefined) {
    current = cut(current, range.start, range.end);
    start = range.value.start;
    end = range.value.end;
    explicit = { kind: 'clock24' };
  } else {
    const single = singleTimes(current.folded)[0];
    if (single !== undefined) {
      current = cut(current, single.start, single.end);
      start = single.value.time;
      explicit = single.value.explicit;
    }
  }

  const standalone = findStandalonePart(current);
  current = standalone.masked;
  const part = standalone.found?.part ?? options.dayPart;
  const today = standalone.found?.today ?? false;
  if (start === undefined) {
    const hour = standalone.found?.hour ?? (part === undefined ? undefined : DAY_PART_DEFAULT_HOUR[part]);
    return { masked: current, ...(hour === undefined ? {} : { time: { hour, minute: 0 } }), today };
  }
  if (explicit.kind === 'none' && part !== undefined) {
    const twelveHour = start.hour % 12 === 0 ? 12 : start.hour % 12;
    start = { hour: to24Hour(twelveHour, { kind: 'part', part }), minute: start.minute };
  }
  return { masked: current, time: start, ...(end === undefined ? {} : { end }), today };
};
