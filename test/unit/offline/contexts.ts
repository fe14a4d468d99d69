import type { PlannerContext } from '../../../layers/core/assistant/offline';

/**
 * Fixed instants for the planner tests. Unless a name says otherwise, "now" is Wednesday
 * 2026-11-18 at 10:00 on the user's wall clock.
 */
export const CONTEXTS = {
  bogota: {
    now: new Date('2026-11-18T15:00:00Z'),
    timeZone: 'America/Bogota',
    locale: 'es',
    defaultCurrency: 'COP',
  },
  bogotaEvening: {
    now: new Date('2026-11-18T23:00:00Z'),
    timeZone: 'America/Bogota',
    locale: 'es',
    defaultCurrency: 'COP',
  },
  newYork: {
    now: new Date('2026-11-18T15:00:00Z'),
    timeZone: 'America/New_York',
    locale: 'en',
    defaultCurrency: 'USD',
  },
  newYorkEvening: {
    now: new Date('2026-11-18T23:00:00Z'),
    timeZone: 'America/New_York',
    locale: 'en',
    defaultCurrency: 'USD',
  },
  madrid: {
    now: new Date('2026-11-18T09:00:00Z'),
    timeZone: 'Europe/Madrid',
    locale: 'es',
    defaultCurrency: 'EUR',
  },
  kolkata: {
    now: new Date('2026-11-18T04:30:00Z'),
    timeZone: 'Asia/Kolkata',
    locale: 'en',
    defaultCurrency: 'INR',
  },
  /** Saturday 2026-03-07 12:00 EST; clocks spring forward at 02:00 the next night. */
  newYorkBeforeSpringForward: {
    now: new Date('2026-03-07T17:00:00Z'),
    timeZone: 'America/New_York',
    locale: 'en',
    defaultCurrency: 'USD',
  },
  /** Sunday 2026-03-08 01:30 EST, half an hour before the jump to 03:00 EDT. */
  newYorkSpringForwardNight: {
    now: new Date('2026-03-08T06:30:00Z'),
    timeZone: 'America/New_York',
    locale: 'en',
    defaultCurrency: 'USD',
  },
  /** Saturday 2026-10-31 12:00 EDT; clocks fall back at 02:00 the next night. */
  newYorkBeforeFallBack: {
    now: new Date('2026-10-31T16:00:00Z'),
    timeZone: 'America/New_York',
    locale: 'en',
    defaultCurrency: 'USD',
  },
  /** Saturday 2026-03-28 13:00 CET; clocks spring forward at 02:00 the next night. */
  madridBeforeSpringForward: {
    now: new Date('2026-03-28T12:00:00Z'),
    timeZone: 'Europe/Madrid',
    locale: 'es',
    defaultCurrency: 'EUR',
  },
  /** Saturday 2026-10-24 14:00 CEST; clocks fall back at 03:00 the next night. */
  madridBeforeFallBack: {
    now: new Date('2026-10-24T12:00:00Z'),
    timeZone: 'Europe/Madrid',
    locale: 'es',
    defaultCurrency: 'EUR',
  },
} satisfies Record<string, PlannerContext>;

export type ContextName = keyof typeof CONTEXTS;
