import type {
  ChatCompletion,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import {
  type AssistantContentBlock,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type StopReason,
  type ToolDefinition,
  type ToolUseBlock,
  invalidJsonOf,
  parseToolArguments,
} from './chat-model';
import { ProviderError, providerErrorFromStatus } from './provider-error';
import type { ProviderConfig } from './provider-config';

export const OPENAI_PROVIDER = 'openai';

const importSdk = () => import('openai');
/** The SDK module as the dynamic import resolves it (its ESM build's types, under `nodenext`). */
export type OpenAiSdk = Awaited<ReturnType<typeof importSdk>>;
export type OpenAiClient = InstanceType<OpenAiSdk['OpenAI']>;

let sdk: Promise<OpenAiSdk> | undefined;

/**
 * The SDK, loaded on first use rather than at cold start: a processor without an OpenAI key never needs
 * it, and a cold start whose batch holds only statuses or commands does not wait for it. The bundle
 * still carries it; esbuild turns the import into a require deferred to the first call.
 */
export const loadOpenAiSdk = (): Promise<OpenAiSdk> => (sdk ??= importSdk());

/** The SDK client as every OpenAI adapter here configures it, created when first asked for. */
export const openAiClient = (
  config: Pick<ProviderConfig, 'apiKey' | 'baseURL' | 'fetch' | 'timeoutMs'> & { maxRetries: number },
): (() => Promise<OpenAiClient>) => {
  let client: Promise<OpenAiClient> | undefined;
  return () =>
    (client ??= loadOpenAiSdk().then(
      (loaded) =>
        new loaded.OpenAI({
          apiKey: config.apiKey,
          // Without it the SDK falls back to OPENAI_BASE_URL; the core never reads process.env.
          baseURL: config.baseURL ?? 'https://api.openai.com/v1',
          timeout: config.timeoutMs,
          maxRetries: config.maxRetries,
          ...(config.fetch ? { fetch: config.fetch } : {}),
        }),
    ));
};

/** OpenAI (or any server speaking its Chat Completions API) with function tools, non-streaming. */
export class OpenAiChatModel implements ChatModel {
  readonly provider = OPENAI_PROVIDER;
  readonly model: string;
  private readonly client: () => Promise<OpenAiClient>;
  private readonly maxTokens: number;
  private readonly timeoutMs: number;

  constructor(config: ProviderConfig) {
    this.model = config.model;
    this.maxTokens = config.maxTokens;
    this.timeoutMs = config.timeoutMs;
    this.client = openAiClient({ ...config, maxRetries: config.maxRetries ?? 0 });
  }

  async complete(request: ChatRequest): Promise<ChatResponse> {
    const client = await this.client();
    const started = performance.now();
    let completion: ChatCompletion;
    try {
      completion = await client.chat.completions.create(this.body(request), { signal: request.signal });
    } catch (error) {
      const timedOut = performance.now() - started >= this.timeoutMs;
      throw toProviderError(await loadOpenAiSdk(), error, timedOut);
    }
    return this.response(completion, performance.now() - started);
  }

  private body(request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
    const tools = request.tools ?? [];
    return {
      model: this.model,
      // `max_tokens` is deprecated and rejected by reasoning models; this one is accepted by all.
      max_completion_tokens: request.maxTokens ?? this.maxTokens,
      messages: [
        ...(request.system ? [{ role: 'system' as const, content: request.system }] : []),
        ...request.messages.flatMap(toMessageParams),
      ],
      ...(tools.length > 0 ? { tools: tools.map(toTool) } : {}),
    };
  }

  private response(completion: ChatCompletion, latencyMs: number): ChatResponse {
    const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
    if (!choice?.message) {
      throw new ProviderError(this.provider, 'invalid_response', 200, 'completion without choices');
    }
    const { message } = choice;
    const text = message.content ?? message.refusal ?? '';
    const content: AssistantContentBlock[] = [
      ...(text ? [{ type: 'text' as const, text }] : []),
      ...(message.tool_calls ?? []).flatMap(toToolUse),
    ];
    const usage = completion.usage;
    const cacheReadTokens = usage?.prompt_tokens_details?.cached_tokens ?? 0;
    const cacheWriteTokens = usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
    return {
      content,
      stopReason: stopReason(choice.finish_reason),
      usage: {
        // `prompt_tokens` includes the cached ones; the port counts each token in one category.
        inputTokens: Math.max((usage?.prompt_tokens ?? 0) - cacheReadTokens - cacheWriteTokens, 0),
        outputTokens: usage?.completion_tokens ?? 0,
        cacheReadTokens,
        cacheWriteTokens,
      },
      provider: this.provider,
      model: completion.model || this.model,
      latencyMs,
    };
  }
}

const toTool = (tool: ToolDefinition): ChatCompletionFunctionTool => ({
  type: 'function',
  function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
});

const toToolUse = (call: ChatCompletionMessageToolCall): ToolUseBlock[] =>
  call.type === 'function'
    ? [
        {
          type: 'tool_use',
          id: call.id,
          name: call.function.name,
          input: parseToolArguments(call.function.arguments),
        },
      ]
    : [];

/**
 * Tool results become `role: 'tool'` messages, which must directly follow the assistant message
 * that made the calls: they go first, any text of the same user message after them.
 */
const toMessageParams = (message: ChatMessage): ChatCompletionMessageParam[] => {
  if (message.role === 'assistant') {
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
    const toolCalls = message.content.flatMap((block): ChatCompletionMessageToolCall[] =>
      block.type === 'tool_use'
        ? [
            {
              id: block.id,
              type: 'function',
              // Invalid arguments are replayed as the model wrote them, so it can see its mistake.
              function: {
                name: block.name,
                arguments: invalidJsonOf(block.input) ?? JSON.stringify(block.input),
              },
            },
          ]
        : [],
    );
    return [
      {
        role: 'assistant',
        content: text || null,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      },
    ];
  }
  const toolMessages = message.content.flatMap((block): ChatCompletionMessageParam[] =>
    block.type === 'tool_result'
      ? [
          {
            role: 'tool',
            tool_call_id: block.toolUseId,
            // Chat Completions has no error flag on tool results; the model reads this prefix instead.
            content: block.isError ? `Error: ${block.content}` : block.content,
          },
        ]
      : [],
  );
  const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
  if (!message.content.some((block) => block.type === 'image')) {
    return [...toolMessages, ...(text ? [{ role: 'user' as const, content: text }] : [])];
  }
  // With an image the content becomes parts, in the order given; images go as data URLs.
  const parts = message.content.flatMap((block): ChatCompletionContentPart[] => {
    if (block.type === 'text') return [{ type: 'text', text: block.text }];
    if (block.type === 'image')
      return [{ type: 'image_url', image_url: { url: `data:${block.mediaType};base64,${block.data}` } }];
    return [];
  });
  return [...toolMessages, { role: 'user', content: parts }];
};

const stopReason = (reason: ChatCompletion.Choice['finish_reason'] | null): StopReason => {
  switch (reason) {
    case 'stop':
      return 'end_turn';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    default:
      return 'other';
  }
};

/**
 * Any failure of an OpenAI SDK call (chat or audio) as a ProviderError. `sdk` is the loaded SDK, whose
 * error classes the failure is an instance of.
 */
export const toProviderError = (sdk: OpenAiSdk, error: unknown, timeoutElapsed: boolean): ProviderError => {
  // Order matters: the timeout error is a connection error, and both are APIErrors without a
  // status. openai 6.x recognises its own timeout only when fetch's AbortError comes from the same
  // realm (not so under jest's VM modules): the elapsed time settles it.
  if (
    error instanceof sdk.APIConnectionTimeoutError ||
    (timeoutElapsed && error instanceof sdk.APIConnectionError)
  ) {
    return new ProviderError(OPENAI_PROVIDER, 'timeout', undefined, 'request timed out');
  }
  if (error instanceof sdk.APIUserAbortError) {
    return new ProviderError(OPENAI_PROVIDER, 'aborted', undefined, 'request aborted');
  }
  if (error instanceof sdk.APIConnectionError) {
    return new ProviderError(OPENAI_PROVIDER, 'network', undefined, 'connection failed');
  }
  if (error instanceof sdk.APIError && typeof error.status === 'number') {
    return providerErrorFromStatus(OPENAI_PROVIDER, error.status, error.type, vendorMessage(error.error));
  }
  const name = error instanceof Error ? error.name : 'non-error thrown';
  return new ProviderError(OPENAI_PROVIDER, 'unexpected', undefined, name);
};

const vendorMessage = (body: unknown): string => {
  const message =
    typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : '';
};
