/** What the reminder function receives when a schedule fires. */
export interface ReminderFire {
  reminderId: string;
  /** The reminder's version when scheduled: a stale schedule (the reminder changed since) does nothing. */
  version: number;
  tenantId: string;
  userId: string;
}

export interface ReminderSchedule extends ReminderFire {
  dueAt: Date;
  /** IANA zone: the schedule fires at the local wall-clock time, across daylight-saving changes. */
  timeZone: string;
}

/**
 * One schedule per reminder (EventBridge Scheduler in AWS, persisted timers locally). Calls are
 * idempotent: creating the same reminder version twice, or deleting a missing schedule, is fine.
 */
export interface ReminderScheduler {
  /** Creates or replaces the reminder's schedule; returns the schedule's name. */
  schedule(reminder: ReminderSchedule): Promise<string>;
  cancel(scheduleName: string): Promise<void>;
}

/** Schedule names are derived from the reminder id, so create, update and delete need no lookup. */
export const scheduleNameFor = (reminderId: string): string => `reminder-${reminderId}`;
