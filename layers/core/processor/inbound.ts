import {
  actionId,
  createsOnTap,
  isErasureAction,
  parseActionId,
  slashCommandOf,
  toolCallFor,
} from '../assistant/actions';
import {
  describeOutcome,
  type Language,
  languageOfLocale,
  type Reply,
  say,
  suggestedButtons,
} from '../assistant/replies';
import { HISTORY_FETCH, recordAttempts, runTurn } from '../assistant/turn';
import { defaultsFor } from '../assistant/user-defaults';
import { loadUserPreferences } from '../assistant/user-preferences';
import type { Tx } from '../db/database';
import {
  getCurrentUser,
  getPreference,
  setPreference,
  insertInboundMessage,
  type Json,
  listRecentTurns,
  recordInboundActivity,
} from '../db/repositories';
import { maintainMemory } from '../memory/maintenance';
import { MeteredEmbedder } from '../memory/metered-embedder';
import { maskIdentifier } from '../logging';
import { MetricNames } from '../observability/metric-names';
import { runToolCall, toolCallContext } from '../tools/registry';
import type { InboundContent, InboundMessageEvent } from '../whatsapp/events';
import { type ProcessorDeps, toolPortsOf } from './deps';
import { localDateOf } from '../tools/time';
import { paidModelsAllowed } from './budget';
import { answerCommand, answerErasureAction, commandOf, languageFor, withPausedNotice } from './commands';
import { replyIntentKey, sendReply } from './send-reply';
import { PermanentError } from '../errors';
import { SendOutcomeUnknownError } from '../outbound/send-once';
import { hearVoiceNote, lookAtImage, type MediaContent, withTranscriptEcho } from './media';

/** The text a message stands for: typed text, a caption, or a tapped button's title. */
const textOf = (content: InboundContent): string | null => {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'media':
      return content.caption ?? null;
    case 'interactive':
      return content.reply.kind === 'flow' ? (content.reply.body ?? null) : content.reply.title;
    case 'button':
      return content.text;
    case 'location':
      return content.name ?? content.address ?? null;
    default:
      return null;
  }
};

/** A reply to content the assistant cannot act on; `undefined` means no reply at all (a reaction, a system notice). */
const replyToUnhandled = (content: InboundContent, language: Language): Reply | undefined => {
  switch (content.type) {
    case 'reaction':
    case 'system':
      return undefined;
    case 'media':
      return {
        text: say(
          language,
          '📎 Todavía no puedo abrir videos, documentos ni stickers. ¿Me lo escribes?',
          "📎 I can't open videos, documents or stickers yet. Could you type it?",
        ),
      };
    default:
      return {
        text: say(
          language,
          'Recibí tu mensaje, pero ese tipo de contenido no lo puedo procesar. ¿Me lo escribes?',
          "I got your message, but I can't handle that kind of content. Could you type it?",
        ),
      };
  }
};

/**
 * One inbound message: identify the user, store the message (a redelivery that was already
 * answered stops here), refresh the 24 h window, show typing, answer, and send the reply.
 */
export const handleInboundMessage = async (
  deps: ProcessorDeps,
  event: InboundMessageEvent,
): Promise<void> => {
  const now = deps.clock.now();
  const defaults = defaultsFor(event.user, deps.config.defaults);
  const scope = await deps.identities.scopeOf(deps, event.tenant, event.user, {
    ...(event.profileName && { profileName: event.profileName }),
    locale: defaults.locale,
    timeZone: defaults.timeZone,
    ...(defaults.country && { country: defaults.country }),
  });
  const body = textOf(event.content);
  const action = actionOf(event.content);
  const media = understoodMedia(event.content);
  const conversational = answersWithTurn(event.content, body);
  // A voice note is answered by a turn on its transcript.
  const mayRunTurn = !action && (conversational || media?.mediaType === 'audio');

  const stored = await deps.db.transaction(scope, (tx) => storeInbound(tx, event, body, mayRunTurn));
  if (stored.replied === 'sent') {
    deps.metrics.add(MetricNames.processorDuplicatesSkipped, 'Count', 1);
    deps.logger.info('Redelivered message was already answered');
    return;
  }
  // Answered or not, nobody can tell: answering again might say it twice (see sendOnce).
  if (stored.replied === 'unknown') throw new SendOutcomeUnknownError(replyIntentKey(event.wamid, 0));
  const { user, firstToday, preferences, recent } = stored;
  if (!user) throw new PermanentError('user_not_found', 'The user was erased while their message was queued');
  if (firstToday) deps.metrics.add(MetricNames.activeUsers, 'Count', 1);

  // Asked once per message: a voice note's transcription and the turn on its transcript share the answer.
  const paidAllowed = paidModelsAllowed(deps.db, scope, deps.config.budgets, now);
  const language = languageOfLocale(user.locale);
  // The currency a user's amounts default to: their saved preference, else their country's.
  const currency = preferences.currency ?? defaults.currency;
  // Consent, erasure and handoff are answered before any model, so no model is ever needed for them.
  const command = action ? undefined : commandOf(deps, event.content, body, user, now);
  let reply: Reply | undefined;
  if (action || media || conversational) await markReadWithTyping(deps, event);
  const answer = async (text: string): Promise<Reply> => {
    const turn = await runTurn(
      {
        db: deps.db,
        model: deps.model,
        ...toolPortsOf(deps),
        logger: deps.logger,
        config: deps.config.turn,
      },
      {
        scope,
        user,
        currency,
        messageWamid: event.wamid,
        text,
        now,
        paidAllowed,
        known: { preferences, recent },
      },
    );
    const answered =
      turn.fallback === 'budget_denied' && (await firstBudgetNoticeToday(deps, scope, user.timeZone, now))
        ? {
            ...turn.reply,
            text: `${say(turn.language, BUDGET_NOTICE.es, BUDGET_NOTICE.en)}\n\n${turn.reply.text}`,
          }
        : turn.reply;
    return withPausedNotice(answered, user, turn.toolResults, turn.language);
  };
  if (action && isErasureAction(action)) {
    const tapLanguage = languageFor(body ?? '', user);
    reply = await answerErasureAction(deps, { scope, user, event, now }, action, tapLanguage);
  } else if (action) {
    const call = toolCallFor(action, `action_${event.wamid}`);
    const outcome = await runToolCall(deps.db, scope, call, 0, {
      ...toolCallContext(
        toolPortsOf(deps),
        scope,
        { timeZone: user.timeZone, locale: language, currency },
        { messageWamid: event.wamid, now },
      ),
      ...(event.contextWamid &&
        createsOnTap(action) && { effectKey: `${event.contextWamid}#${actionId(action)}` }),
    });
    const context = { language, timeZone: user.timeZone, now };
    const buttons = suggestedButtons([{ call, outcome }], context);
    const described = describeOutcome(call, outcome, context);
    reply = withPausedNotice(
      {
        text: outcome.replayed
          ? `${say(language, ALREADY_DONE.es, ALREADY_DONE.en)}\n\n${described}`
          : described,
        ...(buttons.length > 0 && { buttons }),
      },
      user,
      [{ call, outcome }],
      language,
    );
  } else if (command) {
    reply = await answerCommand(
      deps,
      { scope, user, event, now, currency },
      command.command,
      command.language,
    );
  } else if (media) {
    const input = {
      scope,
      wamid: event.wamid,
      content: media,
      language,
      currency,
      timeZone: user.timeZone,
      now,
      paidAllowed,
    };
    if (media.mediaType === 'image') {
      reply = await lookAtImage(deps, input);
    } else {
      const heard = await hearVoiceNote(deps, input, stored.body);
      reply =
        'reply' in heard ? heard.reply : withTranscriptEcho(heard.transcript, await answer(heard.transcript));
    }
  } else if (conversational) {
    reply = await answer(body ?? '');
  } else {
    reply = replyToUnhandled(event.content, language);
  }
  if (!reply) return;
  await sendReply(deps, scope, event.tenant.phoneNumberId, event.user, event.wamid, reply);
  deps.metrics.add(
    MetricNames.turnLatency,
    'Milliseconds',
    deps.clock.now().getTime() - new Date(event.sentAt).getTime(),
  );
  deps.logger.info('Message answered', {
    user: maskIdentifier(event.user.key),
    type: event.content.type,
  });
  // Consent, erasure and handoff change no memory: upkeep follows conversation only.
  if (command || (action && isErasureAction(action))) return;
  // After the reply, so the user never waits for it. The re-embedding it does is this message's spend too.
  const embedder = new MeteredEmbedder(deps.embedder, { metrics: deps.metrics, logger: deps.logger, now });
  await maintainMemory({ ...deps, embedder }, scope, {
    language,
    timeZone: user.timeZone,
    keepRecent: HISTORY_FETCH,
  });
  await recordAttempts(deps.db, scope, embedder.takeCalls(), event.wamid);
};

/**
 * Stores the message and refreshes the user's activity (a redelivery changes nothing), then reads in the
 * same transaction what answering needs: the preferences and, when a turn may answer, its history. None of
 * it then costs a transaction of its own. A redelivery whose reply went out, or may have, is not answered:
 * the statement that found it stored is all it reads.
 */
const storeInbound = async (tx: Tx, event: InboundMessageEvent, body: string | null, mayRunTurn: boolean) => {
  const sentAt = new Date(event.sentAt);
  const stored = await insertInboundMessage(
    tx,
    {
      wamid: event.wamid,
      type: event.content.type === 'media' ? event.content.mediaType : event.content.type,
      body,
      payload: JSON.parse(JSON.stringify(event.content)) as Json,
      ...(event.contextWamid && { contextWamid: event.contextWamid }),
      occurredAt: sentAt,
    },
    replyIntentKey(event.wamid, 0),
  );
  if (!stored.isNew && stored.reply !== 'none') return { replied: stored.reply };
  const activity = stored.isNew ? await recordInboundActivity(tx, sentAt) : undefined;
  return {
    replied: 'none' as const,
    user: activity ? activity.user : await getCurrentUser(tx),
    firstToday: activity !== undefined && isEarlierUtcDay(activity.previousInboundAt, sentAt),
    // On a redelivery, the transcript an earlier attempt heard in a voice note.
    body: stored.isNew ? body : stored.body,
    preferences: await loadUserPreferences(tx),
    recent: mayRunTurn ? await listRecentTurns(tx, HISTORY_FETCH) : [],
  };
};

/** Whether `previous` (a user's last message) fell on an earlier UTC day than `at`: days as on the cost dashboard. */
const isEarlierUtcDay = (previous: Date | null, at: Date): boolean =>
  previous === null || previous.toISOString().slice(0, 10) < at.toISOString().slice(0, 10);

/** A second tap on a button that creates something: said plainly, so the user does not look for a double. */
const ALREADY_DONE = { es: 'Eso ya estaba hecho 👍', en: 'That was already done 👍' };

const BUDGET_NOTICE = {
  es: 'ℹ️ Hoy se alcanzó el límite de uso del asistente; sigo ayudándote en modo básico hasta mañana.',
  en: "ℹ️ Today's assistant usage limit was reached; I'll keep helping in basic mode until tomorrow.",
};

/** Over budget, the user is told once a day (their day), not on every reply. */
const firstBudgetNoticeToday = (
  deps: ProcessorDeps,
  scope: { tenantId: string; userId: string },
  timeZone: string,
  now: Date,
): Promise<boolean> =>
  deps.db.transaction(scope, async (tx) => {
    const today = localDateOf(now, timeZone);
    if ((await getPreference(tx, BUDGET_NOTICE_KEY)) === today) return false;
    await setPreference(tx, BUDGET_NOTICE_KEY, today);
    return true;
  });
const BUDGET_NOTICE_KEY = 'budget_notice_date';

/** Voice notes and photos are understood through a model; other files get the plain answer. */
const understoodMedia = (content: InboundContent): MediaContent | undefined =>
  content.type === 'media' && (content.mediaType === 'audio' || content.mediaType === 'image')
    ? content
    : undefined;

/** Typed text, and a tapped choice that names no action, go to the assistant. */
const answersWithTurn = (content: InboundContent, body: string | null): boolean =>
  content.type === 'text' || content.type === 'button' || (content.type === 'interactive' && body !== null);

/** A tapped button or list row that names an action, or a slash command, is handled without a model. */
const actionOf = (content: InboundContent) => {
  if (content.type === 'text') return slashCommandOf(content.text);
  if (content.type === 'interactive' && content.reply.kind !== 'flow') return parseActionId(content.reply.id);
  if (content.type === 'button' && content.payload) return parseActionId(content.payload);
  return undefined;
};

/** Read ticks and "typing…" while the turn runs; cosmetic, so a failure only logs. */
const markReadWithTyping = async (deps: ProcessorDeps, event: InboundMessageEvent): Promise<void> => {
  try {
    await deps.graph.markRead(event.tenant.phoneNumberId, event.wamid, { typing: true });
  } catch (error) {
    deps.logger.warn('Could not mark the message read', { error: error as Error });
  }
};
