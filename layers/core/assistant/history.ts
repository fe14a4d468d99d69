import type { ChatMessage } from '../llm/chat-model';
import type { ConversationTurn } from '../db/repositories';

/** A rough token count (≈4 characters a token for English and Spanish); budgets need only an estimate. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

const SUMMARY_LINE_CHARS = 80;
const SUMMARY_MAX_LINES = 12;

export interface PrunedHistory {
  messages: ChatMessage[];
  /** One line per dropped user message, so older context is summarised rather than silently lost. */
  earlierSummary?: string;
}

/**
 * The conversation before the current message, newest turns kept first until `budgetTokens` is
 * spent. Consecutive messages of one side are merged: vendors expect the roles to alternate.
 */
export const pruneHistory = (
  recent: readonly ConversationTurn[],
  currentWamid: string,
  budgetTokens: number,
): PrunedHistory => {
  const turns = recent
    .filter((message) => message.wamid !== currentWamid && message.body)
    .map((message) => ({
      role: message.direction === 'in' ? ('user' as const) : ('assistant' as const),
      text: message.body ?? '',
    }));
  const kept: typeof turns = [];
  let spent = 0;
  let index = turns.length - 1;
  for (; index >= 0; index--) {
    const cost = estimateTokens(turns[index]!.text);
    if (spent + cost > budgetTokens) break;
    spent += cost;
    kept.unshift(turns[index]!);
  }
  // A history must start with the user.
  while (kept[0]?.role === 'assistant') kept.shift();
  const dropped = turns.slice(0, index + 1).filter((turn) => turn.role === 'user');
  const messages: ChatMessage[] = [];
  for (const turn of kept) {
    const previous = messages.at(-1);
    if (previous?.role === turn.role) {
      const merged = `${previous.content.map((block) => ('text' in block ? block.text : '')).join('')}\n${turn.text}`;
      messages[messages.length - 1] = {
        role: turn.role,
        content: [{ type: 'text', text: merged }],
      };
    } else {
      messages.push({ role: turn.role, content: [{ type: 'text', text: turn.text }] });
    }
  }
  const summary = dropped
    .slice(-SUMMARY_MAX_LINES)
    .map((turn) => `- the user said: ${turn.text.replace(/\s+/g, ' ').slice(0, SUMMARY_LINE_CHARS)}`)
    .join('\n');
  return summary ? { messages, earlierSummary: summary } : { messages };
};
