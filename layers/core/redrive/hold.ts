import type { BreakerStore } from '../ports/breaker-store';
import type { AlarmState, RedriveQueue } from './ports';

export type RedriveTrigger = 'schedule' | 'manual';
export type HoldReason = 'dlq_empty' | 'move_running' | 'last_move_failed' | 'providers_unhealthy';

export interface Hold {
  readonly reason: HoldReason;
  readonly detail?: string;
}

export interface HoldDeps {
  readonly queue: RedriveQueue;
  readonly alarm?: AlarmState;
  readonly breakers: BreakerStore;
  readonly providers: readonly string[];
}

/**
 * Why this run must leave the DLQ alone, if it must. The issue says to redrive on schedule "when the DLQ alarm
 * has cleared", but that alarm is "DLQ not empty": it clears only once there is nothing left to redrive. What
 * must have cleared is its cause, so a scheduled run holds while:
 * - the alarm is OK: nothing is waiting, and the run ends before touching SQS or the database (most ticks);
 * - the latest move task failed: its messages were counted as redriven but never moved, and repeating it would
 *   park healthy messages; an operator looks, and a manual run resumes the schedule;
 * - any LLM breaker is open or half-open: a provider outage (the usual way a burst of messages dead-letters)
 *   is still on or only being probed, and redriving into it would spend one of each message's redrives.
 * A manual run skips those three. Neither starts while a move task is active: SQS allows one per queue.
 */
export async function holdFor(deps: HoldDeps, trigger: RedriveTrigger): Promise<Hold | undefined> {
  const scheduled = trigger === 'schedule';
  if (scheduled && deps.alarm && (await deps.alarm.current()) === 'OK') return { reason: 'dlq_empty' };
  const task = await deps.queue.latestMoveTask();
  if (task?.status === 'RUNNING' || task?.status === 'CANCELLING') return { reason: 'move_running' };
  if (!scheduled) return undefined;
  if (task?.status === 'FAILED') {
    return { reason: 'last_move_failed', ...(task.failureReason && { detail: task.failureReason }) };
  }
  const unhealthy: string[] = [];
  for (const provider of deps.providers) {
    // No record reads as closed, as it does for the processor's breakers.
    const state = (await deps.breakers.get(provider))?.record.state ?? 'closed';
    if (state !== 'closed') unhealthy.push(`${provider} ${state}`);
  }
  return unhealthy.length > 0 ? { reason: 'providers_unhealthy', detail: unhealthy.join(', ') } : undefined;
}
