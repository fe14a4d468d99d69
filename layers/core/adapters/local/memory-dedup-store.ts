import { CLAIM_LEASE_SECONDS, DEDUP_RETENTION_SECONDS } from '../aws/dynamodb-dedup-store';
import type { ClaimOutcome, DedupStore } from '../../ports/dedup-store';

interface Entry {
  completed: boolean;
  leaseExpiresAt: number;
  expiresAt: number;
}

/** The same lease-then-complete semantics as the DynamoDB store, in memory. */
export class MemoryDedupStore implements DedupStore {
  private readonly entries = new Map<string, Entry>();

  claim(eventId: string, now: Date): Promise<ClaimOutcome> {
    const at = now.getTime();
    const existing = this.entries.get(eventId);
    if (existing && existing.expiresAt > at) {
      if (existing.completed) return Promise.resolve('duplicate');
      if (existing.leaseExpiresAt > at) return Promise.resolve('in_progress');
    }
    this.entries.set(eventId, {
      completed: false,
      leaseExpiresAt: at + CLAIM_LEASE_SECONDS * 1000,
      expiresAt: at + DEDUP_RETENTION_SECONDS * 1000,
    });
    return Promise.resolve('claimed');
  }

  complete(eventId: string, now: Date): Promise<void> {
    this.entries.set(eventId, {
      completed: true,
      leaseExpiresAt: 0,
      expiresAt: now.getTime() + DEDUP_RETENTION_SECONDS * 1000,
    });
    return Promise.resolve();
  }

  release(eventId: string): Promise<void> {
    this.entries.delete(eventId);
    return Promise.resolve();
  }
}
