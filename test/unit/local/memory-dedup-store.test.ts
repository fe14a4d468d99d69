import {
  CLAIM_LEASE_SECONDS,
  DEDUP_RETENTION_SECONDS,
} from '../../../layers/core/adapters/aws/dynamodb-dedup-store';
import { MemoryDedupStore } from '../../../layers/core/adapters/local/memory-dedup-store';

const NOW = new Date('2026-11-22T14:00:00Z');
const after = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('MemoryDedupStore', () => {
  it('tells a queued event from one whose claim is still held, as the DynamoDB store does', async () => {
    const store = new MemoryDedupStore();

    expect(await store.claim('wamid.A', NOW)).toBe('claimed');
    expect(await store.claim('wamid.A', after(1))).toBe('in_progress');
    await store.complete('wamid.A', after(2));
    expect(await store.claim('wamid.A', after(3))).toBe('duplicate');
    expect(await store.claim('wamid.A', after(6 * 24 * 3600))).toBe('duplicate');
  });

  it('lets a claim that was never completed lapse after its lease, so Meta’s retry is accepted', async () => {
    const store = new MemoryDedupStore();
    await store.claim('wamid.B', NOW);

    expect(await store.claim('wamid.B', after(CLAIM_LEASE_SECONDS - 1))).toBe('in_progress');
    expect(await store.claim('wamid.B', after(CLAIM_LEASE_SECONDS + 1))).toBe('claimed');
  });

  it('forgets a released claim and a completed event after its retention', async () => {
    const store = new MemoryDedupStore();
    await store.claim('wamid.C', NOW);
    await store.release('wamid.C');
    expect(await store.claim('wamid.C', after(1))).toBe('claimed');

    await store.complete('wamid.C', after(2));
    expect(await store.claim('wamid.C', after(2 + DEDUP_RETENTION_SECONDS + 1))).toBe('claimed');
  });
});
