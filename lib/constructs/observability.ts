import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MetricNames } from '../../layers/core/observability/metric-names';
import type { ChasquiConfig } from '../config';

export interface ObservabilityProps {
  readonly config: ChasquiConfig;
  readonly processingDeadLetterQueue: sqs.IQueue;
}

/**
 * Where the operators hear about trouble: an encrypted alarm topic and the alarms that publish to it.
 * Dashboards and further alarms belong here too.
 */
export class Observability extends Construct {
  /** Subscribe operators (email, chat) to this topic after deploy. */
  public readonly alarmTopic: sns.Topic;
  /** A customer managed key: CloudWatch cannot publish to a topic under the AWS managed `aws/sns` key. */
  public readonly alarmTopicKey: kms.Key;
  /** Any visible message means a conversation stopped; the redrive function reads this alarm's state. */
  public readonly processingDlqAlarm: cloudwatch.Alarm;
  /** A message was redriven too often and now waits for a human in `dead_letters`. */
  public readonly redriveParkedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);

    this.alarmTopicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Chasqui alarm topic',
      enableKeyRotation: true,
      removalPolicy: props.config.logs.removalPolicy,
    });
    this.alarmTopicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      masterKey: this.alarmTopicKey,
      enforceSSL: true,
    });

    this.processingDlqAlarm = this.alarmWhenQueueHasMessages(
      'ProcessingDlqNotEmpty',
      props.processingDeadLetterQueue,
      props.config.alarms.processingDlqVisibleMessages,
      'Messages the processor gave up on are waiting in the processing DLQ',
    );
    this.redriveParkedAlarm = this.alarmOnCount(
      'RedriveParked',
      new cloudwatch.Metric({
        namespace: `Chasqui-${props.config.envName}`,
        metricName: MetricNames.redriveParked,
        // Powertools Metrics adds the emitting function's service name as a dimension.
        dimensionsMap: { service: 'chasqui-redrive' },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(15),
      }),
      'A message was redriven too many times and is parked in dead_letters for a human',
    );
  }

  /** An alarm, notifying the topic, whenever a count metric records at least one event. */
  public alarmOnCount(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    return alarm;
  }

  /** An alarm, notifying the topic, when more than `threshold` messages are visible in `queue`. */
  public alarmWhenQueueHasMessages(
    id: string,
    queue: sqs.IQueue,
    threshold: number,
    description: string,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    alarm.addOkAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    return alarm;
  }
}
