import { laterStatus } from './ticks';
import type { Locale, SimulatedUser, UserMessage, UserMessageStatus } from './types';

const USERS_KEY = 'chasqui.simulator.users';
const CURRENT_KEY = 'chasqui.simulator.current';
const SENT_KEY = (waId: string) => `chasqui.simulator.sent.${waId}`;
/** Enough for any local conversation; localStorage has a few MB per origin. */
const SENT_KEPT = 200;

const read = <T>(key: string, fallback: T): T => {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    // Storage disabled or a value from an older page: start afresh rather than break the page.
    return fallback;
  }
};

const write = (key: string, value: unknown): void => {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full quota: the page still works, it just forgets on reload.
  }
};

export const loadUsers = (): SimulatedUser[] => read<SimulatedUser[]>(USERS_KEY, []);

export const saveUser = (user: SimulatedUser): SimulatedUser[] => {
  const users = [...loadUsers().filter((known) => known.waId !== user.waId), user];
  write(USERS_KEY, users);
  return users;
};

export const currentWaId = (): string | undefined => read<string | undefined>(CURRENT_KEY, undefined);
export const rememberCurrent = (waId: string): void => write(CURRENT_KEY, waId);

export const loadSent = (waId: string): UserMessage[] => read<UserMessage[]>(SENT_KEY(waId), []);

/** Adds or replaces (by wamid) one of the user's messages. */
export const saveSent = (waId: string, message: UserMessage): void => {
  const sent = loadSent(waId).filter((known) => known.wamid !== message.wamid);
  write(SENT_KEY(waId), [...sent, message].slice(-SENT_KEPT));
};

/** Moves one of the user's messages to a later status; read receipts may overtake the POST's answer. */
export const updateSent = (waId: string, wamid: string, status: UserMessageStatus, error?: string): void => {
  const message = loadSent(waId).find((known) => known.wamid === wamid);
  if (!message) return;
  const next = laterStatus(message.status, status);
  saveSent(waId, { ...message, status: next, ...(next === status && error !== undefined && { error }) });
};

/**
 * A number whose country gives the wanted locale: the stack guesses a new user's language, time
 * zone and currency from it (layers/core/assistant/user-defaults.ts). +57 300 is a Colombian
 * mobile; +1 202 555 is in a US area code, so it maps to the US (a 555 area code would map to none).
 */
export const suggestedNumber = (locale: Locale): string => {
  const digits = (count: number) =>
    Array.from(crypto.getRandomValues(new Uint8Array(count)), (byte) => String(byte % 10)).join('');
  return locale === 'es' ? `57300${digits(7)}` : `1202555${digits(4)}`;
};
