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

/** Scheduler retries a failed invocation up to 185 times within 24 h (FACTS.md); a reminder a day late is noise. */
const RETRY_POLICY = { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 6 * 60 * 60 };

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

/** One EventBridge Scheduler schedule per reminder, named after it, deleted by Scheduler after it fires. */
export class EventBridgeReminderScheduler implements ReminderScheduler {
  private readonly client: SchedulerClient;

  constructor(private readonly options: EventBridgeReminderSchedulerOptions) {
    this.client = options.client ?? new SchedulerClient({});
  }

  async schedule(reminder: ReminderSchedule): Promise<string> {
    const name = scheduleNameFor(reminder.reminderId);
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
      // The reminder was rescheduled: its schedule exists and takes the new time and version.
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(input));
    }
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
