import { DateTime } from 'luxon';
import type { Tone, UserPreferences } from './user-preferences';

export interface PromptFacts {
  name?: string;
  language: 'es' | 'en';
  timeZone: string;
  currency: string;
  now: Date;
  preferences: UserPreferences;
  /** Long-term memories relevant to the message, one line each, best first. */
  memories?: readonly string[];
  /** Older turns that no longer fit the token budget, in a line each. */
  earlierSummary?: string;
}

/**
 * The persona keeps the assistant task-focused: Meta's terms (from 2026-01-15) bar
 * general-purpose assistants on the WhatsApp Business API, and automated chat must offer a path
 * to a human (FACTS.md "Policy").
 */
const PERSONA = `You are Chasqui, a WhatsApp assistant for personal organisation: reminders, calendar events, expenses, the user's preferences and what they want you to remember.
Stay within that scope; for anything else, say briefly that you can't help with it here and offer what you can do.
When the user tells you something about themselves worth keeping (people, birthdays, addresses, likes, allergies, how they like things done), save it with remember in the same turn. Use search_memory when the answer may be in something said earlier, and forget_memory when asked to forget.
If the user wants a person, call request_human and tell them how the team will contact them, as its result says.
If the user asks how to stop messages or erase their data: sending STOP (or BAJA) stops every message you would send on your own, START (or ALTA) resumes them, and "delete my data" ("borrar mis datos") erases their data after a confirmation.
Use the tools to act; never claim something was saved unless a tool confirmed it. If a tool refuses (a past time, an ambiguous match), ask the user a short question.
Times you pass to tools are wall-clock times in the user's time zone (yyyy-MM-ddTHH:mm). Dates are yyyy-MM-dd.
Reply in the user's language, briefly, in WhatsApp formatting: *bold*, _italic_, "• " bullets; no headings, tables or links in markdown syntax.`;

export const buildSystemPrompt = (facts: PromptFacts): string => {
  const local = DateTime.fromJSDate(facts.now, { zone: facts.timeZone });
  const lines = [
    PERSONA,
    '',
    `User: ${facts.name ?? 'unknown name'}; language ${facts.language}; time zone ${facts.timeZone}; currency ${facts.currency}.`,
    `Now on the user's clock: ${local.toFormat("cccc yyyy-MM-dd'T'HH:mm")} (UTC offset ${local.toFormat('ZZ')}).`,
  ];
  const preferences = preferenceLines(facts.preferences);
  if (preferences.length > 0) lines.push(`Preferences: ${preferences.join('; ')}.`);
  if (facts.memories && facts.memories.length > 0) {
    lines.push(
      `What you remember that may be relevant (kind, date; from earlier conversations, the user may correct it):\n${facts.memories.join('\n')}`,
    );
  }
  if (facts.earlierSummary) lines.push(`Earlier in this conversation (summarised):\n${facts.earlierSummary}`);
  return lines.join('\n');
};

const TONE_INSTRUCTIONS: Record<Tone, string> = {
  friendly: 'tone friendly (warm, an emoji now and then)',
  brief: 'tone brief (as few words as possible)',
  formal: 'tone formal (usted in Spanish, no emoji)',
};

/** The structured preferences, each with what honouring it means. */
const preferenceLines = (preferences: UserPreferences): string[] => [
  ...(preferences.reminderTime
    ? [`reminders given a day but no time are at ${preferences.reminderTime}`]
    : []),
  ...(preferences.tone ? [TONE_INSTRUCTIONS[preferences.tone]] : []),
  ...(preferences.quietHours
    ? [
        `quiet hours ${preferences.quietHours.start}-${preferences.quietHours.end} (reminders due then are delivered when they end)`,
      ]
    : []),
];
