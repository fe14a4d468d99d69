import type {
  BreakerPutOutcome,
  BreakerRecord,
  BreakerStore,
  VersionedBreakerRecord,
} from '../../ports/breaker-store';

/**
 * The DynamoDB store's versioning semantics in memory: for the local stack, and for tests that
 * share one store between several breakers as processor instances share the table.
 */
export class MemoryBreakerStore implements BreakerStore {
  private readonly records = new Map<string, VersionedBreakerRecord>();

  get(provider: string): Promise<VersionedBreakerRecord | undefined> {
    return Promise.resolve(this.records.get(provider));
  }

  put(provider: string, record: BreakerRecord, expectedVersion: number): Promise<BreakerPutOutcome> {
    const current = this.records.get(provider)?.version ?? 0;
    if (current !== expectedVersion) return Promise.resolve({ written: false });
    const version = current + 1;
    this.records.set(provider, { record, version });
    return Promise.resolve({ written: true, version });
  }
}
