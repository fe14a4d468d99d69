import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricNames } from '../observability/metric-names';
import type { BreakerPutOutcome, BreakerRecord, BreakerStore } from '../ports/breaker-store';
import { type Clock, systemClock } from '../ports/clock';
import type { MetricsPort } from '../ports/metrics';

export interface CircuitBreakerOptions {
  readonly provider: string;
  readonly store: BreakerStore;
  readonly logger: Logger;
  readonly metrics: MetricsPort;
  readonly clock?: Clock;
  /** Retryable failures in a row that open the breaker. @default 3 */
  readonly failureThreshold?: number;
  /**
   * How long an open breaker rejects calls before one trial; also how long a trial may run before
   * another instance presumes it lost. Keep it above the provider's timeout. @default 30_000
   */
  readonly cooldownMs?: number;
  /** How long this instance trusts its copy of the shared state before reading it again. @default 5_000 */
  readonly cacheTtlMs?: number;
  /** A slow store must not hold up the turn: past this, the breaker runs on its local copy. @default 500 */
  readonly storeTimeoutMs?: number;
}

interface View {
  readonly record: BreakerRecord;
  readonly version: number;
  readonly readAt: number;
}

const CLOSED: BreakerRecord = {
  state: 'closed',
  consecutiveFailures: 0,
  openedAt: null,
  updatedAt: new Date(0),
};
/** Each lost write race means a fresher record was read; three in a row means heavy contention. */
const MAX_WRITE_ATTEMPTS = 3;

/**
 * One provider's breaker, shared across processor instances through a {@link BreakerStore}:
 * closed → open after `failureThreshold` retryable failures → half-open after `cooldownMs`, with
 * one trial call (claimed by a versioned write, so one instance gets it) → closed on its success,
 * open again on its failure.
 *
 * A healthy hot path costs no I/O: the shared state is cached for `cacheTtlMs`, and a success on a
 * closed breaker with no failures writes nothing. Every state change is written through. When the
 * store fails or is slow, the breaker logs it and carries on with its local copy: a breaker must
 * never be the reason a turn fails.
 */
export class CircuitBreaker {
  readonly provider: string;
  private readonly store: BreakerStore;
  private readonly logger: Logger;
  private readonly metrics: MetricsPort;
  private readonly clock: Clock;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly cacheTtlMs: number;
  private readonly storeTimeoutMs: number;
  private view: View | undefined;

  constructor(options: CircuitBreakerOptions) {
    this.provider = options.provider;
    this.store = options.store;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.clock = options.clock ?? systemClock;
    this.failureThreshold = options.failureThreshold ?? 3;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.cacheTtlMs = options.cacheTtlMs ?? 5_000;
    this.storeTimeoutMs = options.storeTimeoutMs ?? 500;
  }

  /** Whether to call the provider now; true for a half-open trial only for the caller that claimed it. */
  async allowRequest(): Promise<boolean> {
    const { record } = await this.current();
    if (record.state === 'closed') return true;
    if (!this.trialDue(record, this.clock.now())) return false;
    const { record: after, changed } = await this.change((latest, now) =>
      latest.state !== 'closed' && this.trialDue(latest, now)
        ? { ...latest, state: 'half_open', updatedAt: now }
        : undefined,
    );
    return changed || after.state === 'closed';
  }

  async recordSuccess(): Promise<void> {
    const { record } = await this.current();
    if (record.state === 'closed' && record.consecutiveFailures === 0) return;
    await this.change((latest, now) =>
      latest.state === 'closed' && latest.consecutiveFailures === 0
        ? undefined
        : { state: 'closed', consecutiveFailures: 0, openedAt: null, updatedAt: now },
    );
  }

  /** Only for retryable failures: a rejected request says nothing about the provider's health. */
  async recordFailure(): Promise<void> {
    await this.change((latest, now) => {
      const consecutiveFailures = latest.consecutiveFailures + 1;
      const opens =
        latest.state === 'half_open' ||
        (latest.state === 'closed' && consecutiveFailures >= this.failureThreshold);
      return {
        state: opens || latest.state === 'open' ? 'open' : 'closed',
        consecutiveFailures,
        openedAt: opens ? now : latest.openedAt,
        updatedAt: now,
      };
    });
  }

  private trialDue(record: BreakerRecord, now: Date): boolean {
    // In half-open, `updatedAt` dates the running trial; one older than the cooldown was lost
    // (its instance died, or its result could not be written) and may be claimed again.
    const since = record.state === 'open' ? (record.openedAt ?? record.updatedAt) : record.updatedAt;
    return now.getTime() - since.getTime() >= this.cooldownMs;
  }

  private async current(): Promise<View> {
    const now = this.clock.now().getTime();
    if (this.view && now - this.view.readAt < this.cacheTtlMs) return this.view;
    return this.refresh();
  }

  private async refresh(): Promise<View> {
    const readAt = this.clock.now().getTime();
    try {
      const stored = await this.bounded(this.store.get(this.provider));
      this.view = { record: stored?.record ?? CLOSED, version: stored?.version ?? 0, readAt };
    } catch (error) {
      this.storeFailed('get', error);
      // Trust the local copy for another cache period rather than retrying the store on every call.
      this.view = { record: this.view?.record ?? CLOSED, version: this.view?.version ?? 0, readAt };
    }
    return this.view;
  }

  /**
   * Applies `next` to the freshest record this instance can see and writes it with the version it
   * was read at; on a lost race it re-reads and applies `next` again. `next` returns undefined
   * when no change is needed.
   */
  private async change(
    next: (record: BreakerRecord, now: Date) => BreakerRecord | undefined,
  ): Promise<{ record: BreakerRecord; changed: boolean }> {
    let view = await this.current();
    for (let attempt = 1; ; attempt += 1) {
      const now = this.clock.now();
      const updated = next(view.record, now);
      if (!updated) return { record: view.record, changed: false };
      let outcome: BreakerPutOutcome;
      try {
        outcome = await this.bounded(this.store.put(this.provider, updated, view.version));
      } catch (error) {
        this.storeFailed('put', error);
        return this.adopt(view, updated, view.version, now);
      }
      if (outcome.written) return this.adopt(view, updated, outcome.version, now);
      if (attempt === MAX_WRITE_ATTEMPTS) return { record: view.record, changed: false };
      view = await this.refresh();
    }
  }

  private adopt(previous: View, record: BreakerRecord, version: number, now: Date) {
    this.view = { record, version, readAt: now.getTime() };
    if (previous.record.state !== record.state) {
      this.logger.info('LLM circuit breaker changed state', {
        provider: this.provider,
        from: previous.record.state,
        to: record.state,
        consecutiveFailures: record.consecutiveFailures,
      });
      this.metrics.add(MetricNames.llmBreakerTransitions, 'Count', 1, {
        provider: this.provider,
        state: record.state,
      });
    }
    return { record, changed: true };
  }

  private storeFailed(operation: 'get' | 'put', error: unknown): void {
    this.logger.warn('Breaker store unavailable; using the local breaker state', {
      provider: this.provider,
      operation,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    this.metrics.add(MetricNames.llmBreakerStoreErrors, 'Count', 1, { provider: this.provider, operation });
  }

  private bounded<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer within ${this.storeTimeoutMs} ms`)),
        this.storeTimeoutMs,
      );
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}
