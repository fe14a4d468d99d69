import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ChasquiConfig } from '../config';
import { ChasquiFunction } from './chasqui-function';
import type { Database } from './database';
import { wildcardResourceFinding } from './nag';
import type { ApplicationSecrets } from './secrets';

/** What a function may do to the schedules of the group, and nothing else. */
const SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
];

export interface RemindersProps {
  readonly config: ChasquiConfig;
  readonly database: Database;
  readonly secrets: ApplicationSecrets;
  readonly stateTable: dynamodb.ITable;
}

/**
 * One EventBridge Scheduler schedule per reminder, all in one group: the scheduler invokes the reminder
 * function through a role that can do nothing else, and parks failed invocations in a DLQ.
 */
export class Reminders extends Construct {
  public readonly scheduleGroup: scheduler.ScheduleGroup;
  /** A standard queue: Scheduler cannot send to FIFO dead-letter queues (FACTS). */
  public readonly schedulerDeadLetterQueue: sqs.Queue;
  /** Assumed by `scheduler.amazonaws.com`; passed in every CreateSchedule as the target role. */
  public readonly schedulerRole: iam.Role;
  public readonly reminderFunction: ChasquiFunction;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);
    const { config } = props;

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', {
      removalPolicy: config.state.removalPolicy,
    });

    this.schedulerDeadLetterQueue = new sqs.Queue(this, 'SchedulerDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.schedulerDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue, the one EventBridge Scheduler sends failed invocations to',
    });

    this.reminderFunction = new ChasquiFunction(this, 'Function', {
      name: 'reminder',
      config,
      vpc: props.database.vpc,
      environment: {
        GRAPH_API_VERSION: config.whatsapp.graphApiVersion,
        WHATSAPP_TEMPLATES: JSON.stringify(config.whatsapp.templates),
        STATE_TABLE_NAME: props.stateTable.tableName,
      },
    });
    // Scheduler invokes the function asynchronously, so an error the function throws is retried by Lambda's
    // async-invoke settings, not by the schedule's retry policy: without a destination, an event that
    // failed every retry would vanish.
    this.reminderFunction.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.schedulerDeadLetterQueue),
    });
    props.database.connect(this.reminderFunction);
    props.secrets.connectWhatsApp(this.reminderFunction);
    props.stateTable.grantReadWriteData(this.reminderFunction);

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description:
        'EventBridge Scheduler: invoke the reminder function and dead-letter failures, nothing else',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    const reminderVersions = `${this.reminderFunction.functionArn}:*`;
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.reminderFunction.functionArn, reminderVersions],
      }),
    );
    // SendMessage alone: grantSendMessages would add GetQueueAttributes and GetQueueUrl, which Scheduler never calls.
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.schedulerDeadLetterQueue.queueArn],
      }),
    );
    Validations.of(this.schedulerRole).acknowledge({
      id: wildcardResourceFinding(reminderVersions, this),
      reason:
        'Versions and aliases of the reminder function only, so a schedule may target a published version',
    });

    this.connectScheduler(this.reminderFunction);
  }

  /**
   * Lets `grantee` manage schedules in this group only, and pass the scheduler role only to Scheduler.
   */
  public grantManageSchedules(grantee: iam.IGrantable): iam.Grant {
    const schedulesInGroup = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroup.scheduleGroupName}/*`,
    });
    const schedules = iam.Grant.addToPrincipal({
      grantee,
      actions: SCHEDULE_ACTIONS,
      resourceArns: [schedulesInGroup],
    });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    if (grantee.grantPrincipal instanceof iam.Role) {
      Validations.of(grantee.grantPrincipal).acknowledge({
        id: wildcardResourceFinding(schedulesInGroup, this),
        reason:
          'Schedule names are per reminder and made at run time; the grant is bounded to this schedule group',
      });
    }
    return schedules;
  }

  /** {@link grantManageSchedules}, plus the SCHEDULE_* variables the function's env schema expects. */
  public connectScheduler(fn: ChasquiFunction): void {
    this.grantManageSchedules(fn);
    fn.addEnvironment('SCHEDULE_GROUP_NAME', this.scheduleGroup.scheduleGroupName);
    fn.addEnvironment('SCHEDULER_ROLE_ARN', this.schedulerRole.roleArn);
    fn.addEnvironment('SCHEDULER_DLQ_ARN', this.schedulerDeadLetterQueue.queueArn);
  }
}
