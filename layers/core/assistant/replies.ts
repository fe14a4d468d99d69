import { DateTime } from 'luxon';
import type { Json } from '../db/repositories';
import type { ToolCall, ToolOutcome } from '../tools/registry';
import { describeLocalTime, instantOf } from '../tools/time';
import { actionId } from './actions';

export type Language = 'es' | 'en';

export interface ReplyButton {
  id: string;
  title: string;
}

/** What the user sees: text in WhatsApp's markdown, and at most three buttons when there is a choice. */
export interface Reply {
  text: string;
  buttons?: ReplyButton[];
}

export interface ReplyContext {
  language: Language;
  timeZone: string;
  now: Date;
}

/** Meta allows at most three reply buttons (FACTS.md). */
const MAX_BUTTONS = 3;
const BUTTON_TITLE_MAX = 20;

const CATEGORY_LABELS: Record<string, Record<Language, string>> = {
  food: { es: 'comida', en: 'food' },
  transport: { es: 'transporte', en: 'transport' },
  groceries: { es: 'mercado', en: 'groceries' },
  utilities: { es: 'servicios', en: 'utilities' },
  rent: { es: 'arriendo', en: 'rent' },
  health: { es: 'salud', en: 'health' },
  entertainment: { es: 'entretenimiento', en: 'entertainment' },
  shopping: { es: 'compras', en: 'shopping' },
  other: { es: 'otros', en: 'other' },
};

/** The language of a stored locale (`es`, `en`, `en-US`…); Spanish unless it is English. */
export const languageOfLocale = (locale: string): Language =>
  locale === 'en' || locale.startsWith('en-') ? 'en' : 'es';

/** The Spanish or the English wording, by the user's language. */
export const say = (language: Language, es: string, en: string): string => (language === 'es' ? es : en);

type View = Record<string, Json>;
const str = (value: Json | undefined): string =>
  typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
const num = (value: Json | undefined): number => (typeof value === 'number' ? value : Number(value ?? 0));
const views = (value: Json | undefined): View[] => (Array.isArray(value) ? (value as View[]) : []);
const view = (value: Json | undefined): View =>
  value && typeof value === 'object' && !Array.isArray(value) ? value : {};

export const formatMoney = (amount: number, currency: string, language: Language): string => {
  try {
    return new Intl.NumberFormat(language === 'es' ? 'es-CO' : 'en-US', {
      style: 'currency',
      currency,
    }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
};

/** Assistant costs are fractions of a cent per message: below a dollar they need four decimals to show. */
const formatUsd = (amount: number, language: Language): string =>
  new Intl.NumberFormat(language === 'es' ? 'es-CO' : 'en-US', {
    style: 'currency',
    currency: 'USD',
    currencyDisplay: language === 'es' ? 'code' : 'symbol',
    minimumFractionDigits: 2,
    maximumFractionDigits: amount !== 0 && Math.abs(amount) < 1 ? 4 : 2,
  }).format(amount);

const formatCount = (count: number, language: Language): string =>
  new Intl.NumberFormat(language === 'es' ? 'es-CO' : 'en-US').format(count);

/** One line of a usage report: messages, tokens and cost of a period. */
const usageLine = (label: string, usage: View, language: Language): string => {
  const tokens = num(usage.tokens_in) + num(usage.tokens_out) + num(usage.tokens_cached);
  const messages = formatCount(num(usage.messages), language);
  return say(
    language,
    `• ${label}: ${messages} mensajes, ${formatCount(tokens, 'es')} tokens, *${formatUsd(num(usage.total_usd), language)}*`,
    `• ${label}: ${messages} messages, ${formatCount(tokens, 'en')} tokens, *${formatUsd(num(usage.total_usd), language)}*`,
  );
};

export const categoryLabel = (category: string, language: Language) =>
  CATEGORY_LABELS[category]?.[language] ?? category;

const when = (localDateTime: string, context: ReplyContext): string => {
  const instant = instantOf(localDateTime, context.timeZone);
  return instant
    ? describeLocalTime(instant, context.timeZone, context.language, context.now)
    : localDateTime;
};

/** `21 de noviembre`, `November 21`. */
export const day = (localDate: string, language: Language): string =>
  DateTime.fromISO(localDate)
    .setLocale(language)
    .toFormat(language === 'es' ? "d 'de' LLLL" : 'LLLL d');

const bulletList = (items: string[]): string => items.map((item) => `• ${item}`).join('\n');

/** Memories as bullets, each with the day it happened or was said. */
const memoryList = (memories: View[], language: Language): string =>
  bulletList(memories.map((memory) => `${str(memory.content)} (${day(str(memory.date), language)})`));

const fitTitle = (title: string): string =>
  title.length <= BUTTON_TITLE_MAX ? title : `${title.slice(0, BUTTON_TITLE_MAX - 1).trimEnd()}…`;

const successText = (name: string, output: View, context: ReplyContext): string => {
  const { language } = context;
  switch (name) {
    case 'create_reminder': {
      const reminder = view(output.reminder);
      const repeat = reminder.recurring ? say(language, ' (se repite)', ' (repeating)') : '';
      return say(
        language,
        `⏰ Listo, te recordaré *${str(reminder.text)}* ${when(str(reminder.due_local), context)}${repeat}.`,
        `⏰ Done — I'll remind you to *${str(reminder.text)}* ${when(str(reminder.due_local), context)}${repeat}.`,
      );
    }
    case 'list_reminders': {
      const reminders = views(output.reminders);
      if (reminders.length === 0)
        return say(language, 'No tienes recordatorios pendientes.', 'You have no upcoming reminders.');
      return `${say(language, '⏰ Tus recordatorios:', '⏰ Your reminders:')}\n${bulletList(
        reminders.map((reminder) => `*${str(reminder.text)}* — ${when(str(reminder.due_local), context)}`),
      )}`;
    }
    case 'cancel_reminder':
      return say(
        language,
        `🗑️ Cancelé el recordatorio *${str(view(output.cancelled).text)}*.`,
        `🗑️ Cancelled the reminder *${str(view(output.cancelled).text)}*.`,
      );
    case 'snooze_reminder':
    case 'reschedule_reminder': {
      const reminder = view(output.reminder);
      return say(
        language,
        `⏰ Listo: *${str(reminder.text)}* ${when(str(reminder.due_local), context)}.`,
        `⏰ Done: *${str(reminder.text)}* ${when(str(reminder.due_local), context)}.`,
      );
    }
    case 'complete_reminder': {
      if (output.reminder) {
        const next = view(output.reminder);
        return say(
          language,
          `✅ ¡Hecho! El próximo es ${when(str(next.due_local), context)}.`,
          `✅ Done! The next one is ${when(str(next.due_local), context)}.`,
        );
      }
      return say(
        language,
        `✅ ¡Hecho! *${str(view(output.done).text)}*`,
        `✅ Done! *${str(view(output.done).text)}*`,
      );
    }
    case 'add_expense': {
      const expense = view(output.expense);
      const money = formatMoney(num(expense.amount), str(expense.currency), language);
      const description = str(expense.description);
      const detail = description ? ` — ${description}` : '';
      return say(
        language,
        `💸 Anotado: *${money}* en ${categoryLabel(str(expense.category), language)}${detail}.`,
        `💸 Noted: *${money}* on ${categoryLabel(str(expense.category), language)}${detail}.`,
      );
    }
    case 'list_expenses': {
      const expenses = views(output.expenses);
      if (expenses.length === 0)
        return say(language, 'No hay gastos en ese periodo.', 'No expenses in that period.');
      return bulletList(
        expenses.map(
          (expense) =>
            `${day(str(expense.date), language)}: *${formatMoney(num(expense.amount), str(expense.currency), language)}* ${categoryLabel(str(expense.category), language)}${expense.description ? ` — ${str(expense.description)}` : ''}`,
        ),
      );
    }
    case 'sum_expenses': {
      const totals = views(output.totals);
      const period = `${day(str(output.from), language)} – ${day(str(output.to), language)}`;
      const category = output.category
        ? ` ${say(language, 'en', 'on')} ${categoryLabel(str(output.category), language)}`
        : '';
      if (totals.length === 0)
        return say(
          language,
          `No registraste gastos${category} (${period}).`,
          `No expenses${category} recorded (${period}).`,
        );
      const amounts = totals
        .map((total) => `*${formatMoney(num(total.total), str(total.currency), language)}*`)
        .join(' + ');
      const breakdown = output.category
        ? ''
        : `\n${bulletList(
            views(output.by_category).map(
              (row) =>
                `${categoryLabel(str(row.category), language)}: ${formatMoney(num(row.total), str(row.currency), language)}`,
            ),
          )}`;
      return (
        say(
          language,
          `💰 Gastaste ${amounts}${category} (${period}).`,
          `💰 You spent ${amounts}${category} (${period}).`,
        ) + breakdown
      );
    }
    case 'delete_expense': {
      const expense = view(output.deleted);
      return say(
        language,
        `🗑️ Borré el gasto de *${formatMoney(num(expense.amount), str(expense.currency), language)}*.`,
        `🗑️ Deleted the *${formatMoney(num(expense.amount), str(expense.currency), language)}* expense.`,
      );
    }
    case 'create_event': {
      const event = view(output.event);
      const conflicts = views(output.conflicts);
      const warning =
        conflicts.length > 0
          ? `\n⚠️ ${say(language, 'Se cruza con', 'It overlaps')} ${conflicts.map((c) => `*${str(c.title)}*`).join(', ')}.`
          : '';
      return (
        say(
          language,
          `📅 Agendado: *${str(event.title)}* ${when(str(event.start_local), context)}.`,
          `📅 Scheduled: *${str(event.title)}* ${when(str(event.start_local), context)}.`,
        ) + warning
      );
    }
    case 'list_events': {
      const events = views(output.events);
      if (events.length === 0)
        return say(language, 'No tienes nada agendado en ese periodo.', 'Nothing on your calendar then.');
      return `${say(language, '📅 Tu agenda:', '📅 Your calendar:')}\n${bulletList(
        events.map((event) => `${when(str(event.start_local), context)} — *${str(event.title)}*`),
      )}`;
    }
    case 'update_event': {
      const event = view(output.event);
      return say(
        language,
        `📅 Cambiado: *${str(event.title)}* ${when(str(event.start_local), context)}.`,
        `📅 Changed: *${str(event.title)}* ${when(str(event.start_local), context)}.`,
      );
    }
    case 'cancel_event':
      return say(
        language,
        `🗑️ Cancelé *${str(view(output.cancelled).title)}*.`,
        `🗑️ Cancelled *${str(view(output.cancelled).title)}*.`,
      );
    case 'remember': {
      const memory = view(output.memory);
      return output.merged
        ? say(
            language,
            `🧠 Actualicé lo que sabía: *${str(memory.content)}*.`,
            `🧠 Updated what I knew: *${str(memory.content)}*.`,
          )
        : say(
            language,
            `🧠 Lo recordaré: *${str(memory.content)}*.`,
            `🧠 I'll remember that: *${str(memory.content)}*.`,
          );
    }
    case 'search_memory': {
      const memories = views(output.memories);
      if (memories.length === 0)
        return say(
          language,
          'No encontré nada sobre eso en lo que me has contado.',
          "I couldn't find anything about that in what you've told me.",
        );
      return `${say(language, '🧠 Esto es lo que recuerdo:', "🧠 Here's what I remember:")}\n${memoryList(memories, language)}`;
    }
    case 'list_memories': {
      const memories = views(output.memories);
      if (memories.length === 0)
        return say(
          language,
          'Todavía no me has pedido recordar nada. Prueba con "recuerda que …".',
          'You haven\'t asked me to remember anything yet. Try "remember that …".',
        );
      return `${say(language, '🧠 Lo que recuerdo de ti:', '🧠 What I remember about you:')}\n${memoryList(memories, language)}`;
    }
    case 'forget_memory':
      return say(
        language,
        `🗑️ Listo, olvidé: *${str(view(output.forgotten).content)}*.`,
        `🗑️ Done, I forgot: *${str(view(output.forgotten).content)}*.`,
      );
    case 'set_preference': {
      const saved = view(output.saved);
      return say(
        language,
        `👍 Guardado: ${str(saved.key)} = ${str(saved.value)}.`,
        `👍 Saved: ${str(saved.key)} = ${str(saved.value)}.`,
      );
    }
    case 'request_human':
      return say(
        language,
        `🙋 Listo: pedí que una persona del equipo te atienda. Te contactarán por ${str(output.contact)}.`,
        `🙋 Done: I've asked a person on our team to help you. They'll contact you via ${str(output.contact)}.`,
      );
    case 'get_my_usage': {
      const projection = formatUsd(num(output.projected_month_usd), language);
      return [
        say(language, '📊 Tu uso del asistente:', '📊 Your use of the assistant:'),
        usageLine(say(language, 'Hoy', 'Today'), view(output.today), language),
        usageLine(say(language, 'Este mes', 'This month'), view(output.month), language),
        say(language, `• Proyección del mes: *${projection}*`, `• Projected for the month: *${projection}*`),
      ].join('\n');
    }
    default:
      return say(language, '👍 Hecho.', '👍 Done.');
  }
};

const refusalText = (name: string, output: View, context: ReplyContext): string => {
  const { language } = context;
  switch (str(output.error)) {
    case 'past_time':
      return say(
        language,
        `Esa hora (${when(str(output.due_local), context)}) ya pasó. ¿Querías decir mañana?`,
        `That time (${when(str(output.due_local), context)}) has already passed. Did you mean tomorrow?`,
      );
    case 'ambiguous':
      return name === 'forget_memory'
        ? `${say(language, 'Encontré varios recuerdos. ¿Cuál olvido?', 'I found several memories. Which one should I forget?')}\n${memoryList(views(output.candidates), language)}`
        : say(language, 'Encontré varios. ¿Cuál?', 'I found several. Which one?');
    case 'not_found':
      return name === 'forget_memory'
        ? say(language, 'No encontré ese recuerdo.', "I couldn't find that memory.")
        : name.includes('reminder')
          ? say(language, 'No encontré ese recordatorio.', "I couldn't find that reminder.")
          : name.includes('event')
            ? say(language, 'No encontré ese evento.', "I couldn't find that event.")
            : say(language, 'No encontré eso.', "I couldn't find that.");
    case 'invalid_time':
    case 'invalid_date':
    case 'invalid_range':
      return say(
        language,
        'No entendí la fecha o la hora. ¿Me la dices de otra forma?',
        "I didn't get the date or time. Could you say it another way?",
      );
    default:
      return say(
        language,
        'No pude hacerlo. ¿Lo intentamos de otra forma?',
        "I couldn't do that. Shall we try another way?",
      );
  }
};

/** The text for one tool outcome, in the user's language. */
export const describeOutcome = (call: ToolCall, outcome: ToolOutcome, context: ReplyContext): string =>
  outcome.status === 'ok'
    ? successText(call.name, outcome.output, context)
    : refusalText(call.name, outcome.output, context);

/** Buttons offering the obvious next step after the turn's tool calls (undo, pick one, "tomorrow"). */
export const suggestedButtons = (
  results: readonly { call: ToolCall; outcome: ToolOutcome }[],
  context: ReplyContext,
): ReplyButton[] => {
  const { language } = context;
  const buttons: ReplyButton[] = [];
  for (const { call, outcome } of results) {
    const output = outcome.output;
    if (outcome.status === 'ok' && call.name === 'create_reminder') {
      const id = str(view(output.reminder).id);
      buttons.push({
        id: actionId({ kind: 'reminder_cancel', reminderId: id }),
        title: say(language, 'Deshacer', 'Undo'),
      });
      buttons.push({
        id: actionId({ kind: 'reminder_list' }),
        title: say(language, 'Mis recordatorios', 'My reminders'),
      });
    } else if (outcome.status === 'ok' && call.name === 'add_expense') {
      buttons.push({
        id: actionId({ kind: 'expense_undo', expenseId: str(view(output.expense).id) }),
        title: say(language, 'Deshacer', 'Undo'),
      });
    } else if (outcome.status === 'ok' && call.name === 'create_event') {
      buttons.push({
        id: actionId({ kind: 'event_cancel', eventId: str(view(output.event).id) }),
        title: say(language, 'Deshacer', 'Undo'),
      });
    } else if (
      outcome.status === 'error' &&
      output.error === 'past_time' &&
      call.name === 'create_reminder'
    ) {
      const dueLocal = str(output.due_local);
      const tomorrow = DateTime.fromISO(dueLocal).plus({ days: 1 }).toFormat("yyyy-MM-dd'T'HH:mm");
      const text = typeof call.input.text === 'string' ? call.input.text : '';
      buttons.push({
        id: actionId({ kind: 'reminder_create', dueLocal: tomorrow, text }),
        title: say(language, 'Sí, mañana', 'Yes, tomorrow'),
      });
    } else if (outcome.status === 'error' && output.error === 'ambiguous') {
      for (const candidate of views(output.candidates)) {
        const id = str(candidate.id);
        const action =
          call.name === 'cancel_event'
            ? actionId({ kind: 'event_cancel', eventId: id })
            : call.name === 'forget_memory'
              ? actionId({ kind: 'memory_forget', memoryId: id })
              : actionId({ kind: 'reminder_cancel', reminderId: id });
        buttons.push({
          id: action,
          title: fitTitle(str(candidate.text ?? candidate.title ?? candidate.content)),
        });
      }
    }
  }
  const unique = buttons.filter(
    (button, index) => buttons.findIndex((other) => other.title === button.title) === index,
  );
  return unique.slice(0, MAX_BUTTONS);
};
