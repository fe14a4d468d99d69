import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type EmittingFunction,
  METRIC_CATALOG,
  metricsNamespaceOf,
  serviceNameOf,
} from '../../layers/core/observability/metric-catalog';
import { type MetricName, MetricNames } from '../../layers/core/observability/metric-names';
import type { ChasquiConfig } from '../config';
import type { ChasquiFunction } from './chasqui-function';

export interface ObservabilityProps {
  readonly config: ChasquiConfig;
  readonly processingQueue: sqs.IQueue;
  readonly processingDeadLetterQueue: sqs.IQueue;
  /** Where reminder invocations go after Lambda's async retries. */
  readonly schedulerDeadLetterQueue: sqs.IQueue;
}

interface AppMetricOptions {
  readonly statistic: string;
  readonly period: Duration;
  /** Values for every dimension of the metric's catalogue entry; none for a rollup. */
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly label?: string;
}

interface AppSearchOptions {
  readonly statistic: string;
  readonly period: Duration;
  /** Only the data points of this function, for a metric several functions emit. */
  readonly emittedBy?: EmittingFunction;
  readonly label?: string;
}

const sameNames = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * The application's metrics, named and dimensioned as the catalogue says the code emits them:
 * a widget or alarm that asks for anything else fails the synth.
 */
class AppMetrics {
  constructor(private readonly namespace: string) {}

  /** One time series: the catalogue's dimensions with given values, or the `service`-only rollup. */
  metric(name: MetricName, emittedBy: EmittingFunction, options: AppMetricOptions): cloudwatch.Metric {
    const spec = METRIC_CATALOG[name];
    const dimensions = options.dimensions ?? {};
    const names = Object.keys(dimensions);
    const rollup = names.length === 0 && spec.rollup === true;
    if (!spec.emittedBy.includes(emittedBy))
      throw new Error(`Observability: ${name} is not emitted by the ${emittedBy} function`);
    if (!rollup && !sameNames(names, spec.dimensions))
      throw new Error(`Observability: ${name} is emitted with dimensions [${spec.dimensions.join(', ')}]`);
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { service: serviceNameOf(emittedBy), ...dimensions },
      statistic: options.statistic,
      period: options.period,
      ...(options.label && { label: options.label }),
    });
  }

  /** Every time series of a metric, one per value of its dimensions (e.g. per model), found by SEARCH. */
  search(name: MetricName, options: AppSearchOptions): cloudwatch.SearchExpression {
    const schema = ['service', ...METRIC_CATALOG[name].dimensions].sort().join(',');
    const service = options.emittedBy ? ` service="${serviceNameOf(options.emittedBy)}"` : '';
    return new cloudwatch.SearchExpression({
      // Quoted: a namespace with a hyphen is not a bare word in SEARCH's schema syntax.
      expression: `SEARCH('{"${this.namespace}",${schema}} MetricName="${name}"${service}', '${options.statistic}', ${options.period.toSeconds()})`,
      period: options.period,
      label: options.label ?? '',
    });
  }
}

const HOUR = Duration.hours(1);
const DAY = Duration.days(1);
const FIVE_MINUTES = Duration.minutes(5);
const PERCENTILES = ['p50', 'p95', 'p99'] as const;
/** Days a month projection multiplies the average daily spend by. */
const PROJECTION_DAYS = 30;

/**
 * Where the operators see cost and latency and hear about trouble: an encrypted alarm topic, the
 * alarms that publish to it, and two dashboards (cost, latency). Every application metric is taken
 * from the catalogue the code emits by (`layers/core/observability/metric-catalog.ts`).
 */
export class Observability extends Construct {
  /** Subscribe operators (email, chat) to this topic after deploy. */
  public readonly alarmTopic: sns.Topic;
  /** A customer managed key: CloudWatch cannot publish to a topic under the AWS managed `aws/sns` key. */
  public readonly alarmTopicKey: kms.Key;
  /** Any visible message means a conversation stopped; the redrive function reads this alarm's state. */
  public readonly processingDlqAlarm: cloudwatch.Alarm;
  /** A reminder invocation failed through Lambda's retries. */
  public readonly schedulerDlqAlarm: cloudwatch.Alarm;
  /** The processor is falling behind the queue. */
  public readonly queueAgeAlarm: cloudwatch.Alarm;
  /** Users wait longer than the environment's target for answers. */
  public readonly turnLatencyAlarm: cloudwatch.Alarm;
  /** LLM spend in the last 24 hours nears the environment's daily budget. */
  public readonly dailySpendAlarm: cloudwatch.Alarm;
  /** Sent reminders arrive later than the environment allows. */
  public readonly reminderLatenessAlarm: cloudwatch.Alarm;
  /** A message was redriven too often and now waits for a human in `dead_letters`. */
  public readonly redriveParkedAlarm: cloudwatch.Alarm;
  /** Lambda errors as a share of invocations, by function; filled by {@link watchFunctions}. */
  public readonly functionErrorAlarms: Record<string, cloudwatch.Alarm> = {};
  public readonly costDashboard: cloudwatch.Dashboard;
  public readonly latencyDashboard: cloudwatch.Dashboard;

  private readonly metrics: AppMetrics;
  private readonly config: ChasquiConfig;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config } = props;
    this.config = config;
    this.metrics = new AppMetrics(metricsNamespaceOf(config.envName));

    this.alarmTopicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Chasqui alarm topic',
      enableKeyRotation: true,
      removalPolicy: config.logs.removalPolicy,
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
      config.alarms.processingDlqVisibleMessages,
      'Messages the processor gave up on are waiting in the processing DLQ',
    );
    this.schedulerDlqAlarm = this.alarmWhenQueueHasMessages(
      'SchedulerDlqNotEmpty',
      props.schedulerDeadLetterQueue,
      0,
      'Reminder invocations failed through their retries and wait in the scheduler DLQ',
    );
    this.queueAgeAlarm = this.notify(
      new cloudwatch.Alarm(this, 'QueueAgeHigh', {
        alarmDescription: `The oldest message in the processing queue is over ${config.alarms.queueAgeSeconds} s old`,
        metric: props.processingQueue.metricApproximateAgeOfOldestMessage({
          period: FIVE_MINUTES,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: config.alarms.queueAgeSeconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.turnLatencyAlarm = this.notify(
      new cloudwatch.Alarm(this, 'TurnLatencyHigh', {
        alarmDescription: `p95 of the end-to-end turn is over ${config.alarms.turnP95Ms} ms`,
        metric: this.metrics.metric(MetricNames.turnLatency, 'processor', {
          statistic: 'p95',
          period: FIVE_MINUTES,
        }),
        threshold: config.alarms.turnP95Ms,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        // Two slow windows out of three: one slow provider minute is not a page.
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    const spendThreshold = config.llm.dailyBudgetUsd * config.alarms.dailySpendAlarmRatio;
    this.dailySpendAlarm = this.notify(
      new cloudwatch.Alarm(this, 'DailySpendHigh', {
        alarmDescription:
          `Model spend in the last 24 h reached $${spendThreshold} of the $${config.llm.dailyBudgetUsd} daily ` +
          'budget; at the budget the assistant answers with the offline planner only',
        metric: this.metrics.metric(MetricNames.llmCostUsd, 'processor', {
          statistic: cloudwatch.Stats.SUM,
          period: DAY,
        }),
        threshold: spendThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.reminderLatenessAlarm = this.notify(
      new cloudwatch.Alarm(this, 'ReminderLate', {
        alarmDescription: `A reminder was sent more than ${config.alarms.reminderLatenessSeconds} s after its time`,
        metric: this.metrics.metric(MetricNames.reminderLateness, 'reminder', {
          statistic: cloudwatch.Stats.MAXIMUM,
          period: Duration.minutes(15),
          dimensions: { outcome: 'sent' },
        }),
        threshold: config.alarms.reminderLatenessSeconds * 1000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.redriveParkedAlarm = this.alarmOnCount(
      'RedriveParked',
      this.metrics.metric(MetricNames.redriveParked, 'redrive', {
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(15),
      }),
      'A message was redriven too many times and is parked in dead_letters for a human',
    );

    const stackName = Stack.of(this).stackName;
    this.costDashboard = new cloudwatch.Dashboard(this, 'CostDashboard', {
      dashboardName: `${stackName}-cost`,
      defaultInterval: Duration.days(7),
    });
    this.costDashboard.addWidgets(...this.costWidgets(config));
    this.latencyDashboard = new cloudwatch.Dashboard(this, 'LatencyDashboard', {
      dashboardName: `${stackName}-latency`,
      defaultInterval: Duration.hours(24),
    });
    this.latencyDashboard.addWidgets(...this.latencyWidgets(config, props));
  }

  /**
   * Error-rate alarms and the Lambda row of the latency dashboard for these functions. Separate from
   * the constructor because the redrive function needs the DLQ alarm made there.
   */
  public watchFunctions(functions: readonly ChasquiFunction[]): void {
    const { errorRatePercent } = this.config.alarms;
    for (const fn of functions) {
      const rate = new cloudwatch.MathExpression({
        expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
        usingMetrics: {
          errors: fn.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
          invocations: fn.metricInvocations({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        },
        period: FIVE_MINUTES,
        label: `${fn.chasquiName} errors (%)`,
      });
      this.functionErrorAlarms[fn.chasquiName] = this.notify(
        new cloudwatch.Alarm(this, `${pascal(fn.chasquiName)}ErrorRate`, {
          alarmDescription: `Over ${errorRatePercent}% of ${fn.chasquiName} invocations failed`,
          metric: rate,
          threshold: errorRatePercent,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    const perFunction = (title: string, metricOf: (fn: ChasquiFunction) => cloudwatch.IMetric) =>
      new cloudwatch.GraphWidget({ title, width: 6, left: functions.map(metricOf) });
    this.latencyDashboard.addWidgets(
      perFunction('Lambda duration p95 (ms)', (fn) =>
        fn.metricDuration({ statistic: 'p95', period: FIVE_MINUTES, label: fn.chasquiName }),
      ),
      perFunction('Lambda errors', (fn) =>
        fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES, label: fn.chasquiName }),
      ),
      perFunction('Lambda throttles', (fn) =>
        fn.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES, label: fn.chasquiName }),
      ),
      perFunction('Lambda concurrency (max)', (fn) =>
        fn.metric('ConcurrentExecutions', {
          statistic: cloudwatch.Stats.MAXIMUM,
          period: FIVE_MINUTES,
          label: fn.chasquiName,
        }),
      ),
    );
    this.latencyDashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        alarms: [
          this.processingDlqAlarm,
          this.schedulerDlqAlarm,
          this.queueAgeAlarm,
          this.turnLatencyAlarm,
          this.dailySpendAlarm,
          this.reminderLatenessAlarm,
          this.redriveParkedAlarm,
          ...Object.values(this.functionErrorAlarms),
        ],
      }),
    );
  }

  private costWidgets(config: ChasquiConfig): cloudwatch.IWidget[] {
    const m = this.metrics;
    const daily = (name: MetricName) => m.metric(name, 'processor', { statistic: 'Sum', period: DAY });
    const spend = (period: Duration, label: string) =>
      new cloudwatch.MathExpression({
        expression: 'FILL(llm, 0) + FILL(whatsapp, 0)',
        usingMetrics: {
          llm: daily(MetricNames.llmCostUsd),
          whatsapp: daily(MetricNames.whatsappMessageCostUsd),
        },
        period,
        label,
      });
    const dailySpend = spend(DAY, 'Spend, last 24 h (USD)');
    return [
      new cloudwatch.TextWidget({
        width: 24,
        height: 2,
        markdown:
          `## Chasqui ${config.envName}: cost\nModel cost (chat, embeddings, transcription) is priced per ` +
          'call from the list prices in `layers/core/llm/prices.ts`; WhatsApp cost from the pricing Meta ' +
          'reports on delivery statuses. Per-user figures: the `cost_*` views in Postgres (migration 0012).',
      }),
      new cloudwatch.GraphWidget({
        title: 'LLM cost per hour by model (USD)',
        width: 12,
        stacked: true,
        left: [m.search(MetricNames.llmCostUsd, { statistic: 'Sum', period: HOUR })],
      }),
      new cloudwatch.GraphWidget({
        title: 'LLM cost per day by model (USD)',
        width: 12,
        stacked: true,
        left: [m.search(MetricNames.llmCostUsd, { statistic: 'Sum', period: DAY })],
        leftAnnotations: [{ label: 'Daily budget', value: config.llm.dailyBudgetUsd }],
      }),
      new cloudwatch.GraphWidget({
        title: 'WhatsApp cost per day by category (USD)',
        width: 12,
        stacked: true,
        left: [m.search(MetricNames.whatsappMessageCostUsd, { statistic: 'Sum', period: DAY })],
      }),
      new cloudwatch.GraphWidget({
        title: 'WhatsApp messages sent per day by kind',
        width: 12,
        stacked: true,
        left: [m.search(MetricNames.whatsappMessagesSent, { statistic: 'Sum', period: DAY })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Cost per active user per day (USD)',
        width: 8,
        left: [
          new cloudwatch.MathExpression({
            expression: 'spend / users',
            usingMetrics: { spend: dailySpend, users: daily(MetricNames.activeUsers) },
            period: DAY,
            label: 'USD per active user',
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Active users per day',
        width: 8,
        left: [daily(MetricNames.activeUsers)],
      }),
      new cloudwatch.SingleValueWidget({
        title: `Spend and month projection (${PROJECTION_DAYS} × daily average of the last 7 days)`,
        width: 8,
        start: '-P7D',
        period: DAY,
        metrics: [
          dailySpend,
          new cloudwatch.MathExpression({
            expression: `${PROJECTION_DAYS} * AVG(spend)`,
            usingMetrics: { spend: spend(DAY, 'Daily spend (USD)') },
            period: DAY,
            label: 'Month projection (USD)',
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Tokens per hour by model and kind',
        width: 12,
        stacked: true,
        left: [m.search(MetricNames.llmTokens, { statistic: 'Sum', period: HOUR })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Turns answered by the offline planner, by reason (budget, outages)',
        width: 12,
        left: [m.search(MetricNames.llmFallbackAnswers, { statistic: 'Sum', period: HOUR })],
      }),
    ];
  }

  private latencyWidgets(config: ChasquiConfig, props: ObservabilityProps): cloudwatch.IWidget[] {
    const m = this.metrics;
    const percentiles = (name: MetricName, emittedBy: EmittingFunction) =>
      PERCENTILES.map((statistic) =>
        m.metric(name, emittedBy, { statistic, period: FIVE_MINUTES, label: statistic }),
      );
    const sum = (name: MetricName, emittedBy?: EmittingFunction) =>
      m.search(name, { statistic: 'Sum', period: FIVE_MINUTES, ...(emittedBy && { emittedBy }) });
    return [
      new cloudwatch.GraphWidget({
        title: 'Webhook ACK latency (ms)',
        width: 12,
        left: percentiles(MetricNames.webhookAckLatency, 'ingress'),
      }),
      new cloudwatch.GraphWidget({
        title: 'End-to-end turn latency (ms)',
        width: 12,
        left: percentiles(MetricNames.turnLatency, 'processor'),
        leftAnnotations: [{ label: 'p95 target', value: config.alarms.turnP95Ms }],
      }),
      new cloudwatch.GraphWidget({
        title: 'LLM call latency p95 by provider and model (ms)',
        width: 8,
        left: [m.search(MetricNames.llmCallLatency, { statistic: 'p95', period: FIVE_MINUTES })],
      }),
      new cloudwatch.GraphWidget({
        title: 'LLM errors by provider, model and reason',
        width: 8,
        left: [sum(MetricNames.llmCallErrors)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Circuit breakers: state changes and store errors',
        width: 8,
        left: [sum(MetricNames.llmBreakerTransitions), sum(MetricNames.llmBreakerStoreErrors)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Queue age (s): oldest message; record age p95 at pickup (ms, right)',
        width: 8,
        left: [
          props.processingQueue.metricApproximateAgeOfOldestMessage({
            period: FIVE_MINUTES,
            statistic: cloudwatch.Stats.MAXIMUM,
            label: 'oldest message (s)',
          }),
        ],
        right: [
          m.metric(MetricNames.queueMessageAge, 'processor', {
            statistic: 'p95',
            period: FIVE_MINUTES,
            label: 'record age p95 (ms)',
          }),
        ],
        leftAnnotations: [{ label: 'alarm', value: config.alarms.queueAgeSeconds }],
      }),
      new cloudwatch.GraphWidget({
        title: 'DLQ depth',
        width: 8,
        left: [
          props.processingDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: cloudwatch.Stats.MAXIMUM,
            label: 'processing DLQ',
          }),
          props.schedulerDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: cloudwatch.Stats.MAXIMUM,
            label: 'scheduler DLQ',
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Queue records by kind and outcome',
        width: 8,
        left: [sum(MetricNames.processorEvents)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Webhook events accepted by type; requests rejected by reason; duplicates',
        width: 8,
        left: [
          sum(MetricNames.webhookEventsAccepted),
          sum(MetricNames.webhookRequestsRejected),
          m.metric(MetricNames.webhookDuplicatesDropped, 'ingress', {
            statistic: 'Sum',
            period: FIVE_MINUTES,
            label: 'duplicates dropped',
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Tool calls by tool and status',
        width: 8,
        left: [sum(MetricNames.toolCalls)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Delivery statuses by outcome; redeliveries already answered',
        width: 8,
        left: [
          sum(MetricNames.statusUpdates),
          m.metric(MetricNames.processorDuplicatesSkipped, 'processor', {
            statistic: 'Sum',
            period: FIVE_MINUTES,
            label: 'redeliveries skipped',
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Voice notes and photos; consent, erasure and handoff commands; memories embedded',
        width: 8,
        left: [
          sum(MetricNames.mediaMessages),
          sum(MetricNames.privacyCommands),
          sum(MetricNames.memoriesEmbedded),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Reminders fired by outcome',
        width: 8,
        left: [sum(MetricNames.remindersFired)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Reminder lateness by outcome, max (ms)',
        width: 8,
        left: [m.search(MetricNames.reminderLateness, { statistic: 'Maximum', period: FIVE_MINUTES })],
        leftAnnotations: [{ label: 'alarm', value: config.alarms.reminderLatenessSeconds * 1000 }],
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead letters by source; redrives',
        width: 8,
        left: [
          sum(MetricNames.deadLetters),
          sum(MetricNames.redriveMessages),
          sum(MetricNames.redriveHeld),
          m.metric(MetricNames.redriveParked, 'redrive', {
            statistic: 'Sum',
            period: FIVE_MINUTES,
            label: 'parked',
          }),
        ],
      }),
    ];
  }

  private notify(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    return alarm;
  }

  /** An alarm, notifying the topic, whenever a count metric records at least one event. */
  public alarmOnCount(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    return this.notify(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** An alarm, notifying the topic, when more than `threshold` messages are visible in `queue`. */
  public alarmWhenQueueHasMessages(
    id: string,
    queue: sqs.IQueue,
    threshold: number,
    description: string,
  ): cloudwatch.Alarm {
    const alarm = this.notify(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    alarm.addOkAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    return alarm;
  }
}

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);
