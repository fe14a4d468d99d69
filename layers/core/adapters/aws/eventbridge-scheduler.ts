import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { DateTime } from 'luxon';
import {
  type ReminderFire,
  type ReminderSchedule,
  type ReminderScheduler,
  scheduleNameFor,
} from '../../ports/scheduler';

/**
 * Scheduler retries up to 185 times within 24 h (FACTS.md); a reminder a day late is noise. It invokes a
 * Lambda target asynchronously (Lambda guide, "Using Lambda with EventBridge Scheduler"), so this policy
 * covers handing the event to Lambda; an error the function throws is retried by Lambda's own
 * asynchronous-invocation settings.
 */
const RETRY_POLICY = { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 6 * 60 * 60 };

/**
 * One schedule per reminder version. Scheduler deletes a fired one-time schedule "shortly after" its
 * invocation, and a schedule may be changed only before that (AWS Compute Blog, "Automatically delete
 * schedules upon completion"): re-arming a recurring reminder, or snoozing one just sent, under the fired
 * schedule's name could update it and then lose it to that deletion. A new name per version never meets
 * a fired schedule.
 */
export const versionedScheduleName = (reminderId: string, version: number): string =>
  `${scheduleNameFor(reminderId)}-v${version}`;

export interface EventBridgeReminderSchedulerOptions {
  groupName: string;
  /** The reminder function the schedule invokes. */
  targetArn: string;
  /** The execution role Scheduler assumes; it may invoke only the reminder function. */
  roleArn: string;
  /** Standard SQS queue that keeps invocations that failed every retry. */
  deadLetterArn: string;
  client?: SchedulerClient;
}

/**
 * `at(yyyy-mm-ddThh:mm:ss)` is wall-clock time in `ScheduleExpressionTimezone`: no `Z`, no
 * milliseconds (FACTS.md). Scheduling on the local clock keeps a 9:00 reminder at 9:00 across
 * daylight-saving changes.
 */
export const atExpression = (dueAt: Date, timeZone: string): string =>
  `at(${DateTime.fromJSDate(dueAt, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ss")})`;

/** One EventBridge Scheduler schedule per reminder version, deleted by Scheduler after it fires. */
export class EventBridgeReminderScheduler implements ReminderScheduler {
  private readonly client: SchedulerClient;

  constructor(private readonly options: EventBridgeReminderSchedulerOptions) {
    this.client = options.client ?? new SchedulerClient({});
  }

  async schedule(reminder: ReminderSchedule): Promise<string> {
    const name = versionedScheduleName(reminder.reminderId, reminder.version);
    const fire: ReminderFire = {
      reminderId: reminder.reminderId,
      version: reminder.version,
      tenantId: reminder.tenantId,
      userId: reminder.userId,
    };
    const input: CreateScheduleCommandInput = {
      Name: name,
      GroupName: this.options.groupName,
      ScheduleExpression: atExpression(reminder.dueAt, reminder.timeZone),
      ScheduleExpressionTimezone: reminder.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      // The same reminder version always yields the same token: a retried create is a no-op.
      ClientToken: `${reminder.reminderId}-v${reminder.version}`,
      Target: {
        Arn: this.options.targetArn,
        RoleArn: this.options.roleArn,
        Input: JSON.stringify(fire),
        RetryPolicy: RETRY_POLICY,
        DeadLetterConfig: { Arn: this.options.deadLetterArn },
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      // This version's schedule exists, from a create retried after its client token expired.
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(input));
    }
    // Versions move one at a time (rescheduleReminder): the previous schedule, if it has not fired, is stale.
    if (reminder.version > 1)
      await this.cancel(versionedScheduleName(reminder.reminderId, reminder.version - 1));
    return name;
  }

  async cancel(scheduleName: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: scheduleName, GroupName: this.options.groupName }),
      );
    } catch (error) {
      // Already fired (and deleted by ActionAfterCompletion) or never created: nothing to cancel.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
