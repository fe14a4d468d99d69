import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ChasquiConfig } from '../config';
import { ChasquiFunction } from './chasqui-function';
import type { Database } from './database';

/** SQS caps a message move task at 500 messages per second. */
const MAX_MOVE_RATE = 500;

export interface RedriveProps {
  readonly config: ChasquiConfig;
  readonly database: Database;
  readonly stateTable: dynamodb.ITable;
  /** The queue messages are moved back to. */
  readonly sourceQueue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** The "DLQ not empty" alarm; the function reads its state before starting a move. */
  readonly deadLetterAlarm: cloudwatch.IAlarm;
  /**
   * How often the function looks at the DLQ.
   * @default Duration.minutes(15)
   */
  readonly interval?: Duration;
}

/**
 * Moves messages from the processing DLQ back to the queue on a schedule (StartMessageMoveTask works for
 * FIFO since 2023-11, FACTS), up to a configured number of times per message.
 */
export class Redrive extends Construct {
  public readonly redriveFunction: ChasquiFunction;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: RedriveProps) {
    super(scope, id);
    const { config } = props;
    const rate = config.redrive.maxMessagesPerSecond;
    if (!Number.isInteger(rate) || rate < 1 || rate > MAX_MOVE_RATE) {
      throw new Error(
        `Redrive: maxMessagesPerSecond must be a whole number in 1–${MAX_MOVE_RATE}, got ${rate}`,
      );
    }

    this.redriveFunction = new ChasquiFunction(this, 'Function', {
      name: 'redrive',
      config,
      vpc: props.database.vpc,
      environment: {
        STATE_TABLE_NAME: props.stateTable.tableName,
        DLQ_ARN: props.deadLetterQueue.queueArn,
        SOURCE_QUEUE_ARN: props.sourceQueue.queueArn,
        DLQ_ALARM_NAME: props.deadLetterAlarm.alarmName,
        MAX_REDRIVES: String(config.redrive.maxRedrives),
        REDRIVE_MAX_PER_SECOND: String(rate),
      },
    });
    props.database.connect(this.redriveFunction);
    props.stateTable.grantReadWriteData(this.redriveFunction);
    props.deadLetterQueue.grant(
      this.redriveFunction,
      'sqs:StartMessageMoveTask',
      'sqs:ListMessageMoveTasks',
      'sqs:CancelMessageMoveTask',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    );
    props.sourceQueue.grantSendMessages(this.redriveFunction);
    iam.Grant.addToPrincipal({
      grantee: this.redriveFunction,
      actions: ['cloudwatch:DescribeAlarms'],
      resourceArns: [props.deadLetterAlarm.alarmArn],
    });

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Chasqui: look at the processing DLQ and redrive what may be retried',
      schedule: events.Schedule.rate(props.interval ?? Duration.minutes(15)),
      // The next tick retries anyway; a retried overlapping run would only find the move task active.
      targets: [new targets.LambdaFunction(this.redriveFunction, { retryAttempts: 0 })],
    });
  }
}
