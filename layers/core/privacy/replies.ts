import { actionId } from '../assistant/actions';
import { type Language, type Reply, say } from '../assistant/replies';
import { ERASURE_CONFIRMATION_TTL_MS } from './erase';

// The keywords named here are the mandatory ones (commands.ts), which work in every configuration.

export const optedOutReply = (language: Language): Reply => ({
  text: say(
    language,
    '🔕 Listo, ya no te enviaré mensajes por mi cuenta: ni recordatorios ni avisos. Si me escribes, te respondo. Para volver a recibirlos, escribe *ALTA*.',
    "🔕 Done, I won't send you messages on my own any more: no reminders, no notices. If you write to me, I'll still answer. To get them again, send *START*.",
  ),
});

export const optedInReply = (language: Language): Reply => ({
  text: say(
    language,
    '🔔 ¡Listo! Vuelves a recibir tus recordatorios y avisos. Para dejar de recibirlos, escribe *BAJA*.',
    "🔔 You're back: your reminders and notices are on again. To stop them, send *STOP*.",
  ),
});

/** Added to a reply that scheduled something an opted-out user will not receive. */
export const pausedNotice = (language: Language): string =>
  say(
    language,
    'ℹ️ Tus mensajes están en pausa (escribiste BAJA), así que este recordatorio no te llegará hasta que escribas *ALTA*.',
    'ℹ️ Your messages are paused (you sent STOP), so this reminder will not reach you until you send *START*.',
  );

const TTL_MINUTES = ERASURE_CONFIRMATION_TTL_MS / 60_000;

export const erasureQuestion = (language: Language, askedAt: Date): Reply => ({
  text: say(
    language,
    `🗑️ ¿Borro todos tus datos? Se eliminan tus mensajes, recordatorios, gastos, agenda, notas, preferencias y solicitudes, y no se pueden recuperar. Para confirmar toca *Sí, borrar todo* (vale ${TTL_MINUTES} minutos).`,
    `🗑️ Delete all your data? Your messages, reminders, expenses, calendar, notes, preferences and requests are erased, and cannot be recovered. To confirm, tap *Yes, delete all* (valid for ${TTL_MINUTES} minutes).`,
  ),
  buttons: [
    {
      id: actionId({ kind: 'erase_confirm', askedAt }),
      title: say(language, 'Sí, borrar todo', 'Yes, delete all'),
    },
    { id: actionId({ kind: 'erase_cancel' }), title: say(language, 'No, cancelar', 'No, cancel') },
  ],
});

export const erasedReply = (language: Language, optedOut: boolean): Reply => ({
  text: say(
    language,
    `✅ Listo, borré todos tus datos: mensajes, recordatorios (y sus avisos programados), gastos, agenda, notas y preferencias. Solo guardo tu número e idioma para poder responderte${optedOut ? ' y seguir respetando tu BAJA' : ''}. Puedes volver a escribirme cuando quieras.`,
    `✅ Done, I deleted all your data: messages, reminders (and their scheduled alerts), expenses, calendar, notes and preferences. I keep only your number and language so I can answer you${optedOut ? ' and keep honouring your STOP' : ''}. Write to me again whenever you like.`,
  ),
});

export const erasureCancelledReply = (language: Language): Reply => ({
  text: say(
    language,
    '👍 No borré nada; tus datos siguen aquí.',
    '👍 Nothing was deleted; your data is still here.',
  ),
});

export const erasureExpiredReply = (language: Language): Reply => ({
  text: say(
    language,
    '⌛ Ese botón ya venció, así que no borré nada. Si quieres borrar tus datos, escribe *borrar mis datos* otra vez.',
    '⌛ That button has expired, so nothing was deleted. To delete your data, send *delete my data* again.',
  ),
});
