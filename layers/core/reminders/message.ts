import { actionId } from '../assistant/actions';
import type { Language } from '../assistant/replies';
import { bodyParameters, type Recipient, replyButtons, template } from '../whatsapp/graph/builders';
import type { OutboundMessage } from '../whatsapp/graph/outbound-schema';
import { truncate } from '../whatsapp/graph/text-fit';

export interface ReminderTemplate {
  /** As approved in WhatsApp Manager; its body has one parameter, `{{1}}`, the reminder text. */
  readonly name: string;
  /** The approved translation's language code, e.g. `es`, `en_US`. */
  readonly language: string;
}

/** Per language, the template that carries a reminder outside the 24 h window. */
export type ReminderTemplates = Readonly<Record<Language, ReminderTemplate>>;

export const DEFAULT_REMINDER_TEMPLATES: ReminderTemplates = {
  es: { name: 'reminder_es', language: 'es' },
  en: { name: 'reminder_en', language: 'en_US' },
};

export type Channel = 'interactive' | 'template';

/** The create tool's own limit on a reminder's text; Meta caps a whole template body at 1024 characters. */
const TEMPLATE_PARAMETER_MAX = 500;

const LABELS = {
  es: { title: '⏰ Recordatorio', tenMinutes: '10 min', hour: '1 hora', done: 'Hecho' },
  en: { title: '⏰ Reminder', tenMinutes: '10 min', hour: '1 h', done: 'Done' },
} as const;

export const languageOf = (locale: string): Language =>
  locale === 'en' || locale.startsWith('en-') ? 'en' : 'es';

export interface ReminderMessage {
  readonly to: Recipient;
  readonly reminderId: string;
  readonly text: string;
  readonly language: Language;
}

/** What the user reads in the interactive message, and what the conversation history keeps of either kind. */
export const reminderBody = (message: ReminderMessage): string =>
  `${LABELS[message.language].title}: ${message.text}`;

/** Inside the window: the text with snooze and done buttons, which the processor routes to the tools. */
const interactiveReminder = (message: ReminderMessage): OutboundMessage => {
  const labels = LABELS[message.language];
  const { reminderId } = message;
  return replyButtons(
    message.to,
    reminderBody(message),
    [
      { id: actionId({ kind: 'reminder_snooze', reminderId, minutes: 10 }), title: labels.tenMinutes },
      { id: actionId({ kind: 'reminder_snooze', reminderId, minutes: 60 }), title: labels.hour },
      { id: actionId({ kind: 'reminder_done', reminderId }), title: labels.done },
    ],
    { fit: true },
  );
};

/** Meta refuses a template parameter with a new line, a tab or more than four spaces in a row. */
const templateParameter = (text: string): string =>
  truncate(text.replace(/\s+/g, ' ').trim(), TEMPLATE_PARAMETER_MAX);

export const reminderPayload = (
  channel: Channel,
  message: ReminderMessage,
  templates: ReminderTemplates,
): OutboundMessage => {
  if (channel === 'interactive') return interactiveReminder(message);
  const { name, language } = templates[message.language];
  return template(message.to, name, language, [bodyParameters(templateParameter(message.text))]);
};
