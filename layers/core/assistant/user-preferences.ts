import { DateTime } from 'luxon';
import type { Tx } from '../db/database';
import { type Json, listPreferences } from '../db/repositories';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const TONES = ['friendly', 'brief', 'formal'] as const;
export type Tone = (typeof TONES)[number];

/**
 * The preferences stored as `preferences` rows, each with the rule its value must follow. Language and
 * time zone are preferences too, but live on the user's profile, where scheduling reads them.
 */
export const STRUCTURED_PREFERENCES = {
  currency: { test: (value: string) => /^[A-Z]{3}$/.test(value), hint: 'an ISO 4217 code such as COP' },
  reminder_time: { test: (value: string) => HH_MM.test(value), hint: 'HH:mm' },
  tone: { test: (value: string) => (TONES as readonly string[]).includes(value), hint: TONES.join(', ') },
  quiet_hours: {
    test: (value: string) => {
      const [start, end, ...rest] = value.split('-');
      return rest.length === 0 && HH_MM.test(start ?? '') && HH_MM.test(end ?? '') && start !== end;
    },
    hint: 'HH:mm-HH:mm, e.g. 22:00-07:00',
  },
} as const;
export type StructuredPreferenceKey = keyof typeof STRUCTURED_PREFERENCES;
export const STRUCTURED_PREFERENCE_KEYS = Object.keys(STRUCTURED_PREFERENCES) as StructuredPreferenceKey[];

export interface QuietHours {
  /** HH:mm, local. */
  readonly start: string;
  /** HH:mm, local; before `start` when the quiet hours span midnight. */
  readonly end: string;
}

export interface UserPreferences {
  /** ISO 4217; expenses without a currency are in it. */
  readonly currency?: string;
  /** HH:mm; reminders given a day but no time are set for it. */
  readonly reminderTime?: string;
  readonly tone?: Tone;
  /** No proactive message (a reminder firing) is sent inside them; it waits for their end. */
  readonly quietHours?: QuietHours;
}

const valid = (key: StructuredPreferenceKey, value: Json | undefined): string | undefined =>
  typeof value === 'string' && STRUCTURED_PREFERENCES[key].test(value) ? value : undefined;

/** The structured preferences among stored rows; a value that breaks its rule (an old write) is ignored. */
export const parseUserPreferences = (stored: Record<string, Json>): UserPreferences => {
  const currency = valid('currency', stored.currency);
  const reminderTime = valid('reminder_time', stored.reminder_time);
  const tone = valid('tone', stored.tone) as Tone | undefined;
  const quiet = valid('quiet_hours', stored.quiet_hours)?.split('-');
  return {
    ...(currency && { currency }),
    ...(reminderTime && { reminderTime }),
    ...(tone && { tone }),
    ...(quiet && { quietHours: { start: quiet[0]!, end: quiet[1]! } }),
  };
};

export const loadUserPreferences = async (tx: Tx): Promise<UserPreferences> =>
  parseUserPreferences(await listPreferences(tx));

const minutesOf = (hhmm: string): number => {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  return hour * 60 + minute;
};

/**
 * When the quiet hours that `now` falls in end, on the user's wall clock; undefined outside them.
 * "22:00-07:00" spans midnight: 23:30 ends at 07:00 the next day, 06:00 at 07:00 the same day.
 */
export const quietHoursEnd = (quiet: QuietHours, now: Date, timeZone: string): Date | undefined => {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return undefined;
  const endToday = local.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  return (minute < end ? endToday : endToday.plus({ days: 1 })).toJSDate();
};
