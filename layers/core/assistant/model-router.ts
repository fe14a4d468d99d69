import type { Logger } from '@aws-lambda-powertools/logger';
import type * as AnthropicModule from '../llm/anthropic';
import type { ChatModel } from '../llm/chat-model';
import { CircuitBreaker } from '../llm/circuit-breaker';
import type * as OpenAiModule from '../llm/openai';
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

/*
 * A vendor SDK is loaded only when its provider is configured. Without keys (the local default, tests,
 * the benchmarks) loading both from node_modules costs ≈20 MB of memory; bundled, their evaluation still
 * costs ≈1.5 MB. `require`, not `import()`: under nodenext a dynamic import would load the SDKs' ESM
 * builds, and the router is built synchronously.
 */
const anthropicModel = (config: ProviderConfig): ChatModel => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AnthropicChatModel } = require('../llm/anthropic') as typeof AnthropicModule;
  return new AnthropicChatModel(config);
};

const openAiModel = (config: ProviderConfig): ChatModel => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OpenAiChatModel } = require('../llm/openai') as typeof OpenAiModule;
  return new OpenAiChatModel(config);
};

/**
 * Claude → OpenAI → offline planner, each paid provider behind its own circuit breaker. With no
 * keys at all, the router is just the offline planner: the local default.
 */
export const buildModelRouter = (options: ModelRouterOptions): LlmRouter => {
  const paid: ChatModel[] = [
    ...(options.anthropic ? [anthropicModel(options.anthropic)] : []),
    ...(options.openai ? [openAiModel(options.openai)] : []),
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
