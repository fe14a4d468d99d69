import { DateTime } from 'luxon';
import type { Json } from '../db/repositories';

export interface PromptFacts {
  name?: string;
  language: 'es' | 'en';
  timeZone: string;
  currency: string;
  now: Date;
  preferences: Record<string, Json>;
  /** Older turns that no longer fit the token budget, in a line each. */
  earlierSummary?: string;
}

/**
 * The persona keeps the assistant task-focused: Meta's terms (from 2026-01-15) bar
 * general-purpose assistants on the WhatsApp Business API, and automated chat must offer a path
 * to a human (FACTS.md "Policy").
 */
const PERSONA = `You are Chasqui, a WhatsApp assistant for personal organisation: reminders, calendar events, expenses and the user's preferences.
Stay within that scope; for anything else, say briefly that you can't help with it here and offer what you can do.
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
  const preferences = Object.entries(facts.preferences);
  if (preferences.length > 0) {
    lines.push(
      `Preferences: ${preferences.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join('; ')}.`,
    );
  }
  if (facts.earlierSummary) lines.push(`Earlier in this conversation (summarised):\n${facts.earlierSummary}`);
  return lines.join('\n');
};
