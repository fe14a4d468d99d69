import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import {
  atExpression,
  EventBridgeReminderScheduler,
} from '../../../layers/core/adapters/aws/eventbridge-scheduler';
import type { ReminderSchedule } from '../../../layers/core/ports/scheduler';

const GROUP = 'chasqui-dev-reminders';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:chasqui-dev-reminder';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/chasqui-dev-scheduler';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:123456789012:chasqui-dev-scheduler-dlq';
const REMINDER_ID = '0f8e2a4c-7b1d-4e5f-9a3b-2c6d8e0f1a2b';
const TENANT_ID = '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const USER_ID = '9c8b7a6d-5e4f-4321-8fed-cba987654321';

const scheduler = mockClient(SchedulerClient);
const adapter = () =>
  new EventBridgeReminderScheduler({
    groupName: GROUP,
    targetArn: FUNCTION_ARN,
    roleArn: ROLE_ARN,
    deadLetterArn: DLQ_ARN,
    client: new SchedulerClient({ region: 'us-east-1' }),
  });

const reminder = (overrides: Partial<ReminderSchedule> = {}): ReminderSchedule => ({
  reminderId: REMINDER_ID,
  version: 1,
  tenantId: TENANT_ID,
  userId: USER_ID,
  // 9:00 in New York, the day after clocks went forward (EDT, UTC-4).
  dueAt: new Date('2026-03-09T13:00:00.000Z'),
  timeZone: 'America/New_York',
  ...overrides,
});

const expectedInput = (version: number, expression: string, timeZone: string) => ({
  Name: `reminder-${REMINDER_ID}-v${version}`,
  GroupName: GROUP,
  ScheduleExpression: expression,
  ScheduleExpressionTimezone: timeZone,
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  State: 'ENABLED',
  ClientToken: `${REMINDER_ID}-v${version}`,
  Target: {
    Arn: FUNCTION_ARN,
    RoleArn: ROLE_ARN,
    Input: JSON.stringify({ reminderId: REMINDER_ID, version, tenantId: TENANT_ID, userId: USER_ID }),
    RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 21_600 },
    DeadLetterConfig: { Arn: DLQ_ARN },
  },
});

beforeEach(() => scheduler.reset());

describe('EventBridge reminder scheduler', () => {
  it('creates a one-time schedule at the wall-clock time in the user’s zone, deleted after it fires', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });

    // Act
    const name = await adapter().schedule(reminder());

    // Assess
    expect(name).toBe(`reminder-${REMINDER_ID}-v1`);
    expect(scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input)).toEqual([
      expectedInput(1, 'at(2026-03-09T09:00:00)', 'America/New_York'),
    ]);
    expect(scheduler).not.toHaveReceivedCommand(UpdateScheduleCommand);
    expect(scheduler).not.toHaveReceivedCommand(DeleteScheduleCommand);
  });

  it('writes at() without a Z and without milliseconds', () => {
    // Prepare: 07:30:15.987 UTC is 08:30:15 in Madrid once summer time has ended (CET, UTC+1).
    const dueAt = new Date('2026-10-25T07:30:15.987Z');

    // Act
    const expression = atExpression(dueAt, 'Europe/Madrid');

    // Assess
    expect(expression).toBe('at(2026-10-25T08:30:15)');
    expect(expression).toMatch(/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/);
  });

  it('schedules a rescheduled reminder under its new version and deletes the previous version’s schedule', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    scheduler.on(DeleteScheduleCommand).resolves({});

    // Act
    const name = await adapter().schedule(
      reminder({ version: 2, dueAt: new Date('2026-03-29T07:00:00Z'), timeZone: 'Europe/Madrid' }),
    );

    // Assess
    expect(name).toBe(`reminder-${REMINDER_ID}-v2`);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toEqual(
      expectedInput(2, 'at(2026-03-29T09:00:00)', 'Europe/Madrid'),
    );
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: `reminder-${REMINDER_ID}-v1`, GroupName: GROUP },
    ]);
  });

  it('updates the schedule with the same input when this version’s schedule already exists', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        message: 'Schedule already exists',
        Message: 'Schedule already exists',
        $metadata: {},
      }),
    );
    scheduler.on(UpdateScheduleCommand).resolves({});

    // Act
    await adapter().schedule(reminder());

    // Assess
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((call) => call.args[0].input)).toEqual([
      expectedInput(1, 'at(2026-03-09T09:00:00)', 'America/New_York'),
    ]);
  });

  it('lets any other create failure through, and updates nothing', async () => {
    // Prepare
    scheduler
      .on(CreateScheduleCommand)
      .rejects(
        new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: {} }),
      );

    // Act
    const scheduling = adapter().schedule(reminder());

    // Assess
    await expect(scheduling).rejects.toBeInstanceOf(ThrottlingException);
    expect(scheduler).not.toHaveReceivedCommand(UpdateScheduleCommand);
  });

  it('deletes a schedule by name in its group', async () => {
    // Prepare
    scheduler.on(DeleteScheduleCommand).resolves({});

    // Act
    await adapter().cancel(`reminder-${REMINDER_ID}-v3`);

    // Assess
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: `reminder-${REMINDER_ID}-v3`, GroupName: GROUP },
    ]);
  });

  it('treats deleting a schedule that already fired or never existed as done', async () => {
    // Prepare
    scheduler.on(DeleteScheduleCommand).rejects(
      new ResourceNotFoundException({
        message: 'Schedule not found',
        Message: 'Schedule not found',
        $metadata: {},
      }),
    );

    // Act
    const cancelling = adapter().cancel(`reminder-${REMINDER_ID}-v1`);

    // Assess
    await expect(cancelling).resolves.toBeUndefined();
  });

  it('lets any other delete failure through', async () => {
    // Prepare
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(
        new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: {} }),
      );

    // Act
    const cancelling = adapter().cancel(`reminder-${REMINDER_ID}-v1`);

    // Assess
    await expect(cancelling).rejects.toBeInstanceOf(ThrottlingException);
  });
});
