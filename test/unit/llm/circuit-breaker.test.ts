import { MemoryBreakerStore } from '../../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { CircuitBreaker } from '../../../layers/core/llm/circuit-breaker';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import type { BreakerStore } from '../../../layers/core/ports/breaker-store';
import type { Clock } from '../../../layers/core/ports/clock';
import { capturingLogger } from '../../support/logger';
import { manualClock } from './helpers';

const COOLDOWN_MS = 30_000;
const CACHE_TTL_MS = 5_000;

const breakerOn = (store: BreakerStore, clock: Clock, storeTimeoutMs = 500) => {
  const metrics = new MemoryMetrics();
  const { logger, lines } = capturingLogger();
  const breaker = new CircuitBreaker({
    provider: 'anthropic',
    store,
    logger,
    metrics,
    clock,
    cooldownMs: COOLDOWN_MS,
    cacheTtlMs: CACHE_TTL_MS,
    storeTimeoutMs,
  });
  return { breaker, metrics, lines };
};

/** Counts the calls that reach the store, to show which paths need no I/O. */
const countingStore = (inner: BreakerStore = new MemoryBreakerStore()) => {
  const calls = { get: 0, put: 0 };
  const store: BreakerStore = {
    get: (provider) => {
      calls.get += 1;
      return inner.get(provider);
    },
    put: (provider, record, version) => {
      calls.put += 1;
      return inner.put(provider, record, version);
    },
  };
  return { store, calls };
};

const failTimes = async (breaker: CircuitBreaker, times: number) => {
  for (let i = 0; i < times; i += 1) await breaker.recordFailure();
};

describe('circuit breaker', () => {
  it('stays closed below three consecutive failures, and a success resets the count', async () => {
    // Prepare
    const store = new MemoryBreakerStore();
    const { breaker } = breakerOn(store, manualClock().clock);

    // Act
    await failTimes(breaker, 2);
    await breaker.recordSuccess();
    await failTimes(breaker, 2);

    // Assess
    expect(await breaker.allowRequest()).toBe(true);
    expect((await store.get('anthropic'))?.record).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
  });

  it('opens on the third consecutive failure and rejects calls for the cooldown', async () => {
    // Prepare
    const store = new MemoryBreakerStore();
    const { clock, advance } = manualClock();
    const { breaker, metrics, lines } = breakerOn(store, clock);

    // Act
    await failTimes(breaker, 3);
    advance(COOLDOWN_MS - 1);

    // Assess
    expect(await breaker.allowRequest()).toBe(false);
    expect((await store.get('anthropic'))?.record).toMatchObject({
      state: 'open',
      consecutiveFailures: 3,
      openedAt: new Date('2026-11-22T14:00:00Z'),
    });
    expect(metrics.total(MetricNames.llmBreakerTransitions, { provider: 'anthropic', state: 'open' })).toBe(
      1,
    );
    expect(lines().some((line) => line.includes('LLM circuit breaker changed state'))).toBe(true);
  });

  it('after the cooldown allows exactly one trial, and closes when it succeeds', async () => {
    // Prepare
    const store = new MemoryBreakerStore();
    const { clock, advance } = manualClock();
    const { breaker } = breakerOn(store, clock);
    await failTimes(breaker, 3);
    advance(COOLDOWN_MS);

    // Act
    const trial = await breaker.allowRequest();
    const concurrent = await breaker.allowRequest();
    await breaker.recordSuccess();

    // Assess
    expect([trial, concurrent]).toEqual([true, false]);
    expect(await breaker.allowRequest()).toBe(true);
    expect((await store.get('anthropic'))?.record).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      openedAt: null,
    });
  });

  it('opens again for a full cooldown when the trial fails', async () => {
    // Prepare
    const store = new MemoryBreakerStore();
    const { clock, advance } = manualClock();
    const { breaker } = breakerOn(store, clock);
    await failTimes(breaker, 3);
    advance(COOLDOWN_MS);
    await breaker.allowRequest();

    // Act
    await breaker.recordFailure();
    advance(COOLDOWN_MS - 1);

    // Assess
    expect(await breaker.allowRequest()).toBe(false);
    expect((await store.get('anthropic'))?.record.state).toBe('open');
    advance(1);
    expect(await breaker.allowRequest()).toBe(true);
  });

  it('hands the half-open trial to only one of two instances sharing the store', async () => {
    // Prepare
    const store = new MemoryBreakerStore();
    const { clock, advance } = manualClock();
    const first = breakerOn(store, clock).breaker;
    const second = breakerOn(store, clock).breaker;
    await failTimes(first, 3);
    advance(COOLDOWN_MS);

    // Act
    const [a, b] = await Promise.all([first.allowRequest(), second.allowRequest()]);

    // Assess
    expect([a, b].filter(Boolean)).toHaveLength(1);
  });

  it('lets another instance claim a trial whose result never arrived', async () => {
    // Prepare: the first instance claims the trial, then dies.
    const store = new MemoryBreakerStore();
    const { clock, advance } = manualClock();
    const first = breakerOn(store, clock).breaker;
    const second = breakerOn(store, clock).breaker;
    await failTimes(first, 3);
    advance(COOLDOWN_MS);
    expect(await first.allowRequest()).toBe(true);

    // Act
    advance(COOLDOWN_MS);
    const claimed = await second.allowRequest();

    // Assess
    expect(claimed).toBe(true);
  });

  it('shows another instance the open state once its cached copy expires', async () => {
    // Prepare
    const store = new MemoryBreakerStore();
    const { clock, advance } = manualClock();
    const first = breakerOn(store, clock).breaker;
    const second = breakerOn(store, clock).breaker;
    expect(await second.allowRequest()).toBe(true);

    // Act
    await failTimes(first, 3);

    // Assess
    expect(await second.allowRequest()).toBe(true);
    advance(CACHE_TTL_MS);
    expect(await second.allowRequest()).toBe(false);
  });

  it('costs no store I/O on a healthy hot path within the cache period', async () => {
    // Prepare
    const { store, calls } = countingStore();
    const { clock, advance } = manualClock();
    const { breaker } = breakerOn(store, clock);

    // Act
    for (let i = 0; i < 20; i += 1) {
      await breaker.allowRequest();
      await breaker.recordSuccess();
      advance(200);
    }

    // Assess: 20 calls over 4 s, one read and no writes.
    expect(calls).toEqual({ get: 1, put: 0 });
  });

  it('keeps working on local state when the store fails, and logs it', async () => {
    // Prepare
    const failing: BreakerStore = {
      get: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
      put: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
    };
    const { clock, advance } = manualClock();
    const { breaker, metrics, lines } = breakerOn(failing, clock);

    // Act
    const before = await breaker.allowRequest();
    await failTimes(breaker, 3);
    const whileOpen = await breaker.allowRequest();
    advance(COOLDOWN_MS);
    const trial = await breaker.allowRequest();

    // Assess
    expect([before, whileOpen, trial]).toEqual([true, false, true]);
    expect(metrics.total(MetricNames.llmBreakerStoreErrors)).toBeGreaterThanOrEqual(4);
    expect(lines().some((line) => line.includes('Breaker store unavailable'))).toBe(true);
  });

  it('does not wait on a store that hangs', async () => {
    // Prepare
    const hanging: BreakerStore = { get: () => new Promise(() => {}), put: () => new Promise(() => {}) };
    const { breaker } = breakerOn(hanging, manualClock().clock, 50);

    // Act
    const started = Date.now();
    const allowed = await breaker.allowRequest();
    await breaker.recordFailure();

    // Assess
    expect(allowed).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
