import { DateTime } from 'luxon';
import {
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  NO_USAGE,
  type ToolUseBlock,
  type TurnContext,
} from '../llm/chat-model';
import type { Json } from '../db/repositories';
import type { ToolCall, ToolOutcome } from '../tools/registry';
import { localDateOf } from '../tools/time';
import { type Intent, planMessage } from './offline';
import { describeOutcome, type Language, say } from './replies';

export const OFFLINE_PROVIDER = 'offline';
export const OFFLINE_MODEL = 'planner-v1';

const HELP: Record<Language, string> = {
  es: [
    'Puedo ayudarte con:',
    '⏰ *Recordatorios*: "recuérdame mañana a las 9 llamar a Juan"',
    '💸 *Gastos*: "gasté 45.000 en almuerzo", "¿cuánto gasté esta semana?"',
    '📅 *Agenda*: "agenda dentista el viernes a las 3pm", "¿qué tengo mañana?"',
    '🧠 *Memoria*: "recuerda que mi hermana cumple el 3 de mayo", "¿qué recuerdas de mí?"',
    '🙋 "quiero hablar con una persona" · *BAJA* para no recibir mensajes · "borrar mis datos"',
  ].join('\n'),
  en: [
    'I can help with:',
    '⏰ *Reminders*: "remind me tomorrow at 9 to call John"',
    '💸 *Expenses*: "I spent $12.50 on coffee", "how much did I spend this week?"',
    '📅 *Calendar*: "schedule dentist Friday 3pm", "what do I have tomorrow?"',
    '🧠 *Memory*: "remember that my sister\'s birthday is May 3", "what do you remember about me?"',
    '🙋 "talk to a human" · *STOP* to get no more messages · "delete my data"',
  ].join('\n'),
};

/** The last instant of a half-open range, as the inclusive local date the tools take. */
const lastLocalDate = (toExclusive: string, timeZone: string): string =>
  localDateOf(new Date(new Date(toExclusive).getTime() - 1), timeZone);

type Step = { kind: 'tool'; name: string; input: Record<string, Json> } | { kind: 'text'; text: string };

const stepFor = (intent: Intent, language: Language, context: TurnContext): Step => {
  const zone = context.timeZone;
  switch (intent.kind) {
    case 'create_reminder':
      if (intent.ambiguity === 'no_date') {
        return {
          kind: 'text',
          text: say(
            language,
            `¿Para cuándo te recuerdo *${intent.text}*?`,
            `When should I remind you to *${intent.text}*?`,
          ),
        };
      }
      return {
        kind: 'tool',
        name: 'create_reminder',
        input: {
          text: intent.text,
          // A day without a time: the user's preferred reminder time rather than the planner's 09:00.
          due_local:
            intent.ambiguity === 'no_time' && context.reminderTime
              ? `${intent.localTime.slice(0, 'yyyy-MM-dd'.length)}T${context.reminderTime}`
              : intent.localTime,
          ...(intent.recurrence && {
            recurrence: {
              frequency: intent.recurrence.frequency,
              time: intent.recurrence.time,
              ...(intent.recurrence.byWeekday && { by_weekday: intent.recurrence.byWeekday }),
              ...(intent.recurrence.byMonthDay && { by_month_day: intent.recurrence.byMonthDay }),
            },
          }),
        },
      };
    case 'add_expense':
      return {
        kind: 'tool',
        name: 'add_expense',
        input: {
          amount: intent.amount,
          currency: intent.currency,
          category: intent.category,
          ...(intent.description && { description: intent.description }),
          date: localDateOf(new Date(intent.occurredAt), zone),
        },
      };
    case 'create_event':
      return {
        kind: 'tool',
        name: 'create_event',
        input: {
          title: intent.title,
          start_local: intent.localStart,
          end_local: DateTime.fromISO(intent.endsAt, { zone }).toFormat("yyyy-MM-dd'T'HH:mm"),
        },
      };
    case 'list_reminders':
      return { kind: 'tool', name: 'list_reminders', input: {} };
    case 'list_events':
      return {
        kind: 'tool',
        name: 'list_events',
        input: { from: localDateOf(new Date(intent.from), zone), to: lastLocalDate(intent.to, zone) },
      };
    case 'sum_expenses':
    case 'list_expenses':
      return {
        kind: 'tool',
        name: intent.kind,
        input: {
          from: localDateOf(new Date(intent.from), zone),
          to: lastLocalDate(intent.to, zone),
          ...(intent.category && { category: intent.category }),
        },
      };
    case 'cancel_reminder':
      return { kind: 'tool', name: 'cancel_reminder', input: { query: intent.query } };
    case 'cancel_event':
      return { kind: 'tool', name: 'cancel_event', input: { query: intent.query } };
    case 'delete_last_expense':
      return { kind: 'tool', name: 'delete_expense', input: { last: true } };
    case 'remember':
      return { kind: 'tool', name: 'remember', input: { content: intent.content } };
    case 'search_memory':
      return { kind: 'tool', name: 'search_memory', input: { query: intent.query } };
    case 'forget_memory':
      return { kind: 'tool', name: 'forget_memory', input: { query: intent.query } };
    case 'list_memories':
      return { kind: 'tool', name: 'list_memories', input: {} };
    case 'greeting':
      return { kind: 'text', text: `${say(language, '¡Hola! 👋', 'Hi! 👋')} ${HELP[language]}` };
    case 'help':
      return { kind: 'text', text: HELP[language] };
    case 'thanks':
      return { kind: 'text', text: say(language, '¡Con gusto! 😊', "You're welcome! 😊") };
    case 'human_handoff':
      return { kind: 'tool', name: 'request_human', input: {} };
    case 'usage_report':
      return { kind: 'tool', name: 'get_my_usage', input: {} };
    case 'unknown':
      return {
        kind: 'text',
        text: `${say(language, 'No entendí bien. 🤔', "I didn't quite get that. 🤔")}\n${HELP[language]}`,
      };
  }
};

/**
 * The offline planner behind the same port as Claude and OpenAI: it reads the user's message,
 * emits the tool call a model would, and words the answer from the tool's result. Deterministic
 * and free, it is the local default and the last fallback when every provider is down.
 */
export class OfflineChatModel implements ChatModel {
  readonly provider = OFFLINE_PROVIDER;
  readonly model = OFFLINE_MODEL;

  complete(request: ChatRequest): Promise<ChatResponse> {
    const started = performance.now();
    const respond = (
      content: ChatResponse['content'],
      stopReason: ChatResponse['stopReason'],
    ): Promise<ChatResponse> =>
      Promise.resolve({
        content,
        stopReason,
        usage: NO_USAGE,
        provider: this.provider,
        model: this.model,
        latencyMs: performance.now() - started,
      });

    const context = request.turnContext;
    const userText = [...request.messages]
      .reverse()
      .find((message) => message.role === 'user' && message.content.some((block) => block.type === 'text'))
      ?.content.flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join('\n');
    if (!context || userText === undefined) return respond([{ type: 'text', text: HELP.es }], 'end_turn');
    const plan = planMessage(userText, {
      now: context.now,
      timeZone: context.timeZone,
      locale: context.locale,
      defaultCurrency: context.currency,
    });

    const last = request.messages.at(-1);
    const results = last?.role === 'user' ? last.content.filter((block) => block.type === 'tool_result') : [];
    if (results.length > 0) {
      const calls = request.messages
        .flatMap((message) => (message.role === 'assistant' ? message.content : []))
        .filter((block): block is ToolUseBlock => block.type === 'tool_use');
      const text = results
        .map((result) => {
          const call = calls.find((candidate) => candidate.id === result.toolUseId);
          if (!call) return '';
          const outcome = JSON.parse(result.content) as ToolOutcome['output'];
          const toolCall: ToolCall = { id: call.id, name: call.name, input: call.input };
          const status = result.isError
            ? outcome.error === 'invalid_arguments'
              ? 'invalid'
              : 'error'
            : 'ok';
          return describeOutcome(
            toolCall,
            { toolUseId: call.id, name: call.name, status, output: outcome, replayed: false },
            { language: plan.language, timeZone: context.timeZone, now: context.now },
          );
        })
        .filter(Boolean)
        .join('\n\n');
      return respond([{ type: 'text', text }], 'end_turn');
    }

    const step = stepFor(plan.intent, plan.language, context);
    if (step.kind === 'text') return respond([{ type: 'text', text: step.text }], 'end_turn');
    return respond(
      [{ type: 'tool_use', id: `offline_${request.messages.length}`, name: step.name, input: step.input }],
      'tool_use',
    );
  }
}
