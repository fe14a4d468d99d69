import type { TurnModel } from '../../layers/core/assistant/turn';
import { type AssistantContentBlock, type ChatRequest, NO_USAGE } from '../../layers/core/llm/chat-model';
import type { RoutedResponse } from '../../layers/core/llm/router';

/** A model that answers from a script, one response per call, and records what it was asked. */
export const scripted = (responses: AssistantContentBlock[][]): TurnModel & { requests: ChatRequest[] } => {
  const requests: ChatRequest[] = [];
  return {
    requests,
    complete: (request) => {
      requests.push({ ...request, messages: [...request.messages] });
      const content = responses[Math.min(requests.length - 1, responses.length - 1)]!;
      const response: RoutedResponse = {
        content,
        stopReason: content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
        usage: { ...NO_USAGE, inputTokens: 100, outputTokens: 20 },
        provider: 'scripted',
        model: 'script-1',
        latencyMs: 5,
        attempts: [
          {
            provider: 'scripted',
            model: 'script-1',
            outcome: 'ok',
            latencyMs: 5,
            usage: { ...NO_USAGE, inputTokens: 100, outputTokens: 20 },
            costUsd: 0.0001,
          },
        ],
        skipped: [],
        costUsd: 0.0001,
      };
      return Promise.resolve(response);
    },
  };
};
