/**
 * The one port every language model sits behind: Claude, OpenAI-compatible servers and the
 * offline planner. Vendor-neutral on purpose, so the assistant's tool loop and the router never
 * see a vendor's wire format, and a turn can move to another provider mid-conversation.
 */

/** A JSON object: what a tool receives, and what its JSON schema describes. */
export type ToolInput = Record<string, unknown>;

export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
}

export interface ToolUseBlock {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  /** The model's arguments; see {@link invalidToolInput} for arguments that were not valid JSON. */
  readonly input: ToolInput;
}

export interface ToolResultBlock {
  readonly type: 'tool_result';
  readonly toolUseId: string;
  readonly content: string;
  readonly isError: boolean;
}

/** The image types both vision APIs accept (WhatsApp sends JPEG and PNG photos). */
export const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];

/** An image the user sent, for a vision-capable model; the offline planner ignores it. */
export interface ImageBlock {
  readonly type: 'image';
  readonly mediaType: ImageMediaType;
  /** The image bytes, base64-encoded. */
  readonly data: string;
}

export type UserContentBlock = TextBlock | ImageBlock | ToolResultBlock;
export type AssistantContentBlock = TextBlock | ToolUseBlock;

export type ChatMessage =
  | { readonly role: 'user'; readonly content: readonly UserContentBlock[] }
  | { readonly role: 'assistant'; readonly content: readonly AssistantContentBlock[] };

export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the input; both vendors require an object at the top level. */
  readonly inputSchema: { readonly type: 'object' } & Readonly<Record<string, unknown>>;
}

/**
 * Facts the system prompt also states in prose, given as data for a model that cannot read
 * prose: the offline planner. Vendor adapters ignore it.
 */
export interface TurnContext {
  readonly now: Date;
  readonly timeZone: string;
  readonly locale: 'es' | 'en';
  readonly currency: string;
  /** The user's preferred time (HH:mm) for a reminder given a day but no time. */
  readonly reminderTime?: string;
}

export interface ChatRequest {
  readonly system: string;
  readonly turnContext?: TurnContext;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolDefinition[];
  /** Overrides the adapter's configured limit for this call. */
  readonly maxTokens?: number;
  /**
   * Cancels the call. For the router this is the turn deadline (`AbortSignal.timeout(ms)`):
   * no paid provider is waited on past it.
   */
  readonly signal?: AbortSignal;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'other';

/**
 * Billing categories, disjoint so each token is priced once: `inputTokens` are uncached prompt
 * tokens at the base rate (OpenAI reports cached tokens inside `prompt_tokens`; the adapter
 * subtracts them), `cacheReadTokens` hit the prompt cache, `cacheWriteTokens` were written to it.
 */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

export const NO_USAGE: TokenUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
};

export interface ChatResponse {
  readonly content: readonly AssistantContentBlock[];
  readonly stopReason: StopReason;
  readonly usage: TokenUsage;
  readonly provider: string;
  readonly model: string;
  readonly latencyMs: number;
}

export interface ChatModel {
  /** Stable, low-cardinality name: used for breakers, metrics, prices and `ai_usage` rows. */
  readonly provider: string;
  readonly model: string;
  /** Rejects with a `ProviderError` when the provider fails. */
  complete(request: ChatRequest): Promise<ChatResponse>;
}

/**
 * Tool arguments that were not a JSON object keep the raw text under this key, so the tool loop
 * can answer the model with an error instead of crashing the turn.
 */
export const INVALID_JSON_KEY = '__invalidJson';

export const invalidToolInput = (raw: string): ToolInput => ({ [INVALID_JSON_KEY]: raw });

/** The raw text of arguments that did not parse, or undefined for valid input. */
export const invalidJsonOf = (input: ToolInput): string | undefined => {
  const raw = input[INVALID_JSON_KEY];
  return typeof raw === 'string' ? raw : undefined;
};

const isJsonObject = (value: unknown): value is ToolInput =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses a model's tool arguments; never throws. */
export const parseToolArguments = (raw: string): ToolInput => {
  try {
    const parsed: unknown = JSON.parse(raw === '' ? '{}' : raw);
    return isJsonObject(parsed) ? parsed : invalidToolInput(raw);
  } catch {
    return invalidToolInput(raw);
  }
};

/** Anthropic hands arguments already parsed; anything but an object is still invalid input. */
export const toolInputFrom = (value: unknown): ToolInput =>
  isJsonObject(value) ? value : invalidToolInput(JSON.stringify(value) ?? '');
