import { actionId } from '../assistant/actions';
import type { Language } from '../assistant/replies';
import { type Recipient, replyButtons } from '../whatsapp/graph/builders';
import type { OutboundMessage } from '../whatsapp/graph/outbound-schema';

const LABELS = {
  es: { title: '⏰ Recordatorio', tenMinutes: '10 min', hour: '1 hora', done: 'Hecho' },
  en: { title: '⏰ Reminder', tenMinutes: '10 min', hour: '1 h', done: 'Done' },
} as const;

export interface ReminderMessage {
  readonly to: Recipient;
  readonly reminderId: string;
  readonly text: string;
  readonly language: Language;
}

/** What the user reads in the interactive message, and what the conversation history keeps of either kind. */
export const reminderBody = (message: ReminderMessage): string =>
  `${LABELS[message.language].title}: ${message.text}`;

/**
 * The text with snooze and done buttons, which the processor routes to the tools. Outside the window the
 * reminder template carries the text instead (see sendOnce).
 */
export const interactiveReminder = (message: ReminderMessage): OutboundMessage => {
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
