import { DateTime } from 'luxon';

/** The user's "now", already in their zone: all calendar math happens on this wall clock. */
export interface UserClock {
  now: DateTime<true>;
  zone: string;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export interface TimeOfDay {
  hour: number;
  minute: number;
}

export const resolveClock = (now: Date, timeZone: string): UserClock => {
  const inZone = DateTime.fromJSDate(now, { zone: timeZone });
  if (inZone.isValid) return { now: inZone, zone: timeZone };
  const inUtc = DateTime.fromJSDate(now, { zone: 'utc' });
  if (!inUtc.isValid) throw new RangeError('planMessage needs a valid `now`');
  return { now: inUtc, zone: 'utc' };
};

export const today = (clock: UserClock): CalendarDate => ({
  year: clock.now.year,
  month: clock.now.month,
  day: clock.now.day,
});

/**
 * A wall-clock time on a date in the user's zone. Built from components rather than by adding hours,
 * so "tomorrow at 9" is 09:00 even across a DST change; a time inside a spring-forward gap moves
 * forward by the gap, as clocks do.
 */
export const atLocal = (
  clock: UserClock,
  date: CalendarDate,
  time: TimeOfDay,
): DateTime<true> | undefined => {
  const local = DateTime.fromObject({ ...date, ...time }, { zone: clock.zone });
  return local.isValid ? local : undefined;
};

export const startOfDay = (clock: UserClock, date: CalendarDate): DateTime<true> | undefined =>
  atLocal(clock, date, { hour: 0, minute: 0 })?.startOf('day');

export const dateOf = (instant: DateTime<true>): CalendarDate => ({
  year: instant.year,
  month: instant.month,
  day: instant.day,
});

export const isoUtc = (instant: DateTime<true>): string => instant.toUTC().toISO();

export const localStamp = (instant: DateTime<true>): string => instant.toFormat("yyyy-MM-dd'T'HH:mm");

export const clockTime = (time: TimeOfDay): string =>
  `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
