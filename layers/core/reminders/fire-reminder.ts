import { logIdOf } from '../logging';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Database, TenantScope } from '../db/database';
import { recordDeadLetter } from '../db/repositories';
import { errorCode, isRetryable } from '../errors';
import { MetricNames } from '../observability/metric-names';
import type { Clock } from '../ports/clock';
import type { MetricsPort } from '../ports/metrics';
import type { ReminderFire, ReminderScheduler } from '../ports/scheduler';
import type { GraphApi } from '../whatsapp/graph/client';
import { type Claim, claimFire, type SkipReason } from './claim';
import { interactiveReminder, reminderBody, type ReminderMessage } from './message';
import { delayForQuietHours } from './quiet-hours';
import { rearmRecurring } from './rearm';
import { sendOnce } from '../outbound/send-once';
import type { MessageTemplates } from '../outbound/templates';
import { languageOfLocale } from '../assistant/replies';

export interface ReminderConfig {
  readonly templates: MessageTemplates;
}

/** How a reminder went out: with its buttons inside the 24 h window, else as the reminder template. */
export type Channel = 'interactive' | 'template';

export interface FireReminderDeps {
  readonly db: Database;
  readonly graph: GraphApi;
  /** Re-arms recurring reminders. */
  readonly scheduler: ReminderScheduler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsPort;
  readonly config: ReminderConfig;
}

export type FireOutcome = 'sent' | 'duplicate' | 'opted_out' | 'quiet_hours' | 'dead_letter' | SkipReason;

export interface FireResult {
  readonly outcome: FireOutcome;
  /** How the reminder went out, when it did. */
  readonly channel?: Channel;
  readonly wamid?: string;
  /** Why it was kept as a dead letter. */
  readonly reason?: string;
  /** A recurring reminder's next occurrence once re-armed, or when a reminder held by quiet hours is due. */
  readonly nextDueAt?: Date;
}

/** One send per reminder occurrence: each version is fired at most once. */
export const reminderIdempotencyKey = (fire: ReminderFire): string =>
  `reminder:${fire.reminderId}:v${fire.version}`;

type Fired = Extract<Claim, { kind: 'fire' }>;

/** Interactive inside the 24 h window, else the template (sendOnce decides at send time). */
const deliver = async (
  deps: FireReminderDeps,
  scope: Required<TenantScope>,
  fire: ReminderFire,
  { reminder, user, phoneNumberId }: Fired,
): Promise<FireResult> => {
  // Opted-out users get nothing proactive (FACTS.md, Policy); the claim still stands, so retries stay quiet.
  if (user.consentStatus === 'opted_out') return { outcome: 'opted_out' };
  const message: ReminderMessage = {
    to: { waId: user.waId ?? undefined, bsuid: user.bsuid ?? undefined },
    reminderId: reminder.id,
    text: reminder.text,
    language: languageOfLocale(user.locale),
  };
  const sent = await sendOnce(deps, scope, {
    idempotencyKey: reminderIdempotencyKey(fire),
    phoneNumberId,
    payload: interactiveReminder(message),
    body: reminderBody(message),
    fallback: { purpose: 'reminder', text: reminder.text },
  });
  if (!sent) return { outcome: 'duplicate' };
  return { outcome: 'sent', channel: sent.as === 'template' ? 'template' : 'interactive', wamid: sent.wamid };
};

/** Retrying cannot help (an undeliverable number, a template Meta rejects): keep it and move on. */
const keepDeadLetter = async (
  deps: FireReminderDeps,
  scope: Required<TenantScope>,
  fire: ReminderFire,
  error: unknown,
): Promise<FireResult> => {
  const reason = errorCode(error);
  await deps.db.transaction(scope, (tx) =>
    recordDeadLetter(tx, {
      source: 'reminder',
      reason,
      payload: {
        reminderId: fire.reminderId,
        version: fire.version,
        tenantId: fire.tenantId,
        userId: fire.userId,
      },
      receiveCount: 1,
      lastError: error instanceof Error ? error.message : String(error),
      externalId: reminderIdempotencyKey(fire),
    }),
  );
  deps.metrics.add(MetricNames.deadLetters, 'Count', 1, { source: 'reminder' });
  return { outcome: 'dead_letter', reason };
};

const fireOnce = async (
  parentDeps: FireReminderDeps,
  fire: ReminderFire,
): Promise<{ result: FireResult; logger: Logger }> => {
  const scope = { tenantId: fire.tenantId, userId: fire.userId };
  // Quiet hours are checked in the claim's transaction: one transaction per fire, not two.
  const claim = await parentDeps.db.transaction(
    scope,
    async (tx): Promise<Claim | { kind: 'held'; until: Date }> => {
      const held = await delayForQuietHours(tx, parentDeps, scope, fire);
      return held ? { kind: 'held', until: held.dueAt } : claimFire(tx, fire);
    },
  );
  if (claim.kind === 'held') {
    return { result: { outcome: 'quiet_hours', nextDueAt: claim.until }, logger: parentDeps.logger };
  }
  if (claim.kind === 'skip') return { result: { outcome: claim.reason }, logger: parentDeps.logger };
  // Logged under the wamid of the message that asked for the reminder, like that message's own lines.
  const { sourceWamid } = claim.reminder;
  const logger = sourceWamid
    ? parentDeps.logger.createChild({ persistentKeys: { correlation_id: logIdOf(sourceWamid) } })
    : parentDeps.logger;
  const deps = { ...parentDeps, logger };
  let result: FireResult;
  try {
    result = await deliver(deps, scope, fire, claim);
  } catch (error) {
    if (isRetryable(error)) throw error;
    result = await keepDeadLetter(deps, scope, fire, error);
  }
  const outcome = result.outcome;
  deps.metrics.add(
    MetricNames.reminderLateness,
    'Milliseconds',
    deps.clock.now().getTime() - claim.reminder.dueAt.getTime(),
    { outcome },
  );
  // Every fire of the current version re-arms, a duplicate too: it may be the retry of a fire that sent
  // and then failed to re-arm.
  const next = await rearmRecurring(deps, scope, claim.reminder, deps.clock.now());
  return { result: next ? { ...result, nextDueAt: next.dueAt } : result, logger };
};

/**
 * Fires one reminder occurrence, in the user's row-level-security scope. A stale, duplicate or cancelled
 * fire sends nothing and says why. Transient failures throw, so the invocation is retried; permanent ones
 * are kept as dead letters and do not throw.
 */
export const fireReminder = async (deps: FireReminderDeps, fire: ReminderFire): Promise<FireResult> => {
  try {
    const { result, logger } = await fireOnce(deps, fire);
    deps.metrics.add(MetricNames.remindersFired, 'Count', 1, { outcome: result.outcome });
    logger.info('Reminder fired', {
      reminderId: fire.reminderId,
      version: fire.version,
      outcome: result.outcome,
      ...(result.channel && { channel: result.channel }),
      ...(result.reason && { reason: result.reason }),
      ...(result.nextDueAt && { nextDueAt: result.nextDueAt.toISOString() }),
    });
    return result;
  } catch (error) {
    deps.metrics.add(MetricNames.remindersFired, 'Count', 1, { outcome: 'retry' });
    deps.logger.warn('Reminder fire failed; it will be retried', {
      reminderId: fire.reminderId,
      version: fire.version,
      reason: errorCode(error),
    });
    throw error;
  }
};
