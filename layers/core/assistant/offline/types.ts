export type Language = 'es' | 'en';

export interface PlannerContext {
  /** The instant the message is planned against; the planner never reads the clock itself. */
  now: Date;
  /** IANA zone of the user; an unknown zone falls back to UTC rather than failing the turn. */
  timeZone: string;
  /** The user's preferred language, used when the message itself does not tell. */
  locale: Language;
  /** ISO 4217 code used when the message names no currency. */
  defaultCurrency: string;
}

export const EXPENSE_CATEGORIES = [
  'food',
  'transport',
  'groceries',
  'utilities',
  'rent',
  'health',
  'entertainment',
  'shopping',
  'other',
] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

/**
 * Why the caller should confirm before acting: the time already passed today (`past_time`), a date
 * came without a time so 09:00 was assumed (`no_time`), or nothing said when at all (`no_date`).
 */
export type Ambiguity = 'past_time' | 'no_time' | 'no_date';

export interface Recurrence {
  frequency: 'daily' | 'weekly' | 'monthly';
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  byWeekday?: number[];
  byMonthDay?: number;
  /** Local wall-clock time, HH:mm. */
  time: string;
}

/** A half-open interval [from, to) of ISO 8601 UTC instants, computed in the user's zone. */
export interface Period {
  from: string;
  to: string;
}

export interface CreateReminder {
  kind: 'create_reminder';
  text: string;
  /** ISO 8601 UTC. */
  dueAt: string;
  /** The same instant on the user's wall clock, yyyy-MM-ddTHH:mm. */
  localTime: string;
  recurrence?: Recurrence;
  ambiguity?: Ambiguity;
}

export interface AddExpense {
  kind: 'add_expense';
  amount: number;
  currency: string;
  category: ExpenseCategory;
  description: string;
  occurredAt: string;
}

export interface CreateEvent {
  kind: 'create_event';
  title: string;
  startsAt: string;
  endsAt: string;
  localStart: string;
  ambiguity?: Ambiguity;
}

export type Intent =
  | CreateReminder
  | AddExpense
  | CreateEvent
  | { kind: 'list_reminders' }
  | ({ kind: 'list_events' } & Period)
  | ({ kind: 'sum_expenses'; category?: ExpenseCategory } & Period)
  | ({ kind: 'list_expenses'; category?: ExpenseCategory } & Period)
  | { kind: 'cancel_reminder'; query: string }
  | { kind: 'cancel_event'; query: string }
  | { kind: 'delete_last_expense' }
  | { kind: 'remember'; content: string }
  | { kind: 'search_memory'; query: string }
  | { kind: 'forget_memory'; query: string }
  | { kind: 'list_memories' }
  | { kind: 'greeting' }
  | { kind: 'help' }
  | { kind: 'thanks' }
  | { kind: 'human_handoff' }
  | { kind: 'usage_report' }
  | { kind: 'unknown' };

export interface Plan {
  language: Language;
  intent: Intent;
}
