import { type Clock, systemClock } from '../../ports/clock';
import { GraphTransientError, PairRateLimitError } from './errors';

/**
 * How hard one call tries before it gives up and lets the queue redeliver. Bounded both in
 * attempts and in time: the processor Lambda must finish its batch well within its timeout.
 */
export interface RetryPolicy {
  /** Attempts in total for throttling, outages, network failures and timeouts. */
  maxAttempts: number;
  /** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^n)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this much time has gone by since the first attempt. */
  maxElapsedMs: number;
  /** Retries after a 131056 pair rate limit, each after `PairRateLimitError.retryAfterMs`. */
  pairRateLimitRetries: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxElapsedMs: 20_000,
  pairRateLimitRetries: 2,
};

export interface RetryDeps {
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1), as `Math.random`. */
  random: () => number;
  clock: Clock;
}

export const defaultRetryDeps: RetryDeps = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  clock: systemClock,
};

/**
 * Runs `attempt` until it succeeds, fails permanently, or the policy is spent; then throws the
 * last error as it is, still marked retryable so the queue can try again later.
 *
 * Meta has no idempotency key: a request that timed out may have been sent. A caller whose request
 * is not idempotent (sending a message) passes `retryIf: certainlyNotSent`, so such a failure is
 * not retried here but reported, and the send intent decides (outbound/send-once.ts).
 */
export const withRetries = async <T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
  retryIf: (error: unknown) => boolean = () => true,
): Promise<T> => {
  const started = deps.clock.now().getTime();
  let backoffs = 0;
  let pairWaits = 0;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const delay = retryIf(error) ? nextDelay(error, policy, deps, { backoffs, pairWaits }) : undefined;
      const elapsed = deps.clock.now().getTime() - started;
      if (delay === undefined || elapsed + delay > policy.maxElapsedMs) throw error;
      if (error instanceof PairRateLimitError) pairWaits += 1;
      else backoffs += 1;
      await deps.sleep(delay);
    }
  }
};

const nextDelay = (
  error: unknown,
  policy: RetryPolicy,
  deps: RetryDeps,
  done: { backoffs: number; pairWaits: number },
): number | undefined => {
  if (!(error instanceof GraphTransientError)) return undefined;
  if (error instanceof PairRateLimitError) {
    return done.pairWaits < policy.pairRateLimitRetries ? error.retryAfterMs : undefined;
  }
  if (done.backoffs + 1 >= policy.maxAttempts) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** done.backoffs);
  return Math.floor(deps.random() * ceiling);
};
