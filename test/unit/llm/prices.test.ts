import {
  costOf,
  embeddingCostOf,
  type PriceEntry,
  priceOf,
  transcriptionCostOf,
} from '../../../layers/core/llm/prices';

const AT = new Date('2026-11-22T14:00:00Z');

describe('price table', () => {
  it('prices every token category of a Claude call, cache reads and writes at their own rates', () => {
    // Prepare
    const usage = { inputTokens: 1_000, outputTokens: 200, cacheReadTokens: 10_000, cacheWriteTokens: 2_000 };

    // Act
    const cost = costOf(usage, 'anthropic', 'claude-haiku-4-5', AT);

    // Assess: $1 in, $5 out, $0.10 cache read, $1.25 cache write per million.
    expect(cost.priced).toBe(true);
    expect(cost.usd).toBeCloseTo((1_000 * 1 + 200 * 5 + 10_000 * 0.1 + 2_000 * 1.25) / 1e6, 12);
  });

  it('prices a dated snapshot like its alias, for both vendors', () => {
    // Prepare
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

    // Act
    const claude = costOf(usage, 'anthropic', 'claude-haiku-4-5-20251001', AT);
    const gpt = costOf(usage, 'openai', 'gpt-4.1-mini-2025-04-14', AT);

    // Assess
    expect(claude).toEqual({ usd: 1, priced: true });
    expect(gpt).toEqual({ usd: 0.4, priced: true });
  });

  it('does not mistake a newer model for an older one whose name it extends', () => {
    // Act
    const entry = priceOf('anthropic', 'claude-sonnet-5-5', AT);

    // Assess
    expect(entry?.model).toBe('claude-sonnet-5-5');
  });

  it('costs an unknown model 0 and flags it, so the caller can log it', () => {
    // Act
    const cost = costOf(
      { inputTokens: 500, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 },
      'openai',
      'llama3.1:8b',
      AT,
    );

    // Assess
    expect(cost).toEqual({ usd: 0, priced: false });
  });

  it('applies the row in force at the time of the call', () => {
    // Prepare
    const prices = { input: 1, output: 1, cacheRead: 1, cacheWrite: 1 };
    const table: PriceEntry[] = [
      { provider: 'anthropic', model: 'claude-x', effectiveFrom: '2026-01-01', usdPerMTok: prices },
      {
        provider: 'anthropic',
        model: 'claude-x',
        effectiveFrom: '2026-10-07',
        usdPerMTok: { ...prices, input: 0.5 },
      },
    ];
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

    // Act
    const before = costOf(usage, 'anthropic', 'claude-x', new Date('2026-10-06T23:59:59Z'), table);
    const after = costOf(usage, 'anthropic', 'claude-x', new Date('2026-10-07T00:00:00Z'), table);
    const tooEarly = costOf(usage, 'anthropic', 'claude-x', new Date('2025-12-31T00:00:00Z'), table);

    // Assess
    expect(before.usd).toBe(1);
    expect(after.usd).toBe(0.5);
    expect(tooEarly.priced).toBe(false);
  });
});

describe('transcription prices', () => {
  it('prices a token-billed transcription by audio input and text output', () => {
    const usage = { kind: 'tokens' as const, audioInputTokens: 1_000, textInputTokens: 0, outputTokens: 100 };
    const cost = transcriptionCostOf(usage, 'openai', 'gpt-4o-mini-transcribe', AT);
    expect(cost.priced).toBe(true);
    expect(cost.usd).toBeCloseTo((1_000 * 3 + 100 * 5) / 1e6, 12);
  });

  it('prices Whisper by the minute, and a dated snapshot like its alias', () => {
    expect(transcriptionCostOf({ kind: 'seconds', seconds: 30 }, 'openai', 'whisper-1', AT)).toEqual({
      usd: 0.003,
      priced: true,
    });
    expect(
      transcriptionCostOf(
        { kind: 'tokens', audioInputTokens: 1e6, textInputTokens: 0, outputTokens: 0 },
        'openai',
        'gpt-4o-mini-transcribe-2025-12-15',
        AT,
      ),
    ).toEqual({ usd: 3, priced: true });
  });

  it('reports an unknown model, or usage of the wrong kind, as unpriced', () => {
    expect(transcriptionCostOf({ kind: 'seconds', seconds: 30 }, 'openai', 'unknown-asr', AT).priced).toBe(
      false,
    );
    expect(
      transcriptionCostOf({ kind: 'seconds', seconds: 30 }, 'openai', 'gpt-4o-transcribe', AT).priced,
    ).toBe(false);
    expect(transcriptionCostOf(undefined, 'openai', 'whisper-1', AT).priced).toBe(false);
  });
});

describe('embedding prices', () => {
  it('prices an embedding request by its input tokens: $0.02 per million for text-embedding-3-small', () => {
    expect(embeddingCostOf(1_000_000, 'openai', 'text-embedding-3-small', AT)).toEqual({
      usd: 0.02,
      priced: true,
    });
    expect(embeddingCostOf(20, 'openai', 'text-embedding-3-small', AT).usd).toBeCloseTo(0.0000004, 15);
  });

  it('prices a dated snapshot like its alias, and reports an unknown model as unpriced', () => {
    expect(embeddingCostOf(1_000_000, 'openai', 'text-embedding-3-large-2024-01-25', AT)).toEqual({
      usd: 0.13,
      priced: true,
    });
    expect(embeddingCostOf(1_000, 'openai', 'nomic-embed-text', AT)).toEqual({ usd: 0, priced: false });
  });
});
