import type { ToolCall } from '../tools/registry';

/**
 * Ids of reply buttons and list rows: `v1:<domain>:<action>[:<argument>…]`. Versioned so a
 * button sent before a deploy still routes after it; every action maps to one tool call, so a
 * tap is handled without a model and recorded like any other tool effect.
 */
const VERSION = 'v1';
/** Meta's limit for a reply button id (FACTS.md). */
const BUTTON_ID_MAX = 256;

export type Action =
  | { kind: 'reminder_cancel'; reminderId: string }
  | { kind: 'reminder_done'; reminderId: string }
  | { kind: 'reminder_snooze'; reminderId: string; minutes: number }
  | { kind: 'reminder_list' }
  | { kind: 'reminder_create'; dueLocal: string; text: string }
  | { kind: 'expense_undo'; expenseId: string }
  | { kind: 'event_cancel'; eventId: string }
  | { kind: 'memory_forget'; memoryId: string };

const SNOOZE_CHOICES: Record<string, number> = { '10m': 10, '1h': 60, '1d': 24 * 60 };

export const actionId = (action: Action): string => {
  const parts = ((): string[] => {
    switch (action.kind) {
      case 'reminder_cancel':
        return ['rem', 'cancel', action.reminderId];
      case 'reminder_done':
        return ['rem', 'done', action.reminderId];
      case 'reminder_snooze': {
        const choice = Object.entries(SNOOZE_CHOICES).find(([, minutes]) => minutes === action.minutes)?.[0];
        return ['rem', 'snooze', action.reminderId, choice ?? `${action.minutes}m`];
      }
      case 'reminder_list':
        return ['rem', 'list'];
      case 'reminder_create':
        return ['rem', 'new', action.dueLocal.replace(':', '.'), action.text];
      case 'expense_undo':
        return ['exp', 'undo', action.expenseId];
      case 'event_cancel':
        return ['evt', 'cancel', action.eventId];
      case 'memory_forget':
        return ['mem', 'forget', action.memoryId];
    }
  })();
  return [VERSION, ...parts].join(':').slice(0, BUTTON_ID_MAX);
};

export const parseActionId = (id: string): Action | undefined => {
  const [version, domain, verb, first, ...rest] = id.split(':');
  if (version !== VERSION || !domain || !verb) return undefined;
  const key = `${domain}:${verb}`;
  if (key === 'rem:list') return { kind: 'reminder_list' };
  if (!first) return undefined;
  switch (key) {
    case 'rem:cancel':
      return { kind: 'reminder_cancel', reminderId: first };
    case 'rem:done':
      return { kind: 'reminder_done', reminderId: first };
    case 'rem:snooze': {
      const choice = rest[0] ?? '';
      const minutes = SNOOZE_CHOICES[choice] ?? Number(/^(\d+)m$/.exec(choice)?.[1]);
      return Number.isFinite(minutes) && minutes > 0
        ? { kind: 'reminder_snooze', reminderId: first, minutes }
        : undefined;
    }
    case 'rem:new': {
      const text = rest.join(':');
      return text ? { kind: 'reminder_create', dueLocal: first.replace('.', ':'), text } : undefined;
    }
    case 'exp:undo':
      return { kind: 'expense_undo', expenseId: first };
    case 'evt:cancel':
      return { kind: 'event_cancel', eventId: first };
    case 'mem:forget':
      return { kind: 'memory_forget', memoryId: first };
    default:
      return undefined;
  }
};

/** The tool call a tapped action stands for. */
export const toolCallFor = (action: Action, id: string): ToolCall => {
  switch (action.kind) {
    case 'reminder_cancel':
      return { id, name: 'cancel_reminder', input: { reminder_id: action.reminderId } };
    case 'reminder_done':
      return { id, name: 'complete_reminder', input: { reminder_id: action.reminderId } };
    case 'reminder_snooze':
      return {
        id,
        name: 'snooze_reminder',
        input: { reminder_id: action.reminderId, minutes: action.minutes },
      };
    case 'reminder_list':
      return { id, name: 'list_reminders', input: {} };
    case 'reminder_create':
      return { id, name: 'create_reminder', input: { text: action.text, due_local: action.dueLocal } };
    case 'expense_undo':
      return { id, name: 'delete_expense', input: { expense_id: action.expenseId } };
    case 'event_cancel':
      return { id, name: 'cancel_event', input: { event_id: action.eventId } };
    case 'memory_forget':
      return { id, name: 'forget_memory', input: { memory_id: action.memoryId } };
  }
};
