import type { TranscriptionUsage } from '../ports/transcriber';
import type { TokenUsage } from './chat-model';

/** USD per million tokens, per billing category of {@link TokenUsage}. */
export interface TokenPrices {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

export interface PriceEntry {
  readonly provider: string;
  /** The model alias; dated snapshots of it (`-20251001`, `-2024-07-18`) share its price. */
  readonly model: string;
  /** ISO date (UTC) from which this row applies; a later row for the same model supersedes it. */
  readonly effectiveFrom: string;
  readonly usdPerMTok: TokenPrices;
}

/**
 * List prices, standard tier, no batch discount. Change a price by adding a row with a new
 * `effectiveFrom`, never by editing one: past `ai_usage` rows were costed with the old row.
 * First rows start at 2025-01-01, before any of these models shipped, so they price every call.
 *
 * Sources: Anthropic's pricing page (platform.claude.com/docs/en/about-claude/pricing) and model
 * overview pages as of 2026-11; cache writes are the 5-minute rate, the TTL the adapter asks for.
 * OpenAI's pricing page (openai.com/api/pricing), unchanged since each model's launch and
 * cross-checked against public model listings of 2026-04; OpenAI charges nothing extra for cache
 * writes, so they cost the input rate.
 */
export const PRICE_TABLE_VERSION = '2026-11-22';

const anthropic = (model: string, effectiveFrom: string, usdPerMTok: TokenPrices): PriceEntry => ({
  provider: 'anthropic',
  model,
  effectiveFrom,
  usdPerMTok,
});
const openai = (model: string, effectiveFrom: string, usdPerMTok: TokenPrices): PriceEntry => ({
  provider: 'openai',
  model,
  effectiveFrom,
  usdPerMTok,
});

const FIRST = '2025-01-01';
const SONNET_4 = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
const SONNET_5 = { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 };
const HAIKU_4 = { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 };

export const PRICES: readonly PriceEntry[] = [
  anthropic('claude-sonnet-4-5', FIRST, SONNET_4),
  anthropic('claude-sonnet-4-6', FIRST, SONNET_4),
  anthropic('claude-sonnet-5', FIRST, SONNET_5),
  anthropic('claude-sonnet-5-5', FIRST, SONNET_5),
  anthropic('claude-haiku-4-5', FIRST, HAIKU_4),
  openai('gpt-4o-mini', FIRST, { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0.15 }),
  openai('gpt-4.1-mini', FIRST, { input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0.4 }),
  openai('gpt-4.1-nano', FIRST, { input: 0.1, output: 0.4, cacheRead: 0.025, cacheWrite: 0.1 }),
  // The fallback model lib/config.ts deploys; its reasoning tokens are billed as output, which usage reports.
  openai('gpt-5-mini', FIRST, { input: 0.25, output: 2, cacheRead: 0.025, cacheWrite: 0.25 }),
];

export interface Cost {
  readonly usd: number;
  /** False when no row matched: the cost is 0 and the caller should log the model so a row gets added. */
  readonly priced: boolean;
}

const SNAPSHOT_SUFFIX = /^-(\d{8}|\d{4}-\d{2}-\d{2})$/;
const matchesModel = (entry: { readonly model: string }, model: string): boolean =>
  model === entry.model ||
  (model.startsWith(entry.model) && SNAPSHOT_SUFFIX.test(model.slice(entry.model.length)));

interface PricedRow {
  readonly provider: string;
  readonly model: string;
  readonly effectiveFrom: string;
}

/** The row of `table` in force at `at`, or undefined when the model has no price (yet). */
const rowInForce = <Row extends PricedRow>(
  table: readonly Row[],
  provider: string,
  model: string,
  at: Date,
): Row | undefined =>
  table
    .filter(
      (entry) =>
        entry.provider === provider &&
        matchesModel(entry, model) &&
        Date.parse(`${entry.effectiveFrom}T00:00:00Z`) <= at.getTime(),
    )
    .reduce<Row | undefined>(
      (latest, entry) =>
        latest === undefined || entry.effectiveFrom > latest.effectiveFrom ? entry : latest,
      undefined,
    );

/** The token price in force at `at`, or undefined when the model has no price (yet). */
export const priceOf = (
  provider: string,
  model: string,
  at: Date,
  table: readonly PriceEntry[] = PRICES,
): PriceEntry | undefined => rowInForce(table, provider, model, at);

const PER_MILLION = 1_000_000;

export const costOf = (
  usage: TokenUsage,
  provider: string,
  model: string,
  at: Date,
  table: readonly PriceEntry[] = PRICES,
): Cost => {
  const entry = priceOf(provider, model, at, table);
  if (!entry) return { usd: 0, priced: false };
  const prices = entry.usdPerMTok;
  const usd =
    (usage.inputTokens * prices.input +
      usage.outputTokens * prices.output +
      usage.cacheReadTokens * prices.cacheRead +
      usage.cacheWriteTokens * prices.cacheWrite) /
    PER_MILLION;
  return { usd, priced: true };
};

/**
 * Embeddings, billed per input token and nothing else. Same rule as above: add a row with a new
 * `effectiveFrom` to change a price. Source: OpenAI's model pages
 * (developers.openai.com/api/docs/models/text-embedding-3-small, …-large) as of 2026-11, unchanged
 * since the models' launch in 2024-01.
 */
interface EmbeddingPriceEntry {
  readonly provider: string;
  readonly model: string;
  readonly effectiveFrom: string;
  readonly usdPerMTok: { readonly input: number };
}

const EMBEDDING_PRICES: readonly EmbeddingPriceEntry[] = [
  { provider: 'openai', model: 'text-embedding-3-small', effectiveFrom: FIRST, usdPerMTok: { input: 0.02 } },
  { provider: 'openai', model: 'text-embedding-3-large', effectiveFrom: FIRST, usdPerMTok: { input: 0.13 } },
];

/** The cost of one embedding request of `inputTokens` billed tokens. */
export const embeddingCostOf = (
  inputTokens: number,
  provider: string,
  model: string,
  at: Date,
  table: readonly EmbeddingPriceEntry[] = EMBEDDING_PRICES,
): Cost => {
  const entry = rowInForce(table, provider, model, at);
  if (!entry) return { usd: 0, priced: false };
  return { usd: (inputTokens * entry.usdPerMTok.input) / PER_MILLION, priced: true };
};

/**
 * Speech to text. Token-billed models charge audio input, text input (the prompt, which we do not
 * send) and text output separately; Whisper charges per minute of audio. Same rule as above: add a
 * row with a new `effectiveFrom` to change a price. Source: OpenAI's pricing page (openai.com/api/pricing),
 * "Transcription and speech generation", as of 2026-11.
 */
export interface TranscriptionPriceEntry {
  readonly provider: string;
  readonly model: string;
  readonly effectiveFrom: string;
  readonly usd:
    | {
        readonly perMTok: {
          readonly audioInput: number;
          readonly textInput: number;
          readonly output: number;
        };
      }
    | { readonly perMinute: number };
}

export const TRANSCRIPTION_PRICES: readonly TranscriptionPriceEntry[] = [
  {
    provider: 'openai',
    model: 'gpt-4o-mini-transcribe',
    effectiveFrom: FIRST,
    usd: { perMTok: { audioInput: 3, textInput: 1.25, output: 5 } },
  },
  {
    provider: 'openai',
    model: 'gpt-4o-transcribe',
    effectiveFrom: FIRST,
    usd: { perMTok: { audioInput: 6, textInput: 2.5, output: 10 } },
  },
  { provider: 'openai', model: 'whisper-1', effectiveFrom: FIRST, usd: { perMinute: 0.006 } },
];

/** The cost of one transcription, by what the vendor reported it billed. */
export const transcriptionCostOf = (
  usage: TranscriptionUsage | undefined,
  provider: string,
  model: string,
  at: Date,
  table: readonly TranscriptionPriceEntry[] = TRANSCRIPTION_PRICES,
): Cost => {
  const entry = rowInForce(table, provider, model, at);
  if (!entry || !usage) return { usd: 0, priced: false };
  if ('perMinute' in entry.usd)
    return usage.kind === 'seconds'
      ? { usd: (usage.seconds / 60) * entry.usd.perMinute, priced: true }
      : { usd: 0, priced: false };
  if (usage.kind !== 'tokens') return { usd: 0, priced: false };
  const rates = entry.usd.perMTok;
  return {
    usd:
      (usage.audioInputTokens * rates.audioInput +
        usage.textInputTokens * rates.textInput +
        usage.outputTokens * rates.output) /
      PER_MILLION,
    priced: true,
  };
};
