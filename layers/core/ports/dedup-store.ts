/**
 * `duplicate`: the event was queued before. `in_progress`: another delivery of it holds a live claim and
 * may still fail, so this one must not be acknowledged as if the event were safe.
 */
export type ClaimOutcome = 'claimed' | 'duplicate' | 'in_progress';

/**
 * Remembers which webhook events were already accepted, for longer than Meta's 7 days of
 * redelivery. A claim is a short lease until `complete`; if the process dies or `release`
 * fails, the lease lapses and Meta's next retry is accepted — an event is never swallowed.
 */
export interface DedupStore {
  claim(eventId: string, now: Date): Promise<ClaimOutcome>;
  complete(eventId: string, now: Date): Promise<void>;
  release(eventId: string): Promise<void>;
}
