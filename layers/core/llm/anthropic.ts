import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  StopReason as AnthropicStopReason,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import {
  type AssistantContentBlock,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type StopReason,
  type ToolDefinition,
  toolInputFrom,
} from './chat-model';
import { ProviderError, providerErrorFromStatus } from './provider-error';
import type { ProviderConfig } from './provider-config';

export const ANTHROPIC_PROVIDER = 'anthropic';

/** Marks the end of the static prefix (tools, then system) so later calls read it from the cache. */
const CACHE_BREAKPOINT = { cache_control: { type: 'ephemeral' } } as const;

/** Anthropic accepts tool_use ids matching `^[a-zA-Z0-9_-]+$`; ids minted by another provider may not. */
const toolUseId = (id: string): string => id.replace(/[^a-zA-Z0-9_-]/g, '_');

/** Claude through the Messages API, non-streaming: a WhatsApp reply is sent whole anyway. */
export class AnthropicChatModel implements ChatModel {
  readonly provider = ANTHROPIC_PROVIDER;
  readonly model: string;
  private readonly client: Anthropic;
  private readonly maxTokens: number;

  constructor(config: ProviderConfig) {
    this.model = config.model;
    this.maxTokens = config.maxTokens;
    this.client = new Anthropic({
      apiKey: config.apiKey,
      // Without it the SDK falls back to ANTHROPIC_BASE_URL; the core never reads process.env.
      baseURL: config.baseURL ?? 'https://api.anthropic.com',
      timeout: config.timeoutMs,
      maxRetries: config.maxRetries ?? 0,
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
  }

  async complete(request: ChatRequest): Promise<ChatResponse> {
    const started = performance.now();
    let message: Message;
    try {
      message = await this.client.messages.create(this.body(request), { signal: request.signal });
    } catch (error) {
      throw toProviderError(error);
    }
    return this.response(message, performance.now() - started);
  }

  private body(request: ChatRequest): MessageCreateParamsNonStreaming {
    const tools = request.tools ?? [];
    return {
      model: this.model,
      max_tokens: request.maxTokens ?? this.maxTokens,
      ...(request.system ? { system: [{ type: 'text', text: request.system, ...CACHE_BREAKPOINT }] } : {}),
      ...(tools.length > 0 ? { tools: tools.map((tool, i) => toTool(tool, i === tools.length - 1)) } : {}),
      messages: request.messages.map(toMessageParam),
    };
  }

  private response(message: Message, latencyMs: number): ChatResponse {
    if (!Array.isArray(message.content) || typeof message.usage !== 'object' || message.usage === null) {
      throw new ProviderError(this.provider, 'invalid_response', 200, 'message without content or usage');
    }
    const content = message.content.flatMap((block): AssistantContentBlock[] => {
      if (block.type === 'text') return [{ type: 'text', text: block.text }];
      if (block.type === 'tool_use') {
        return [{ type: 'tool_use', id: block.id, name: block.name, input: toolInputFrom(block.input) }];
      }
      // Thinking and server-tool blocks carry nothing the turn can use.
      return [];
    });
    const usage = message.usage;
    return {
      content,
      stopReason: stopReason(message.stop_reason),
      usage: {
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cacheReadTokens: usage.cache_read_input_tokens ?? 0,
        cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
      },
      provider: this.provider,
      model: message.model || this.model,
      latencyMs,
    };
  }
}

const toTool = (tool: ToolDefinition, last: boolean): Tool => ({
  name: tool.name,
  description: tool.description,
  input_schema: tool.inputSchema,
  ...(last ? CACHE_BREAKPOINT : {}),
});

const toMessageParam = (message: ChatMessage): MessageParam => {
  if (message.role === 'assistant') {
    return {
      role: 'assistant',
      content: message.content.map((block): ContentBlockParam =>
        block.type === 'text'
          ? { type: 'text', text: block.text }
          : { type: 'tool_use', id: toolUseId(block.id), name: block.name, input: block.input },
      ),
    };
  }
  return {
    role: 'user',
    content: message.content.map((block): ContentBlockParam => {
      switch (block.type) {
        case 'text':
          return { type: 'text', text: block.text };
        case 'image':
          return { type: 'image', source: { type: 'base64', media_type: block.mediaType, data: block.data } };
        case 'tool_result':
          return {
            type: 'tool_result',
            tool_use_id: toolUseId(block.toolUseId),
            content: block.content,
            is_error: block.isError,
          };
      }
    }),
  };
};

const stopReason = (reason: AnthropicStopReason | null): StopReason => {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end_turn';
    case 'tool_use':
      return 'tool_use';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      return 'other';
  }
};

const toProviderError = (error: unknown): ProviderError => {
  // Order matters: the timeout error is a connection error, and both are APIErrors without a status.
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return new ProviderError(ANTHROPIC_PROVIDER, 'timeout', undefined, 'request timed out');
  }
  if (error instanceof Anthropic.APIUserAbortError) {
    return new ProviderError(ANTHROPIC_PROVIDER, 'aborted', undefined, 'request aborted');
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return new ProviderError(ANTHROPIC_PROVIDER, 'network', undefined, 'connection failed');
  }
  if (error instanceof Anthropic.APIError && typeof error.status === 'number') {
    return providerErrorFromStatus(ANTHROPIC_PROVIDER, error.status, error.type, error.apiMessage ?? '');
  }
  const name = error instanceof Error ? error.name : 'non-error thrown';
  return new ProviderError(ANTHROPIC_PROVIDER, 'unexpected', undefined, name);
};
