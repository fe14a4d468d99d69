import { MemoryBreakerStore } from '../../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { AnthropicChatModel } from '../../../layers/core/llm/anthropic';
import type { ChatModel } from '../../../layers/core/llm/chat-model';
import { CircuitBreaker } from '../../../layers/core/llm/circuit-breaker';
import { OpenAiChatModel } from '../../../layers/core/llm/openai';
import { LlmRouter } from '../../../layers/core/llm/router';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import type { BreakerStore } from '../../../layers/core/ports/breaker-store';
import {
  ANTHROPIC_PATH,
  anthropicError,
  anthropicMessage,
  LlmStubServer,
  OPENAI_PATH,
  openaiCompletion,
  openaiError,
} from '../../support/llm-stub-server';
import { capturingLogger } from '../../support/logger';
import { helloRequest, manualClock, offlinePlanner, TEST_API_KEY } from './helpers';

const COOLDOWN_MS = 30_000;

let stub: LlmStubServer;

beforeAll(async () => {
  stub = await LlmStubServer.start();
});
afterAll(() => stub.close());
beforeEach(() => stub.reset());

const build = (options: { store?: BreakerStore; primary?: ChatModel } = {}) => {
  const { clock, advance } = manualClock();
  const store = options.store ?? new MemoryBreakerStore();
  const metrics = new MemoryMetrics();
  const { logger, lines } = capturingLogger();
  const breaker = (provider: string) =>
    new CircuitBreaker({
      provider,
      store,
      logger,
      metrics,
      clock,
      cooldownMs: COOLDOWN_MS,
      storeTimeoutMs: 100,
    });
  const common = { apiKey: TEST_API_KEY, timeoutMs: 5_000, maxTokens: 512 };
  const primary =
    options.primary ?? new AnthropicChatModel({ ...common, model: 'claude-haiku-4-5', baseURL: stub.origin });
  const secondary = new OpenAiChatModel({ ...common, model: 'gpt-4.1-mini', baseURL: `${stub.origin}/v1` });
  const lastResort = offlinePlanner();
  const router = new LlmRouter({
    providers: [
      { model: primary, breaker: breaker(primary.provider) },
      { model: secondary, breaker: breaker(secondary.provider) },
    ],
    lastResort,
    logger,
    metrics,
    clock,
  });
  return { router, lastResort, store, metrics, lines, advance };
};

const claudeAnswer = () => anthropicMessage({ content: [{ type: 'text', text: 'Hola, soy Claude' }] });
const gptAnswer = () => openaiCompletion({ content: 'Hola, soy GPT' });
const overloaded = () => anthropicError(529, 'overloaded_error', 'Overloaded');

describe('LLM router', () => {
  it('answers with the primary and reports its cost and a single attempt', async () => {
    // Prepare
    const { router, metrics } = build();
    stub.enqueue(
      ANTHROPIC_PATH,
      anthropicMessage({
        content: [{ type: 'text', text: 'Hola' }],
        usage: { input_tokens: 1_000, output_tokens: 100, cache_read_input_tokens: 2_000 },
      }),
    );

    // Act
    const result = await router.complete(helloRequest());

    // Assess: Haiku 4.5 at $1 in, $5 out, $0.10 cache read per million.
    const expectedCost = (1_000 * 1 + 100 * 5 + 2_000 * 0.1) / 1e6;
    expect(result.provider).toBe('anthropic');
    expect(result.fallback).toBeUndefined();
    expect(result.costUsd).toBeCloseTo(expectedCost, 12);
    expect(result.attempts).toEqual([
      expect.objectContaining({ provider: 'anthropic', outcome: 'ok', costUsd: result.costUsd }),
    ]);
    expect(stub.requests(OPENAI_PATH)).toHaveLength(0);
    expect(metrics.total(MetricNames.llmTokens, { provider: 'anthropic', kind: 'cache_read' })).toBe(2_000);
  });

  it('moves on to OpenAI in the same turn when the primary returns a 5xx', async () => {
    // Prepare
    const { router, metrics } = build();
    stub.enqueue(ANTHROPIC_PATH, anthropicError(500, 'api_error', 'Internal server error'));
    stub.enqueue(OPENAI_PATH, gptAnswer());

    // Act
    const result = await router.complete(helloRequest());

    // Assess
    expect(result.provider).toBe('openai');
    expect(result.content).toEqual([{ type: 'text', text: 'Hola, soy GPT' }]);
    expect(
      result.attempts.map(({ provider, outcome, errorReason, httpStatus }) => ({
        provider,
        outcome,
        errorReason,
        httpStatus,
      })),
    ).toEqual([
      { provider: 'anthropic', outcome: 'error', errorReason: 'server_error', httpStatus: 500 },
      { provider: 'openai', outcome: 'ok', errorReason: undefined, httpStatus: undefined },
    ]);
    expect(result.attempts[0]?.costUsd).toBe(0);
    expect(metrics.total(MetricNames.llmCallErrors, { provider: 'anthropic', reason: 'server_error' })).toBe(
      1,
    );
  });

  it('opens the breaker after three failures and skips the primary until the cooldown, then tries it once', async () => {
    // Prepare
    const { router, store, advance } = build();
    for (let turn = 0; turn < 3; turn += 1) {
      stub.enqueue(ANTHROPIC_PATH, overloaded());
      stub.enqueue(OPENAI_PATH, gptAnswer());
      await router.complete(helloRequest());
    }
    stub.reset();
    stub.enqueue(OPENAI_PATH, gptAnswer());

    // Act: a turn during the cooldown.
    const whileOpen = await router.complete(helloRequest());

    // Assess
    expect((await store.get('anthropic'))?.record.state).toBe('open');
    expect(stub.requests(ANTHROPIC_PATH)).toHaveLength(0);
    expect(whileOpen.skipped).toEqual(['anthropic']);
    expect(whileOpen.provider).toBe('openai');

    // Act: the first turn after the cooldown is the half-open trial, and it succeeds.
    advance(COOLDOWN_MS);
    stub.enqueue(ANTHROPIC_PATH, claudeAnswer());
    const trial = await router.complete(helloRequest());

    // Assess
    expect(trial.provider).toBe('anthropic');
    expect(stub.requests(ANTHROPIC_PATH)).toHaveLength(1);
    expect((await store.get('anthropic'))?.record).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('does not count a rejected request (400) against the provider', async () => {
    // Prepare
    const { router, store } = build();
    for (let turn = 0; turn < 4; turn += 1) {
      stub.enqueue(ANTHROPIC_PATH, anthropicError(400, 'invalid_request_error', 'tools.0.name: invalid'));
      stub.enqueue(OPENAI_PATH, gptAnswer());
    }

    // Act
    const results = [];
    for (let turn = 0; turn < 4; turn += 1) results.push(await router.complete(helloRequest()));

    // Assess
    expect(stub.requests(ANTHROPIC_PATH)).toHaveLength(4);
    expect(results.map((result) => result.attempts[0]?.outcome)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(results.every((result) => result.provider === 'openai')).toBe(true);
    expect(await store.get('anthropic')).toBeUndefined();
  });

  it('answers with the last resort when every provider is down', async () => {
    // Prepare
    const { router, lastResort, metrics } = build();
    stub.enqueue(ANTHROPIC_PATH, overloaded());
    stub.enqueue(OPENAI_PATH, openaiError(503, 'server_error', null, 'The engine is currently overloaded'));

    // Act
    const result = await router.complete(helloRequest());

    // Assess
    expect(result.provider).toBe('offline');
    expect(result.fallback).toBe('providers_unavailable');
    expect(result.costUsd).toBe(0);
    expect(result.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ['anthropic', 'error'],
      ['openai', 'error'],
      ['offline', 'ok'],
    ]);
    expect(lastResort.calls).toHaveLength(1);
    expect(metrics.total(MetricNames.llmFallbackAnswers, { reason: 'providers_unavailable' })).toBe(1);
  });

  it('goes straight to the last resort, calling no paid provider, when the budget says no', async () => {
    // Prepare
    const { router } = build();

    // Act
    const result = await router.complete(helloRequest(), { paidAllowed: () => false });

    // Assess
    expect(result.provider).toBe('offline');
    expect(result.fallback).toBe('budget_denied');
    expect(result.attempts).toHaveLength(1);
    expect(stub.requests()).toHaveLength(0);
  });

  it('fails closed when the budget check itself fails', async () => {
    // Prepare
    const { router } = build();

    // Act
    const result = await router.complete(helloRequest(), {
      paidAllowed: () => Promise.reject(new Error('connection terminated')),
    });

    // Assess
    expect(result.fallback).toBe('budget_unavailable');
    expect(stub.requests()).toHaveLength(0);
  });

  it('stops waiting for a hanging primary at the turn deadline and answers with the last resort', async () => {
    // Prepare
    const { router, store } = build();
    stub.enqueue(ANTHROPIC_PATH, { ...claudeAnswer(), delayMs: 5_000 });
    stub.enqueue(OPENAI_PATH, gptAnswer());

    // Act
    const started = Date.now();
    const result = await router.complete(helloRequest({ signal: AbortSignal.timeout(300) }));
    const elapsed = Date.now() - started;

    // Assess
    expect(elapsed).toBeLessThan(1_500);
    expect(result.provider).toBe('offline');
    expect(result.fallback).toBe('deadline');
    expect(result.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ['anthropic', 'deadline'],
      ['offline', 'ok'],
    ]);
    expect(stub.requests(OPENAI_PATH)).toHaveLength(0);
    // The turn's budget ran out, which says nothing about the provider's health.
    expect(await store.get('anthropic')).toBeUndefined();
  });

  it('respects the deadline even with a model that ignores the abort signal', async () => {
    // Prepare
    const stuck: ChatModel = { provider: 'stuck', model: 'stuck-1', complete: () => new Promise(() => {}) };
    const { router } = build({ primary: stuck });

    // Act
    const started = Date.now();
    const result = await router.complete(helloRequest({ signal: AbortSignal.timeout(200) }));

    // Assess
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.fallback).toBe('deadline');
  });

  it('keeps answering when the breaker store fails', async () => {
    // Prepare
    const broken: BreakerStore = {
      get: () => Promise.reject(new Error('ResourceNotFoundException')),
      put: () => Promise.reject(new Error('ResourceNotFoundException')),
    };
    const { router, lines } = build({ store: broken });
    stub.enqueue(ANTHROPIC_PATH, overloaded(), claudeAnswer());
    stub.enqueue(OPENAI_PATH, gptAnswer());

    // Act
    const failedOver = await router.complete(helloRequest());
    const recovered = await router.complete(helloRequest());

    // Assess
    expect(failedOver.provider).toBe('openai');
    expect(recovered.provider).toBe('anthropic');
    expect(lines().some((line) => line.includes('Breaker store unavailable'))).toBe(true);
  });

  it('logs a model that has no price and records its cost as 0', async () => {
    // Prepare
    const { router, lines } = build();
    stub.enqueue(
      ANTHROPIC_PATH,
      anthropicMessage({ content: [{ type: 'text', text: 'hi' }], model: 'claude-new-9' }),
    );

    // Act
    const result = await router.complete(helloRequest());

    // Assess
    expect(result.costUsd).toBe(0);
    expect(
      lines().some((line) => line.includes('No price for this model') && line.includes('claude-new-9')),
    ).toBe(true);
  });
});
