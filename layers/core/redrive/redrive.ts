import type { Logger } from '@aws-lambda-powertools/logger';
import type { Database } from '../db/database';
import { MetricNames } from '../observability/metric-names';
import type { MetricsPort } from '../ports/metrics';
import { hasBeenRedriven, messageKey, recordParked, recordRedrive } from './dead-letter-history';
import { holdFor, type HoldDeps, type HoldReason, type RedriveTrigger } from './hold';
import type { DeadLetteredMessage } from './ports';

/**
 * Messages looked at per run. Bounded so that the peek, the database work and the deletes of parked messages
 * fit in the time a peek keeps them hidden (see sqs-redrive.ts) and in the function's 60 s timeout.
 */
export const PEEK_LIMIT = 100;

export interface RedriveDeps extends HoldDeps {
  readonly db: Database;
  readonly logger: Logger;
  readonly metrics: MetricsPort;
  readonly config: {
    /** Redrives a message gets; dead-lettered once more after the last, it is parked for a human. */
    readonly maxRedrives: number;
  };
}

export type RedriveResult =
  | { readonly status: 'held'; readonly reason: HoldReason; readonly detail?: string }
  | {
      readonly status: 'done';
      /** Messages counted and sent back by the move task. */
      readonly redriven: number;
      /** Messages parked by this run. */
      readonly parked: number;
      /** Absent when nothing was left to move. */
      readonly taskHandle?: string;
      /** False when the peek could not see every message; the move also took those it did not count. */
      readonly sawAll: boolean;
    };

interface Sighting {
  readonly message: DeadLetteredMessage;
  readonly key: string;
}

/**
 * Parks the messages that have had their redrives, then moves the rest back to the source queue with one move
 * task. A message is counted only once its move has started, so a run that fails before that (and Lambda's
 * retries of it) cannot count a redrive that never happened. A parked message is deleted from the DLQ only
 * after its row is committed, so it is never lost, and never moved again: no message loops forever.
 */
export async function redrive(
  deps: RedriveDeps,
  { trigger }: { readonly trigger: RedriveTrigger },
): Promise<RedriveResult> {
  const hold = await holdFor(deps, trigger);
  if (hold) {
    deps.metrics.add(MetricNames.redriveHeld, 'Count', 1, { trigger, reason: hold.reason });
    deps.logger.info('Redrive held', { trigger, ...hold });
    return { status: 'held', ...hold };
  }

  const { maxRedrives } = deps.config;
  const peek = await deps.queue.peek(PEEK_LIMIT);
  const sightings = peek.messages.map((message) => ({ message, key: messageKey(message) }));
  const parked = new Set<Sighting>();
  // Unscoped transactions: these rows belong to no user, and the probe needs a transaction for its savepoint.
  const newlyParked = await deps.db.systemTransaction(async (tx) => {
    let count = 0;
    for (const sighting of sightings) {
      if (!(await hasBeenRedriven(tx, sighting.key, maxRedrives))) continue;
      parked.add(sighting);
      if (await recordParked(tx, sighting.message, sighting.key, maxRedrives)) count += 1;
    }
    return count;
  });
  // Counted once recorded, so a delete that fails (and is retried by the next run) cannot hide or repeat it.
  if (newlyParked > 0) deps.metrics.add(MetricNames.redriveParked, 'Count', newlyParked);
  for (const { message, key } of parked) {
    await deps.queue.delete(message);
    deps.logger.warn('Dead letter parked for a human', { key, messageId: message.messageId, maxRedrives });
  }

  const movers = sightings.filter((sighting) => !parked.has(sighting));
  const result = { parked: parked.size, sawAll: peek.complete };
  if (movers.length === 0 && peek.complete) {
    deps.logger.info('Nothing to redrive', { trigger, ...result });
    return { status: 'done', redriven: 0, ...result };
  }

  const taskHandle = await deps.queue.startMove();
  await deps.db.systemTransaction(async (tx) => {
    for (const { message, key } of movers) {
      const redriveNumber = await recordRedrive(tx, message, key, maxRedrives);
      if (redriveNumber === undefined) {
        deps.logger.warn('Redrive not counted: every redrive already recorded', { key, maxRedrives });
      }
    }
  });
  deps.metrics.add(MetricNames.redriveMessages, 'Count', movers.length, { trigger });
  deps.logger.info('Redrive started', { trigger, taskHandle, redriven: movers.length, ...result });
  return { status: 'done', redriven: movers.length, taskHandle, ...result };
}
