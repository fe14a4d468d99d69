import { DateTime } from 'luxon';
import * as z from 'zod/mini';

/** `yyyy-MM-ddTHH:mm` on the user's wall clock: what models and people say, not UTC instants. */
export const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A tool argument naming a day on the user's calendar. */
export const localDate = z.string().check(z.regex(LOCAL_DATE, 'must be yyyy-MM-dd'));

/**
 * The instant a wall-clock time names in a zone. A time skipped by a daylight-saving change
 * (02:30 on a spring-forward night) moves forward, as clocks do; an invalid one is undefined.
 */
export const instantOf = (localDateTime: string, timeZone: string): Date | undefined => {
  const parsed = DateTime.fromISO(localDateTime, { zone: timeZone });
  return parsed.isValid ? parsed.toJSDate() : undefined;
};

/** Midnight starting the local day, as an instant. */
export const startOfLocalDay = (localDate: string, timeZone: string): Date | undefined =>
  instantOf(`${localDate}T00:00`, timeZone);

/** Midnight after the local day: the exclusive end of a day-inclusive range. */
export const endOfLocalDay = (localDate: string, timeZone: string): Date | undefined => {
  const start = DateTime.fromISO(localDate, { zone: timeZone });
  return start.isValid ? start.plus({ days: 1 }).startOf('day').toJSDate() : undefined;
};

export const localDateTimeOf = (instant: Date, timeZone: string): string =>
  DateTime.fromJSDate(instant, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");

export const localDateOf = (instant: Date, timeZone: string): string =>
  DateTime.fromJSDate(instant, { zone: timeZone }).toFormat('yyyy-MM-dd');

/** How a person reads a time: "mañana 09:00" / "tomorrow 9:00 AM", with the date when further out. */
export const describeLocalTime = (
  instant: Date,
  timeZone: string,
  language: 'es' | 'en',
  now: Date,
): string => {
  const local = DateTime.fromJSDate(instant, { zone: timeZone }).setLocale(language);
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const days = Math.round(local.startOf('day').diff(today, 'days').days);
  const time = language === 'es' ? local.toFormat('HH:mm') : local.toFormat('h:mm a');
  const relative =
    days === 0
      ? language === 'es'
        ? 'hoy'
        : 'today'
      : days === 1
        ? language === 'es'
          ? 'mañana'
          : 'tomorrow'
        : days > 1 && days < 7
          ? local.toFormat('cccc')
          : local.toFormat(language === 'es' ? "d 'de' LLLL" : 'LLLL d');
  return language === 'es' ? `${relative} a las ${time}` : `${relative} at ${time}`;
};
