import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod/mini';
import type { Database, TenantScope } from '../db/database';
import { type ConversationTurn, listRecentTurns, recordAiUsage, type User } from '../db/repositories';
import type {
  ChatMessage,
  ChatRequest,
  ToolDefinition,
  ToolResultBlock,
  ToolUseBlock,
} from '../llm/chat-model';
import type { FallbackReason, ModelCall, RouteAttempt, RoutedResponse, RouteOptions } from '../llm/router';
import type { MetricsPort } from '../ports/metrics';
import { embedOrSkip } from '../memory/embeddings';
import { MeteredEmbedder } from '../memory/metered-embedder';
import { type FoundMemory, searchMemories } from '../memory/search';
import type { Embedder } from '../ports/embedder';
import type { ReminderScheduler } from '../ports/scheduler';
import { ALL_TOOLS, runToolCall, type ToolCall, toolCallContext, type ToolOutcome } from '../tools/registry';
import { localDateOf } from '../tools/time';
import type { Tool } from '../tools/tool';
import { estimateTokens, pruneHistory } from './history';
import { messageLanguage } from './offline';
import { buildSystemPrompt } from './prompt';
import { describeOutcome, type Language, languageOfLocale, type Reply, suggestedButtons } from './replies';
import { loadUserPreferences, type UserPreferences } from './user-preferences';
import { toWhatsAppMarkdown } from './whatsapp-format';

/** WhatsApp caps a text message at 4096 characters; a longer message is read as its first 4096. */
const MAX_USER_TEXT = 4096;
/** Messages the assistant reads back; older ones live on as summary memories (memory/summaries.ts). */
export const HISTORY_FETCH = 40;

export interface TurnConfig {
  /** Tool-call rounds before the turn stops asking the model. */
  maxSteps: number;
  /** Input tokens per model call: system prompt, tools, history and the message (default 4,096). */
  inputTokenBudget: number;
  /** The whole turn, every model call included, ends by then; the offline planner answers after it. */
  deadlineMs: number;
  /** Of the input budget, at most this many tokens of recalled memories go into the system prompt. */
  memoryTokenBudget: number;
}

export const DEFAULT_TURN_CONFIG: TurnConfig = {
  maxSteps: 5,
  inputTokenBudget: 4096,
  deadlineMs: 20_000,
  memoryTokenBudget: 400,
};

/** Memories recalled into the prompt, at most; fewer when the token budget runs out first. */
const RECALLED_MEMORIES = 5;
const RECALLED_MEMORY_CHARS = 300;

/** Recalled memories as prompt lines, best first, as many as fit in `budgetTokens`. */
export const recallLines = (
  found: readonly FoundMemory[],
  timeZone: string,
  budgetTokens: number,
): string[] => {
  const lines: string[] = [];
  let spent = 0;
  for (const memory of found) {
    const content = memory.content.replace(/\s+/g, ' ').slice(0, RECALLED_MEMORY_CHARS);
    const line = `- (${memory.kind}, ${localDateOf(memory.occurredAt, timeZone)}) ${content}`;
    const cost = estimateTokens(line);
    if (spent + cost > budgetTokens) break;
    spent += cost;
    lines.push(line);
  }
  return lines;
};

export interface TurnModel {
  complete(request: ChatRequest, options?: RouteOptions): Promise<RoutedResponse>;
}

export interface TurnDeps {
  db: Database;
  model: TurnModel;
  scheduler: ReminderScheduler;
  /** What the request_human tool tells the user (see ToolContext). */
  operatorContact: string;
  embedder: Embedder;
  logger: Logger;
  metrics: MetricsPort;
  config: TurnConfig;
  tools?: readonly Tool[];
}

export interface TurnInput {
  scope: Required<TenantScope>;
  user: User;
  currency: string;
  messageWamid: string;
  text: string;
  now: Date;
  paidAllowed?: () => Promise<boolean>;
  /**
   * The user's preferences and the latest HISTORY_FETCH messages, when the caller has read them already
   * (the processor does, in the transaction that stores the message); read here when absent.
   */
  known?: { preferences: UserPreferences; recent: readonly ConversationTurn[] };
}

export interface TurnResult {
  reply: Reply;
  language: Language;
  attempts: RouteAttempt[];
  toolResults: { call: ToolCall; outcome: ToolOutcome }[];
  fallback?: FallbackReason;
}

const offeredTools = new WeakMap<readonly Tool[], { definitions: ToolDefinition[]; tokens: number }>();

/**
 * What a set of tools looks like to the model, and its share of the prompt's tokens. Built once per set:
 * every turn offers the same tools, and converting their schemas cost more than the rest of an offline turn.
 */
const toolsOffered = (tools: readonly Tool[]): { definitions: ToolDefinition[]; tokens: number } => {
  const cached = offeredTools.get(tools);
  if (cached) return cached;
  const definitions = tools.map((tool) => {
    const inputSchema: Record<string, unknown> = z.toJSONSchema(tool.input, {
      io: 'input',
      unrepresentable: 'any',
    });
    return {
      name: tool.name,
      description: tool.description,
      inputSchema: { type: 'object' as const, ...inputSchema },
    };
  });
  const offered = { definitions, tokens: estimateTokens(JSON.stringify(definitions)) };
  offeredTools.set(tools, offered);
  return offered;
};

/**
 * Every model call made for one inbound message (router attempts, embedding requests), in `ai_usage`: the
 * budget and the cost views sum them.
 */
export const recordAttempts = async (
  db: Database,
  scope: Required<TenantScope>,
  attempts: readonly ModelCall[],
  messageWamid: string,
): Promise<void> => {
  if (attempts.length === 0) return;
  await db.transaction(scope, async (tx) => {
    for (const attempt of attempts) {
      await recordAiUsage(tx, {
        provider: attempt.provider,
        model: attempt.model,
        inputTokens: attempt.usage.inputTokens,
        outputTokens: attempt.usage.outputTokens,
        cacheReadTokens: attempt.usage.cacheReadTokens,
        cacheWriteTokens: attempt.usage.cacheWriteTokens,
        costUsd: attempt.costUsd,
        latencyMs: Math.round(attempt.latencyMs),
        outcome: attempt.outcome,
        messageWamid,
      });
    }
  });
};

/**
 * One assistant turn: context (profile, preferences, pruned history), then a bounded tool loop
 * through the router (Claude → OpenAI → offline planner), then the reply in WhatsApp's format.
 * Every model call is recorded in `ai_usage`, every tool call in `tool_executions`.
 */
export const runTurn = async (deps: TurnDeps, input: TurnInput): Promise<TurnResult> => {
  const tools = deps.tools ?? ALL_TOOLS;
  const { definitions, tokens: definitionTokens } = toolsOffered(tools);
  const text = input.text.slice(0, MAX_USER_TEXT);
  const language = messageLanguage(text, languageOfLocale(input.user.locale));

  // Every embedding the turn asks for, the recall's and the memory tools', is priced and recorded with it.
  const embedder = new MeteredEmbedder(deps.embedder, {
    metrics: deps.metrics,
    logger: deps.logger,
    now: input.now,
  });
  // Outside the transaction: an embedding provider's round trip should not hold a database connection. So
  // the recall, which needs the vector, has a transaction of its own, not the one that stored the message.
  const vector = await embedOrSkip(embedder, text);
  const { recent, preferences, recalled } = await deps.db.transaction(input.scope, async (tx) => {
    const known = input.known ?? {
      recent: await listRecentTurns(tx, HISTORY_FETCH),
      preferences: await loadUserPreferences(tx),
    };
    return {
      ...known,
      recalled: await searchMemories(tx, embedder, { text, limit: RECALLED_MEMORIES }, vector),
    };
  });
  const facts = {
    ...(input.user.name && { name: input.user.name }),
    language: languageOfLocale(input.user.locale),
    timeZone: input.user.timeZone,
    currency: input.currency,
    now: input.now,
    preferences,
    memories: recallLines(recalled, input.user.timeZone, deps.config.memoryTokenBudget),
  };
  const fixedCost = estimateTokens(buildSystemPrompt(facts)) + definitionTokens + estimateTokens(text);
  const history = pruneHistory(
    recent,
    input.messageWamid,
    Math.max(0, deps.config.inputTokenBudget - fixedCost),
  );
  const system = buildSystemPrompt({
    ...facts,
    ...(history.earlierSummary && { earlierSummary: history.earlierSummary }),
  });

  const messages: ChatMessage[] = [...history.messages];
  const previous = messages.at(-1);
  if (previous?.role === 'user') messages.pop();
  const earlierUserText =
    previous?.role === 'user' ? previous.content.map((b) => ('text' in b ? b.text : '')).join('') : '';
  messages.push({
    role: 'user',
    content: [{ type: 'text', text: earlierUserText ? `${earlierUserText}\n${text}` : text }],
  });

  const signal = AbortSignal.timeout(deps.config.deadlineMs);
  const attempts: RouteAttempt[] = [];
  const toolResults: TurnResult['toolResults'] = [];
  let fallback: FallbackReason | undefined;
  let finalText: string | undefined;
  let callIndex = 0;
  const context = toolCallContext(
    { ...deps, embedder },
    input.scope,
    { timeZone: input.user.timeZone, locale: languageOfLocale(input.user.locale), currency: input.currency },
    { messageWamid: input.messageWamid, now: input.now },
  );

  for (let step = 0; step < deps.config.maxSteps && finalText === undefined; step++) {
    const response = await deps.model.complete(
      {
        system,
        messages,
        tools: definitions,
        signal,
        turnContext: {
          now: input.now,
          timeZone: input.user.timeZone,
          locale: language,
          currency: input.currency,
          ...(preferences.reminderTime && { reminderTime: preferences.reminderTime }),
        },
      },
      input.paidAllowed ? { paidAllowed: input.paidAllowed } : {},
    );
    attempts.push(...response.attempts);
    fallback ??= response.fallback;
    const uses = response.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
    if (uses.length === 0) {
      finalText = response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      break;
    }
    messages.push({ role: 'assistant', content: response.content });
    const results: ToolResultBlock[] = [];
    for (const use of uses) {
      const call: ToolCall = { id: use.id, name: use.name, input: use.input };
      const outcome = await runToolCall(deps.db, input.scope, call, callIndex++, context, tools);
      toolResults.push({ call, outcome });
      results.push({
        type: 'tool_result',
        toolUseId: use.id,
        content: JSON.stringify(outcome.output),
        isError: outcome.status !== 'ok',
      });
    }
    messages.push({ role: 'user', content: results });
  }

  const replyContext = { language, timeZone: input.user.timeZone, now: input.now };
  // A model that kept calling tools past the step limit still owes the user an answer: word the last results.
  const text_ =
    finalText?.trim() ||
    toolResults.map(({ call, outcome }) => describeOutcome(call, outcome, replyContext)).join('\n\n') ||
    (language === 'es'
      ? 'Lo siento, no pude completar eso. ¿Lo intentamos de nuevo?'
      : "Sorry, I couldn't finish that. Shall we try again?");
  const buttons = suggestedButtons(toolResults, replyContext);

  await recordAttempts(deps.db, input.scope, [...attempts, ...embedder.takeCalls()], input.messageWamid);

  return {
    reply: { text: toWhatsAppMarkdown(text_), ...(buttons.length > 0 && { buttons }) },
    language,
    attempts,
    toolResults,
    ...(fallback && { fallback }),
  };
};
