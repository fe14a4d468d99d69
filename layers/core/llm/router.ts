import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricNames } from '../observability/metric-names';
import { type Clock, systemClock } from '../ports/clock';
import type { MetricsPort } from '../ports/metrics';
import { type ChatModel, type ChatRequest, type ChatResponse, NO_USAGE, type TokenUsage } from './chat-model';
import type { CircuitBreaker } from './circuit-breaker';
import { costOf } from './prices';
import { asProviderError, type ProviderErrorReason } from './provider-error';
import { countSpend } from './spend-metrics';

export interface PaidProvider {
  readonly model: ChatModel;
  readonly breaker: CircuitBreaker;
}

export interface LlmRouterOptions {
  /** Paid providers in order of preference, e.g. Anthropic then OpenAI. */
  readonly providers: readonly PaidProvider[];
  /** Answers when no paid provider may or can: the offline planner. Free, local, never skipped. */
  readonly lastResort: ChatModel;
  readonly logger: Logger;
  readonly metrics: MetricsPort;
  readonly clock?: Clock;
}

export interface RouteOptions {
  /**
   * Whether paid providers may be used for this turn (daily and per-user budgets, summed from
   * `ai_usage` by the caller). When it says no, or throws, the last resort answers alone.
   */
  readonly paidAllowed?: () => boolean | Promise<boolean>;
}

/**
 * - `ok`: answered. `error`: a retryable failure (throttled, overloaded, 5xx, network), counted
 *   against the breaker. `timeout`: the provider's own timeout, counted too. `rejected`: a
 *   permanent failure (400-class), not counted. `deadline`: cut short by the turn deadline, not
 *   counted, as the turn's budget says nothing about the provider's health.
 */
export type AttemptOutcome = 'ok' | 'error' | 'timeout' | 'rejected' | 'deadline';

/** One model call, of any kind (chat, embedding), as the caller records it in `ai_usage`. */
export interface ModelCall {
  readonly provider: string;
  readonly model: string;
  readonly outcome: AttemptOutcome;
  readonly latencyMs: number;
  readonly usage: TokenUsage;
  readonly costUsd: number;
}

/** One provider call of the router. */
export interface RouteAttempt extends ModelCall {
  readonly errorReason?: ProviderErrorReason;
  readonly httpStatus?: number;
}

/** Why the last resort answered. */
export type FallbackReason = 'budget_denied' | 'budget_unavailable' | 'providers_unavailable' | 'deadline';

export interface RoutedResponse extends ChatResponse {
  /** Every call made this time, in order, the answering one last. */
  readonly attempts: readonly RouteAttempt[];
  /** Providers not called because their breaker was open. */
  readonly skipped: readonly string[];
  /** Cost of the answering call (failed calls are not billed). */
  readonly costUsd: number;
  /** Set when the last resort answered. */
  readonly fallback?: FallbackReason;
}

/**
 * Tries the paid providers in order, skipping those whose breaker is open, then the last resort.
 * A retryable failure moves on to the next provider in the same turn and counts against the
 * provider's breaker; a permanent one moves on too (another vendor may accept what this one
 * rejected) without counting. SDK retries are off: moving on is the retry.
 *
 * Itself a ChatModel, so the tool loop can call it like any model; the turn deadline is the
 * request's `signal`, and once it fires no paid provider is waited on.
 */
export class LlmRouter implements ChatModel {
  readonly provider = 'router';
  readonly model: string;
  private readonly providers: readonly PaidProvider[];
  private readonly lastResort: ChatModel;
  private readonly logger: Logger;
  private readonly metrics: MetricsPort;
  private readonly clock: Clock;

  constructor(options: LlmRouterOptions) {
    this.providers = options.providers;
    this.lastResort = options.lastResort;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.clock = options.clock ?? systemClock;
    this.model = [...options.providers.map((p) => p.model.model), options.lastResort.model].join(' > ');
  }

  async complete(request: ChatRequest, options: RouteOptions = {}): Promise<RoutedResponse> {
    const attempts: RouteAttempt[] = [];
    const skipped: string[] = [];
    // With no paid provider configured there is no spend to check: skip the budget queries.
    const budget = this.providers.length === 0 ? 'allowed' : await this.budget(options);
    if (budget !== 'allowed') return this.fallBack(request, budget, attempts, skipped);

    for (const { model, breaker } of this.providers) {
      if (request.signal?.aborted) break;
      if (!(await breaker.allowRequest())) {
        skipped.push(model.provider);
        continue;
      }
      const started = performance.now();
      try {
        const response = await untilAborted(model.complete(request), request.signal);
        await breaker.recordSuccess();
        const attempt = this.answered(response);
        attempts.push(attempt);
        return { ...response, attempts, skipped, costUsd: attempt.costUsd };
      } catch (error) {
        const attempt = this.failed(model, error, performance.now() - started, request.signal);
        attempts.push(attempt);
        if (attempt.outcome === 'error' || attempt.outcome === 'timeout') await breaker.recordFailure();
      }
    }
    return this.fallBack(
      request,
      request.signal?.aborted ? 'deadline' : 'providers_unavailable',
      attempts,
      skipped,
    );
  }

  private async budget(options: RouteOptions): Promise<'allowed' | FallbackReason> {
    if (!options.paidAllowed) return 'allowed';
    try {
      return (await options.paidAllowed()) ? 'allowed' : 'budget_denied';
    } catch (error) {
      // Failing closed: an unknown spend must not turn into an unbounded one.
      this.logger.warn('Budget check failed; answering without paid providers', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return 'budget_unavailable';
    }
  }

  private async fallBack(
    request: ChatRequest,
    reason: FallbackReason,
    attempts: RouteAttempt[],
    skipped: string[],
  ): Promise<RoutedResponse> {
    this.metrics.add(MetricNames.llmFallbackAnswers, 'Count', 1, { reason });
    // The last resort is local and fast; it gets no signal, because the turn deadline may already
    // have fired and the user must still get an answer.
    const response = await this.lastResort.complete({ ...request, signal: undefined });
    this.metrics.add(MetricNames.llmCallLatency, 'Milliseconds', response.latencyMs, {
      provider: response.provider,
      model: response.model,
      outcome: 'ok',
    });
    attempts.push({ ...base(response), outcome: 'ok', usage: response.usage, costUsd: 0 });
    return { ...response, attempts, skipped, costUsd: 0, fallback: reason };
  }

  private answered(response: ChatResponse): RouteAttempt {
    const { provider, model, usage } = response;
    const cost = costOf(usage, provider, model, this.clock.now());
    if (!cost.priced)
      this.logger.warn('No price for this model; its cost is recorded as 0', { provider, model });
    this.metrics.add(MetricNames.llmCallLatency, 'Milliseconds', response.latencyMs, {
      provider,
      model,
      outcome: 'ok',
    });
    countSpend(this.metrics, {
      provider,
      model,
      costUsd: cost.usd,
      tokens: {
        input: usage.inputTokens,
        output: usage.outputTokens,
        cache_read: usage.cacheReadTokens,
        cache_write: usage.cacheWriteTokens,
      },
    });
    return { ...base(response), outcome: 'ok', usage, costUsd: cost.usd };
  }

  private failed(model: ChatModel, error: unknown, latencyMs: number, deadline?: AbortSignal): RouteAttempt {
    const failure = asProviderError(error, model.provider);
    const outcome: AttemptOutcome = deadline?.aborted
      ? 'deadline'
      : !failure.retryable
        ? 'rejected'
        : failure.reason === 'timeout'
          ? 'timeout'
          : 'error';
    this.logger.warn('LLM provider call failed', {
      provider: model.provider,
      model: model.model,
      outcome,
      reason: failure.reason,
      status: failure.status,
      error: failure.message,
    });
    this.metrics.add(MetricNames.llmCallLatency, 'Milliseconds', latencyMs, {
      provider: model.provider,
      model: model.model,
      outcome,
    });
    this.metrics.add(MetricNames.llmCallErrors, 'Count', 1, {
      provider: model.provider,
      model: model.model,
      reason: failure.reason,
    });
    return {
      provider: model.provider,
      model: model.model,
      outcome,
      latencyMs,
      usage: NO_USAGE,
      costUsd: 0,
      errorReason: failure.reason,
      ...(failure.status === undefined ? {} : { httpStatus: failure.status }),
    };
  }
}

const base = (response: ChatResponse) => ({
  provider: response.provider,
  model: response.model,
  latencyMs: response.latencyMs,
});

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts, whichever comes first. The SDKs
 * honour the signal themselves; this keeps a model that ignores it from holding the turn.
 */
const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('turn deadline passed'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
};
