import { OfflineChatModel } from '../../../layers/core/assistant/offline-model';
import type { ChatModel, ChatRequest, ChatResponse } from '../../../layers/core/llm/chat-model';
import { providerErrorFromStatus } from '../../../layers/core/llm/provider-error';
import type { FaultInjector } from './injector';

/** What a healthy call reports using; enough to be priced and summed against the budgets. */
const USAGE = { inputTokens: 900, outputTokens: 60, cacheReadTokens: 0, cacheWriteTokens: 0 };

/**
 * A paid provider that thinks like the offline planner (so its tool calls are deterministic and a retry
 * replays the same calls) and is down when the plan's outages say so: Anthropic answers 529 overloaded,
 * OpenAI 503.
 */
export class FaultyChatModel implements ChatModel {
  private readonly planner = new OfflineChatModel();

  constructor(
    readonly provider: 'anthropic' | 'openai',
    readonly model: string,
    private readonly injector: FaultInjector,
  ) {}

  async complete(request: ChatRequest): Promise<ChatResponse> {
    if (this.injector.providerDown(this.provider)) {
      throw this.provider === 'anthropic'
        ? providerErrorFromStatus(this.provider, 529, 'overloaded_error', 'Overloaded')
        : providerErrorFromStatus(this.provider, 503, 'server_error', 'Service unavailable');
    }
    if (this.provider === 'openai') this.injector.fallbackAnswered();
    const response = await this.planner.complete(request);
    return { ...response, provider: this.provider, model: this.model, usage: USAGE };
  }
}
