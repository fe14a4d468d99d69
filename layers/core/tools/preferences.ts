import * as z from 'zod/mini';
import { deletePreference, listPreferences, setPreference, updateProfile } from '../db/repositories';
import { STRUCTURED_PREFERENCE_KEYS, STRUCTURED_PREFERENCES } from '../assistant/user-preferences';
import { defineTool, ToolRefusal } from './tool';

/**
 * The preferences the assistant honours. Language and time zone live on the user's profile,
 * because scheduling and window logic read them there; the rest are stored as preferences.
 */
export const PREFERENCE_KEYS = ['language', 'time_zone', ...STRUCTURED_PREFERENCE_KEYS] as const;

const isValidTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const VALUE_RULES: Record<
  (typeof PREFERENCE_KEYS)[number],
  { test: (value: string) => boolean; hint: string }
> = {
  language: { test: (value) => value === 'es' || value === 'en', hint: 'es or en' },
  time_zone: { test: isValidTimeZone, hint: 'an IANA zone such as America/Bogota' },
  ...STRUCTURED_PREFERENCES,
};

export const setPreferenceTool = defineTool({
  name: 'set_preference',
  description:
    'Save a user preference: language (es|en), time_zone (IANA), currency (ISO 4217), reminder_time (HH:mm, ' +
    'the default time for reminders without one), tone (friendly|brief|formal), quiet_hours (HH:mm-HH:mm: ' +
    'reminders due then are delivered when they end).',
  input: z.object({ key: z.enum(PREFERENCE_KEYS), value: z.string().check(z.trim(), z.minLength(1)) }),
  async execute(context, input) {
    const value = input.key === 'currency' ? input.value.toUpperCase() : input.value;
    const rule = VALUE_RULES[input.key];
    if (!rule.test(value)) throw new ToolRefusal('invalid_value', `${input.key} must be ${rule.hint}`);
    if (input.key === 'language') await updateProfile(context.tx, { locale: value });
    else if (input.key === 'time_zone') await updateProfile(context.tx, { timeZone: value });
    else await setPreference(context.tx, input.key, value);
    return { saved: { key: input.key, value } };
  },
});

export const getPreferencesTool = defineTool({
  name: 'get_preferences',
  description: 'Read the user’s saved preferences.',
  input: z.object({}),
  async execute(context) {
    const stored = await listPreferences(context.tx);
    // Only what the user can set: the same table holds bookkeeping (where summaries stopped, the day of
    // the last budget notice) that means nothing to them.
    const own = STRUCTURED_PREFERENCE_KEYS.filter((key) => key in stored).map(
      (key) => [key, stored[key]] as const,
    );
    return {
      preferences: {
        ...Object.fromEntries(own),
        language: context.user.locale,
        time_zone: context.user.timeZone,
      },
    };
  },
});

export const deletePreferenceTool = defineTool({
  name: 'delete_preference',
  description: 'Forget a saved preference (currency, reminder_time, tone or quiet_hours).',
  input: z.object({ key: z.enum(STRUCTURED_PREFERENCE_KEYS) }),
  async execute(context, input) {
    return { deleted: await deletePreference(context.tx, input.key), key: input.key };
  },
});

export const preferenceTools = [setPreferenceTool, getPreferencesTool, deletePreferenceTool];
