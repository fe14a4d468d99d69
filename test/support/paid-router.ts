import { MemoryBreakerStore } from '../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../layers/core/adapters/local/memory-metrics';
import { OfflineChatModel } from '../../layers/core/assistant/offline-model';
import { type ChatModel, NO_USAGE } from '../../layers/core/llm/chat-model';
import { CircuitBreaker } from '../../layers/core/llm/circuit-breaker';
import { LlmRouter } from '../../layers/core/llm/router';
import { capturingLogger } from './logger';

/**
 * A paid model that always answers "paid answer", behind the real router with the offline planner as its
 * last resort: a turn then asks the budget whether paid models may run. `onCall` counts the paid calls.
 */
export const paidRouter = (onCall: () => void = () => {}): LlmRouter => {
  const { logger } = capturingLogger();
  const metrics = new MemoryMetrics();
  const paid: ChatModel = {
    provider: 'anthropic',
    model: 'claude-test',
    complete: () => {
      onCall();
      return Promise.resolve({
        content: [{ type: 'text', text: 'paid answer' }],
        stopReason: 'end_turn',
        usage: NO_USAGE,
        provider: 'anthropic',
        model: 'claude-test',
        latencyMs: 1,
      });
    },
  };
  return new LlmRouter({
    providers: [
      {
        model: paid,
        breaker: new CircuitBreaker({
          provider: 'anthropic',
          store: new MemoryBreakerStore(),
          logger,
          metrics,
        }),
      },
    ],
    lastResort: new OfflineChatModel(),
    logger,
    metrics,
  });
};
