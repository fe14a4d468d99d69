/** What both vendor adapters need; the processor fills it from its parsed environment and secret. */
export interface ProviderConfig {
  readonly model: string;
  readonly apiKey: string;
  /** An OpenAI- or Anthropic-compatible server (a local Ollama, a test stub); the vendor's by default. */
  readonly baseURL?: string;
  /** Per HTTP attempt; the turn deadline (the request's signal) may cut a call shorter. */
  readonly timeoutMs: number;
  readonly maxTokens: number;
  /**
   * The SDK's own retries, default 0: the router owns retries and fallback, and SDK retries
   * (with back-off) would spend the turn's deadline on one provider.
   */
  readonly maxRetries?: number;
  /** Tests point the SDK at a loopback stub with this; the global fetch otherwise. */
  readonly fetch?: typeof globalThis.fetch;
}
