export type BreakerState = 'closed' | 'open' | 'half_open';

/** One provider's circuit breaker, shared by every processor instance. */
export interface BreakerRecord {
  readonly state: BreakerState;
  /** Retryable failures in a row; a success resets it. */
  readonly consecutiveFailures: number;
  /** When the breaker last opened; null while it has never opened since it last closed. */
  readonly openedAt: Date | null;
  /** When the record was last written; in `half_open` it dates the running trial. */
  readonly updatedAt: Date;
}

export interface VersionedBreakerRecord {
  readonly record: BreakerRecord;
  /** Incremented by every write; 0 stands for "no record stored". */
  readonly version: number;
}

export type BreakerPutOutcome =
  { readonly written: true; readonly version: number } | { readonly written: false };

/**
 * Optimistic concurrency: `put` writes only if the stored version still equals `expectedVersion`
 * (0 = no record yet), so two instances changing the same breaker cannot overwrite each other
 * unseen; the loser gets `{ written: false }`, re-reads and decides again.
 */
export interface BreakerStore {
  get(provider: string): Promise<VersionedBreakerRecord | undefined>;
  put(provider: string, record: BreakerRecord, expectedVersion: number): Promise<BreakerPutOutcome>;
}
