import type { ErasureAction } from '../assistant/actions';
import { messageLanguage, planMessage } from '../assistant/offline';
import { describeOutcome, type Language, languageOfLocale, type Reply } from '../assistant/replies';
import type { TenantScope } from '../db/database';
import { setConsent, type User } from '../db/repositories';
import { maskIdentifier } from '../logging';
import { MetricNames } from '../observability/metric-names';
import { type PrivacyCommand, privacyCommandOf } from '../privacy/commands';
import { eraseUserData, erasureConfirmationValid } from '../privacy/erase';
import {
  erasedReply,
  erasureCancelledReply,
  erasureExpiredReply,
  erasureQuestion,
  optedInReply,
  optedOutReply,
  pausedNotice,
} from '../privacy/replies';
import { requestHumanTool } from '../tools/handoff';
import { runToolCall, type ToolCall, toolCallContext, type ToolOutcome } from '../tools/registry';
import type { InboundContent, InboundMessageEvent } from '../whatsapp/events';
import { type ProcessorDeps, toolPortsOf } from './deps';
import { replyIntentPrefix } from './send-reply';

/**
 * Messages answered without a model: consent and erasure (which must work when no model does), and asking
 * for a person (which must always have a clear path, FACTS.md Policy).
 */
export type Command = PrivacyCommand | 'handoff';

export interface CommandInput {
  readonly scope: Required<TenantScope>;
  readonly user: User;
  readonly event: InboundMessageEvent;
  readonly now: Date;
}

/**
 * The language to answer a short text in: its own when it tells (the planner's vote), else the user's.
 * "STOP" from a Spanish speaker gets Spanish; "delete my data" gets English.
 */
export const languageFor = (text: string, user: User): Language =>
  messageLanguage(text, languageOfLocale(user.locale));

/**
 * The command a typed message is, if any. Consent and erasure match the whole message against the
 * keywords; a request for a person is what the offline planner calls one, so "recuérdame hablar con una
 * persona de RRHH" stays a reminder.
 */
export const commandOf = (
  deps: Pick<ProcessorDeps, 'config'>,
  content: InboundContent,
  body: string | null,
  user: User,
  now: Date,
): { command: Command; language: Language } | undefined => {
  if ((content.type !== 'text' && content.type !== 'button') || !body) return undefined;
  const privacy = privacyCommandOf(body, deps.config.consent);
  if (privacy) return { command: privacy, language: languageFor(body, user) };
  const plan = planMessage(body, {
    now,
    timeZone: user.timeZone,
    locale: languageOfLocale(user.locale),
    defaultCurrency: deps.config.defaults.currency,
  });
  return plan.intent.kind === 'human_handoff' ? { command: 'handoff', language: plan.language } : undefined;
};

export const answerCommand = async (
  deps: ProcessorDeps,
  input: CommandInput & { readonly currency: string },
  command: Command,
  language: Language,
): Promise<Reply> => {
  const { scope, user, now } = input;
  deps.metrics.add(MetricNames.privacyCommands, 'Count', 1, { command });
  switch (command) {
    case 'opt_out':
      // Already out: the first opt-out's date stands.
      if (user.consentStatus !== 'opted_out')
        await deps.db.transaction(scope, (tx) => setConsent(tx, 'opted_out', now));
      deps.logger.info('User opted out', { user: maskIdentifier(input.event.user.key) });
      return optedOutReply(language);
    case 'opt_in':
      if (user.consentStatus !== 'opted_in')
        await deps.db.transaction(scope, (tx) => setConsent(tx, 'opted_in', now));
      deps.logger.info('User opted in', { user: maskIdentifier(input.event.user.key) });
      return optedInReply(language);
    case 'erase':
      return erasureQuestion(language, now);
    case 'handoff': {
      const call: ToolCall = { id: `handoff_${input.event.wamid}`, name: requestHumanTool.name, input: {} };
      const outcome = await runToolCall(
        deps.db,
        scope,
        call,
        0,
        toolCallContext(
          toolPortsOf(deps),
          scope,
          { timeZone: user.timeZone, locale: language, currency: input.currency },
          { messageWamid: input.event.wamid, now },
        ),
      );
      deps.logger.info('Handoff requested', { user: maskIdentifier(input.event.user.key) });
      return { text: describeOutcome(call, outcome, { language, timeZone: user.timeZone, now }) };
    }
  }
};

/** A tap on the erasure question's buttons. */
export const answerErasureAction = async (
  deps: ProcessorDeps,
  input: CommandInput,
  action: ErasureAction,
  language: Language,
): Promise<Reply> => {
  const { event } = input;
  if (action.kind === 'erase_cancel') {
    deps.metrics.add(MetricNames.privacyCommands, 'Count', 1, { command: 'erase_cancelled' });
    return erasureCancelledReply(language);
  }
  if (!erasureConfirmationValid(action.askedAt, new Date(event.sentAt))) {
    deps.metrics.add(MetricNames.privacyCommands, 'Count', 1, { command: 'erase_expired' });
    return erasureExpiredReply(language);
  }
  const result = await eraseUserData(deps, input.scope, {
    inboundWamid: event.wamid,
    replyKeyPrefix: replyIntentPrefix(event.wamid),
  });
  deps.metrics.add(MetricNames.privacyCommands, 'Count', 1, { command: 'erased' });
  deps.logger.info('User data erased', {
    user: maskIdentifier(event.user.key),
    deleted: result.deleted,
    schedules: result.schedules,
  });
  return erasedReply(language, input.user.consentStatus === 'opted_out');
};

const SCHEDULING_TOOLS = new Set(['create_reminder', 'snooze_reminder', 'reschedule_reminder']);

/**
 * An opted-out user may still ask for a reminder, and gets an answer: they wrote to us. The reminder will
 * not reach them while they are out, and the reply says so rather than let them wait for it.
 */
export const withPausedNotice = (
  reply: Reply,
  user: User,
  results: readonly { call: ToolCall; outcome: ToolOutcome }[],
  language: Language,
): Reply =>
  user.consentStatus === 'opted_out' &&
  results.some(({ call, outcome }) => outcome.status === 'ok' && SCHEDULING_TOOLS.has(call.name))
    ? { ...reply, text: `${reply.text}\n\n${pausedNotice(language)}` }
    : reply;
