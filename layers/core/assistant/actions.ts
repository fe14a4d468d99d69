import type { ToolCall } from '../tools/registry';

/**
 * Ids of reply buttons and list rows: `v1:<domain>:<action>[:<argument>…]`. Versioned so a
 * button sent before a deploy still routes after it. A tap is handled without a model: a tool
 * action maps to one tool call, recorded like any other tool effect; an erasure action goes to
 * the erasure flow, which must not leave a record of its own behind.
 */
const VERSION = 'v1';
/** Meta's limit for a reply button id (FACTS.md). */
const BUTTON_ID_MAX = 256;

export type ToolAction =
  | { kind: 'reminder_cancel'; reminderId: string }
  | { kind: 'reminder_done'; reminderId: string }
  | { kind: 'reminder_snooze'; reminderId: string; minutes: number }
  | { kind: 'reminder_list' }
  | { kind: 'reminder_create'; dueLocal: string; text: string }
  | { kind: 'expense_undo'; expenseId: string }
  /** A suggestion (a receipt read from a photo) the user confirms; `date` is local, `yyyy-MM-dd`. */
  | {
      kind: 'expense_add';
      amount: number;
      currency: string;
      category: string;
      date?: string;
      description?: string;
    }
  | { kind: 'event_cancel'; eventId: string }
  | { kind: 'usage_report' }
  | { kind: 'memory_forget'; memoryId: string };

/** The erasure question's buttons; the confirmation carries when it was asked, so an old tap expires. */
export type ErasureAction = { kind: 'erase_confirm'; askedAt: Date } | { kind: 'erase_cancel' };

export type Action = ToolAction | ErasureAction;

export const isErasureAction = (action: Action): action is ErasureAction =>
  action.kind === 'erase_confirm' || action.kind === 'erase_cancel';

const SNOOZE_CHOICES: Record<string, number> = { '10m': 10, '1h': 60, '1d': 24 * 60 };
/** An expense suggestion without a date: the tool records it today. */
const NO_DATE = '-';

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
      // The description goes last: it may hold colons, and it is what the id limit cuts short.
      case 'expense_add':
        return [
          'exp',
          'add',
          String(action.amount),
          action.currency,
          action.category,
          action.date ?? NO_DATE,
          ...(action.description ? [action.description] : []),
        ];
      case 'event_cancel':
        return ['evt', 'cancel', action.eventId];
      case 'erase_confirm':
        return ['erase', 'yes', String(Math.floor(action.askedAt.getTime() / 1000))];
      case 'erase_cancel':
        return ['erase', 'no'];
      case 'usage_report':
        return ['usage', 'report'];
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
  if (key === 'erase:no') return { kind: 'erase_cancel' };
  if (key === 'usage:report') return { kind: 'usage_report' };
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
    case 'exp:add': {
      const [currency, category, date, ...description] = rest;
      const amount = Number(first);
      if (!(amount > 0) || !currency || !/^[A-Z]{3}$/.test(currency) || !category || !date) return undefined;
      if (date !== NO_DATE && !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
      return {
        kind: 'expense_add',
        amount,
        currency,
        category,
        ...(date !== NO_DATE && { date }),
        ...(description.length > 0 && { description: description.join(':') }),
      };
    }
    case 'evt:cancel':
      return { kind: 'event_cancel', eventId: first };
    case 'erase:yes':
      return /^\d{1,12}$/.test(first)
        ? { kind: 'erase_confirm', askedAt: new Date(Number(first) * 1000) }
        : undefined;
    case 'mem:forget':
      return { kind: 'memory_forget', memoryId: first };
    default:
      return undefined;
  }
};

/**
 * Actions that create something. Tapped again on the same message (a double tap, or a second look days
 * later), they create it once; listings, reports and changes to one item run afresh on every tap.
 */
export const createsOnTap = (action: ToolAction): boolean =>
  action.kind === 'expense_add' || action.kind === 'reminder_create';

/** The tool call a tapped action stands for. */
export const toolCallFor = (action: ToolAction, id: string): ToolCall => {
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
    case 'expense_add':
      return {
        id,
        name: 'add_expense',
        input: {
          amount: action.amount,
          currency: action.currency,
          category: action.category,
          ...(action.date && { date: action.date }),
          ...(action.description && { description: action.description }),
        },
      };
    case 'event_cancel':
      return { id, name: 'cancel_event', input: { event_id: action.eventId } };
    case 'usage_report':
      return { id, name: 'get_my_usage', input: {} };
    case 'memory_forget':
      return { id, name: 'forget_memory', input: { memory_id: action.memoryId } };
  }
};

/**
 * Typed shortcuts, answered like a tapped button: without a model, so they cost nothing and always work.
 * The first word decides; Spanish and English spellings both count.
 */
const COMMANDS: Readonly<Record<string, Action>> = {
  '/cost': { kind: 'usage_report' },
  '/costo': { kind: 'usage_report' },
  '/costs': { kind: 'usage_report' },
  '/costos': { kind: 'usage_report' },
  '/uso': { kind: 'usage_report' },
  '/usage': { kind: 'usage_report' },
};

export const slashCommandOf = (text: string): Action | undefined => {
  const [first = ''] = text.trim().toLowerCase().split(/\s+/, 1);
  return Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
};
