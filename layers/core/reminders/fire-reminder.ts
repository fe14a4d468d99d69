import type { Logger } from '@aws-lambda-powertools/logger';
import type { Database, TenantScope } from '../db/database';
import { recordDeadLetter, type User } from '../db/repositories';
import { errorCode, isRetryable } from '../errors';
import { MetricNames } from '../observability/metric-names';
import type { Clock } from '../ports/clock';
import type { MetricsPort } from '../ports/metrics';
import type { ReminderFire, ReminderScheduler } from '../ports/scheduler';
import type { GraphApi } from '../whatsapp/graph/client';
import { WindowClosedError } from '../whatsapp/graph/errors';
import { type Claim, claimFire, type SkipReason } from './claim';
import {
  type Channel,
  languageOf,
  reminderBody,
  type ReminderMessage,
  reminderPayload,
  type ReminderTemplates,
} from './message';
import { delayForQuietHours } from './quiet-hours';
import { rearmRecurring } from './rearm';
import { sendOnce } from '../outbound/send-once';

export interface ReminderConfig {
  readonly templates: ReminderTemplates;
}

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

/**
 * Meta judges the window when it processes the message, and reports a miss only later in a `failed`
 * status: too late to switch. A window about to close is treated as closed.
 */
const WINDOW_MARGIN_MS = 60_000;

const windowOpen = (user: User, now: Date): boolean =>
  user.windowExpiresAt !== null && now.getTime() + WINDOW_MARGIN_MS < user.windowExpiresAt.getTime();

/** One send per reminder occurrence: each version is fired at most once. */
export const reminderIdempotencyKey = (fire: ReminderFire): string =>
  `reminder:${fire.reminderId}:v${fire.version}`;

type Fired = Extract<Claim, { kind: 'fire' }>;

/** Interactive inside the 24 h window, else the template; a window Meta says is closed gets the template once. */
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
    language: languageOf(user.locale),
  };
  const attempt = async (channel: Channel): Promise<FireResult> => {
    const wamid = await sendOnce(deps, scope, {
      idempotencyKey: reminderIdempotencyKey(fire),
      phoneNumberId,
      payload: reminderPayload(channel, message, deps.config.templates),
      body: reminderBody(message),
    });
    return wamid === undefined ? { outcome: 'duplicate' } : { outcome: 'sent', channel, wamid };
  };
  const channel: Channel = windowOpen(user, deps.clock.now()) ? 'interactive' : 'template';
  try {
    return await attempt(channel);
  } catch (error) {
    // The refused intent was discarded, so the key is free for the template.
    if (channel === 'template' || !(error instanceof WindowClosedError)) throw error;
    return attempt('template');
  }
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

const fireOnce = async (deps: FireReminderDeps, fire: ReminderFire): Promise<FireResult> => {
  const scope = { tenantId: fire.tenantId, userId: fire.userId };
  const held = await delayForQuietHours(deps, scope, fire);
  if (held) return { outcome: 'quiet_hours', nextDueAt: held.dueAt };
  const claim = await deps.db.transaction(scope, (tx) => claimFire(tx, fire));
  if (claim.kind === 'skip') return { outcome: claim.reason };
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
  return next ? { ...result, nextDueAt: next.dueAt } : result;
};

/**
 * Fires one reminder occurrence, in the user's row-level-security scope. A stale, duplicate or cancelled
 * fire sends nothing and says why. Transient failures throw, so the invocation is retried; permanent ones
 * are kept as dead letters and do not throw.
 */
export const fireReminder = async (deps: FireReminderDeps, fire: ReminderFire): Promise<FireResult> => {
  try {
    const result = await fireOnce(deps, fire);
    deps.metrics.add(MetricNames.remindersFired, 'Count', 1, { outcome: result.outcome });
    deps.logger.info('Reminder fired', {
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
