import type { DateTime } from 'luxon';
import { atLocal, dateOf, today, type TimeOfDay, type UserClock } from './clock';
import { findDate, findRelative } from './dates';
import type { Masked } from './text';
import { findTime } from './times';
import type { Ambiguity, Language } from './types';

export interface Moment {
  at: DateTime<true>;
  /** Only when the message gave a range ("10-11am"). */
  end?: DateTime<true>;
  ambiguity?: Ambiguity;
}

const DEFAULT_TIME: TimeOfDay = { hour: 9, minute: 0 };

const sameDay = (left: DateTime<true>, right: DateTime<true>) => left.hasSame(right, 'day');

/**
 * When a reminder or event should happen, from whatever the message says: a relative offset, a time,
 * a date, or both. Nothing said gives no moment; a date alone gets 09:00 (`no_time`), or the next
 * whole hour when that is already past today; a time already past today is kept and flagged.
 */
export const findMoment = (
  masked: Masked,
  clock: UserClock,
  language: Language,
  options: { ranges: boolean },
): { masked: Masked; moment?: Moment } => {
  const afterRelative = findRelative(masked);
  const afterTime = findTime(afterRelative.masked, options);
  const afterDate = findDate(afterTime.masked, clock, language, 'upcoming');
  const rest = afterDate.masked;
  const { relative } = afterRelative;
  const found = afterDate.found;
  const time = afterTime.time ?? found?.time;

  if (relative !== undefined && (relative.unit === 'minutes' || relative.unit === 'hours')) {
    const at = clock.now.plus({ [relative.unit]: relative.amount });
    return { masked: rest, moment: at > clock.now ? { at } : { at, ambiguity: 'past_time' } };
  }
  const date =
    relative !== undefined
      ? dateOf(clock.now.plus({ [relative.unit]: relative.amount }))
      : (found?.date ?? (time !== undefined || afterTime.today ? today(clock) : undefined));
  if (date === undefined) return { masked: rest };

  const fallbackTime =
    relative !== undefined ? { hour: clock.now.hour, minute: clock.now.minute } : DEFAULT_TIME;
  let at = atLocal(clock, date, time ?? fallbackTime);
  if (at === undefined) return { masked: rest };
  let ambiguity: Ambiguity | undefined = time === undefined && relative === undefined ? 'no_time' : undefined;
  if (at <= clock.now && found?.weekly === true) {
    at = atLocal(clock, dateOf(at.plus({ weeks: 1 })), time ?? DEFAULT_TIME) ?? at;
  }
  if (at <= clock.now && time === undefined && sameDay(at, clock.now)) {
    at = clock.now.startOf('hour').plus({ hours: 1 });
  } else if (at <= clock.now) {
    ambiguity = 'past_time';
  }
  const end = afterTime.end === undefined ? undefined : atLocal(clock, dateOf(at), afterTime.end);
  return {
    masked: rest,
    moment: { at, ...(end === undefined ? {} : { end }), ...(ambiguity ? { ambiguity } : {}) },
  };
};

/** When nothing says when: the next 09:00, flagged so the caller asks. */
export const nextNineOClock = (clock: UserClock): Moment => {
  const todayAtNine = clock.now.set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  return { at: todayAtNine > clock.now ? todayAtNine : todayAtNine.plus({ days: 1 }), ambiguity: 'no_date' };
};
