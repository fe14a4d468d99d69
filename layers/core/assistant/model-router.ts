import type { Logger } from '@aws-lambda-powertools/logger';
import { AnthropicChatModel } from '../llm/anthropic';
import type { ChatModel } from '../llm/chat-model';
import { CircuitBreaker } from '../llm/circuit-breaker';
import { OpenAiChatModel } from '../llm/openai';
import type { ProviderConfig } from '../llm/provider-config';
import { LlmRouter } from '../llm/router';
import type { BreakerStore } from '../ports/breaker-store';
import type { Clock } from '../ports/clock';
import type { MetricsPort } from '../ports/metrics';
import { OfflineChatModel } from './offline-model';

export interface ModelRouterOptions {
  /** Claude, tried first when configured. */
  anthropic?: ProviderConfig;
  /** OpenAI (or any compatible server), the fallback when configured. */
  openai?: ProviderConfig;
  breakerStore: BreakerStore;
  logger: Logger;
  metrics: MetricsPort;
  clock?: Clock;
}

/**
 * Claude → OpenAI → offline planner, each paid provider behind its own circuit breaker. With no
 * keys at all, the router is just the offline planner: the local default.
 */
export const buildModelRouter = (options: ModelRouterOptions): LlmRouter => {
  const paid: ChatModel[] = [
    ...(options.anthropic ? [new AnthropicChatModel(options.anthropic)] : []),
    ...(options.openai ? [new OpenAiChatModel(options.openai)] : []),
  ];
  return new LlmRouter({
    providers: paid.map((model) => ({
      model,
      breaker: new CircuitBreaker({
        provider: model.provider,
        store: options.breakerStore,
        logger: options.logger,
        metrics: options.metrics,
        ...(options.clock && { clock: options.clock }),
      }),
    })),
    lastResort: new OfflineChatModel(),
    logger: options.logger,
    metrics: options.metrics,
    ...(options.clock && { clock: options.clock }),
  });
};
