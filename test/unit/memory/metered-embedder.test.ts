import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { OpenAiEmbedder } from '../../../layers/core/llm/openai-embedder';
import { embedOrSkip } from '../../../layers/core/memory/embeddings';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import { MeteredEmbedder } from '../../../layers/core/memory/metered-embedder';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import type { Embedder } from '../../../layers/core/ports/embedder';
import {
  LlmStubServer,
  OPENAI_EMBEDDINGS_PATH,
  openaiEmbeddings,
  openaiError,
} from '../../support/llm-stub-server';
import { capturingLogger } from '../../support/logger';
import { TEST_API_KEY } from '../llm/helpers';

const NOW = new Date('2026-11-22T15:00:00Z');
const DIMENSIONS = 384;
const vector = Array.from({ length: DIMENSIONS }, (_, index) => (index === 0 ? 1 : 0));

let stub: LlmStubServer;

beforeAll(async () => {
  stub = await LlmStubServer.start();
});
afterAll(() => stub.close());
beforeEach(() => stub.reset());

const openai = (model = 'text-embedding-3-small') =>
  new OpenAiEmbedder({
    apiKey: TEST_API_KEY,
    model,
    dimensions: DIMENSIONS,
    baseURL: `${stub.origin}/v1`,
    maxRetries: 0,
  });

const metered = (embedder: Embedder) => {
  const metrics = new MemoryMetrics();
  const { logger, lines } = capturingLogger();
  return { embedder: new MeteredEmbedder(embedder, { metrics, logger, now: NOW }), metrics, lines };
};

describe('metered embedder', () => {
  it('prices each OpenAI request, counts it in the cost metrics, and hands it out once to be recorded', async () => {
    // Prepare
    stub.enqueue(
      OPENAI_EMBEDDINGS_PATH,
      openaiEmbeddings({ vectors: [vector], promptTokens: 50 }),
      openaiEmbeddings({ vectors: [vector, vector], promptTokens: 25 }),
    );
    const { embedder, metrics } = metered(openai());

    // Act
    await embedder.embed(['¿cuándo cumple Lucía?']);
    await embedder.embed(['Lucía cumple el 3 de mayo', 'prefiero llamadas en la mañana']);
    const calls = embedder.takeCalls();

    // Assess: $0.02 per million tokens.
    expect(calls).toEqual([
      {
        provider: 'openai',
        model: 'text-embedding-3-small',
        outcome: 'ok',
        latencyMs: expect.any(Number),
        usage: { inputTokens: 50, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
        costUsd: expect.closeTo(0.000001, 15),
      },
      expect.objectContaining({ usage: expect.objectContaining({ inputTokens: 25 }) }),
    ]);
    expect(calls[1]!.costUsd).toBeCloseTo(0.0000005, 15);
    const dimensions = { provider: 'openai', model: 'text-embedding-3-small' };
    expect(metrics.total(MetricNames.llmTokens, { ...dimensions, kind: 'input' })).toBe(75);
    expect(metrics.total(MetricNames.llmCostUsd, dimensions)).toBeCloseTo(0.0000015, 15);
    expect(embedder.takeCalls()).toEqual([]);
  });

  it('keeps a failed request, at no cost and outside the spend metrics', async () => {
    // Prepare
    stub.enqueue(OPENAI_EMBEDDINGS_PATH, openaiError(500, 'server_error', null, 'boom'));
    const { embedder, metrics } = metered(openai());

    // Act: the turn goes on by keywords.
    const found = await embedOrSkip(embedder, 'hola');

    // Assess
    expect(found).toBeUndefined();
    expect(embedder.takeCalls()).toEqual([
      expect.objectContaining({
        outcome: 'error',
        costUsd: 0,
        usage: expect.objectContaining({ inputTokens: 0 }),
      }),
    ]);
    expect(metrics.recorded()).toEqual([]);
  });

  it('records a model without a price at 0 and says so in the log', async () => {
    // Prepare
    stub.enqueue(OPENAI_EMBEDDINGS_PATH, openaiEmbeddings({ vectors: [vector], promptTokens: 9 }));
    const { embedder, lines } = metered(openai('nomic-embed-text'));

    // Act
    await embedder.embed(['hola']);

    // Assess
    expect(embedder.takeCalls()).toEqual([expect.objectContaining({ costUsd: 0 })]);
    expect(lines().join('\n')).toContain('No price for this embedding model');
  });

  it('records nothing for the local lexical embedder, which costs nothing, and keeps its space', async () => {
    // Prepare
    const lexical = new LexicalEmbedder(DIMENSIONS);
    const { embedder, metrics } = metered(lexical);

    // Act
    const vectors = await embedder.embed(['hola', 'adiós']);

    // Assess
    expect(vectors).toEqual(await lexical.embed(['hola', 'adiós']));
    expect({
      model: embedder.model,
      dimensions: embedder.dimensions,
      similarity: embedder.similarity,
    }).toEqual({
      model: lexical.model,
      dimensions: lexical.dimensions,
      similarity: lexical.similarity,
    });
    expect(embedder.takeCalls()).toEqual([]);
    expect(metrics.recorded()).toEqual([]);
  });
});
