import { DateTime } from 'luxon';
import * as z from 'zod/mini';

/**
 * A recurring reminder is re-armed after each fire: the reminder function computes the next occurrence
 * and creates one `at()` schedule for it, instead of keeping a cron schedule. One-time schedules keep
 * `ActionAfterCompletion: DELETE` (no completed schedules piling up against the quota); snoozes, edits
 * and the version check that turns a stale fire into a no-op work the same for both kinds; and
 * daylight saving needs nothing from the scheduler, because the next occurrence is computed on the
 * user's wall clock in their zone (nextOccurrence).
 */
export const recurrenceSchema = z.object({
  frequency: z.enum(['daily', 'weekly', 'monthly']),
  /** ISO weekdays, 1 = Monday … 7 = Sunday; weekly only. */
  by_weekday: z.optional(
    z.array(z.number().check(z.int(), z.minimum(1), z.maximum(7))).check(z.minLength(1)),
  ),
  /** Day of the month, 1–31; monthly only (short months use their last day). */
  by_month_day: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(31))),
  /** Local wall-clock time, HH:mm. */
  time: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm')),
});
export type Recurrence = z.infer<typeof recurrenceSchema>;

/**
 * The first occurrence strictly after `after`, on the user's wall clock. Computed in the zone, so
 * "every day at 9" stays at 9:00 local across daylight-saving changes.
 */
export const nextOccurrence = (recurrence: Recurrence, after: Date, timeZone: string): Date => {
  const [hour, minute] = recurrence.time.split(':').map(Number) as [number, number];
  const start = DateTime.fromJSDate(after, { zone: timeZone });
  // 31 days covers every monthly case; weekly and daily need at most 8.
  for (let offset = 0; offset <= 62; offset++) {
    const day = start.plus({ days: offset });
    const candidate = day.set({ hour, minute, second: 0, millisecond: 0 });
    if (candidate <= start || !matches(recurrence, candidate, start)) continue;
    return candidate.toJSDate();
  }
  throw new Error(`No occurrence of ${JSON.stringify(recurrence)} within two months`);
};

/** Without an explicit weekday or day of month, the series keeps the day it started on. */
const matches = (recurrence: Recurrence, day: DateTime, anchor: DateTime): boolean => {
  if (recurrence.frequency === 'daily') return true;
  if (recurrence.frequency === 'weekly')
    return (recurrence.by_weekday ?? [anchor.weekday]).includes(day.weekday);
  const wanted = Math.min(recurrence.by_month_day ?? anchor.day, day.daysInMonth ?? 31);
  return day.day === wanted;
};

export const serializeRecurrence = (recurrence: Recurrence): string => JSON.stringify(recurrence);

export const parseRecurrence = (stored: string | null): Recurrence | undefined => {
  if (!stored) return undefined;
  const parsed = recurrenceSchema.safeParse(JSON.parse(stored));
  return parsed.success ? parsed.data : undefined;
};
