import { configFor, type EnvironmentName } from '../../lib/config';
import {
  METRIC_CATALOG,
  metricsNamespaceOf,
  serviceNameOf,
} from '../../layers/core/observability/metric-catalog';
import { type MetricName, MetricNames } from '../../layers/core/observability/metric-names';
import { logicalIdOf, resourcesOfType, type Synthesized, synthesize } from './support';

/** One metric a widget or alarm reads: its namespace, name and dimensions (values, when fixed). */
interface MetricReference {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string | undefined>>;
  readonly where: string;
}

/** A dashboard body with its CloudFormation tokens (region, queue names) replaced by a placeholder. */
const dashboardBody = (dashboard: { Properties: Record<string, unknown> }): DashboardBody => {
  const body = dashboard.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text) as DashboardBody;
};

interface DashboardBody {
  widgets: {
    type: string;
    properties: { title?: string; metrics?: unknown[][]; alarms?: string[]; view?: string };
  }[];
}

const SEARCH =
  /^SEARCH\('\{"([^"]+)",([^}]+)\} MetricName="([^"]+)"(?: service="([^"]+)")?', '[^']+', \d+\)$/;

/** Every metric the dashboard's widgets read: plain metric rows and the metrics SEARCH expressions find. */
const referencesOf = (body: DashboardBody): MetricReference[] =>
  body.widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).flatMap((row): MetricReference[] => {
      const where = widget.properties.title ?? widget.type;
      const [first] = row;
      if (typeof first === 'object' && first !== null && 'expression' in first) {
        const search = SEARCH.exec((first as { expression: string }).expression);
        if (!search) return []; // Metric math: its inputs are rows of their own.
        const [, namespace, schema, name, service] = search;
        const dimensions = Object.fromEntries(schema!.split(',').map((key) => [key, undefined]));
        return [{ namespace: namespace!, name: name!, dimensions: { ...dimensions, service }, where }];
      }
      const [namespace, name, ...rest] = row.filter((cell): cell is string => typeof cell === 'string');
      const dimensions: Record<string, string> = {};
      for (let index = 0; index + 1 < rest.length; index += 2) dimensions[rest[index]!] = rest[index + 1]!;
      return [{ namespace: namespace!, name: name!, dimensions, where }];
    }),
  );

/** Every metric the alarms read, from a plain metric or from the metrics of a math expression. */
const alarmReferences = (synthesized: Synthesized): MetricReference[] =>
  Object.entries(resourcesOfType(synthesized.template, 'AWS::CloudWatch::Alarm')).flatMap(([id, alarm]) => {
    const props = alarm.Properties as {
      Namespace?: string;
      MetricName?: string;
      Dimensions?: { Name: string; Value: string }[];
      Metrics?: { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: [] } } }[];
    };
    const asReference = (
      namespace: string,
      name: string,
      dimensions: { Name: string; Value: unknown }[] = [],
    ): MetricReference => ({
      namespace,
      name,
      dimensions: Object.fromEntries(
        dimensions.map((d) => [d.Name, typeof d.Value === 'string' ? d.Value : 'TOKEN']),
      ),
      where: id,
    });
    if (props.MetricName) return [asReference(props.Namespace!, props.MetricName, props.Dimensions)];
    return (props.Metrics ?? []).flatMap((metric) =>
      metric.MetricStat
        ? [
            asReference(
              metric.MetricStat.Metric.Namespace,
              metric.MetricStat.Metric.MetricName,
              metric.MetricStat.Metric.Dimensions,
            ),
          ]
        : [],
    );
  });

/**
 * The reference names a metric the code emits, with exactly the dimensions it is emitted with
 * (CloudWatch keys a metric by all of them), from a function that emits it. Returns what is wrong.
 */
const problemsOf = (reference: MetricReference, envName: EnvironmentName): string[] => {
  if (reference.namespace.startsWith('AWS/')) return [];
  if (reference.namespace !== metricsNamespaceOf(envName))
    return [`${reference.where}: namespace ${reference.namespace}`];
  const spec = METRIC_CATALOG[reference.name as MetricName] as
    (typeof METRIC_CATALOG)[MetricName] | undefined;
  if (!spec) return [`${reference.where}: ${reference.name} is not a metric the code emits`];
  const keys = Object.keys(reference.dimensions).sort().join();
  const emitted = ['service', ...spec.dimensions].sort().join();
  const problems: string[] = [];
  if (keys !== emitted && !(spec.rollup && keys === 'service'))
    problems.push(`${reference.where}: ${reference.name} with [${keys}], emitted with [${emitted}]`);
  const service = reference.dimensions.service;
  if (service !== undefined && !spec.emittedBy.map(serviceNameOf).includes(service))
    problems.push(`${reference.where}: ${reference.name} is not emitted by ${service}`);
  return problems;
};

describe('observability', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synthesize('dev');
    prod = synthesize('prod');
  });

  const dashboards = (synthesized: Synthesized) => {
    const all = resourcesOfType(synthesized.template, 'AWS::CloudWatch::Dashboard');
    const { costDashboard, latencyDashboard } = synthesized.stack.observability;
    return {
      all,
      cost: dashboardBody(all[logicalIdOf(costDashboard)]!),
      latency: dashboardBody(all[logicalIdOf(latencyDashboard)]!),
    };
  };

  it('synthesizes a cost dashboard and a latency dashboard', () => {
    // Act
    const { all, cost, latency } = dashboards(dev);

    // Assess
    expect(Object.keys(all)).toHaveLength(2);
    const titles = (body: DashboardBody) => body.widgets.map((widget) => widget.properties.title ?? '');
    expect(titles(cost)).toEqual(
      expect.arrayContaining([
        'LLM cost per hour by model (USD)',
        'LLM cost per day by model (USD)',
        'WhatsApp cost per day by category (USD)',
        'Cost per active user per day (USD)',
        expect.stringContaining('month projection'),
      ]),
    );
    expect(titles(latency)).toEqual(
      expect.arrayContaining([
        'Webhook ACK latency (ms)',
        'End-to-end turn latency (ms)',
        'LLM call latency p95 by provider and model (ms)',
        expect.stringContaining('Queue age'),
        'DLQ depth',
        'Lambda duration p95 (ms)',
        'Lambda errors',
        'Lambda throttles',
        'Lambda concurrency (max)',
      ]),
    );
  });

  it('every dashboard widget reads a metric the code emits, with the dimensions it is emitted with', () => {
    // Prepare
    const { cost, latency } = dashboards(dev);

    // Act
    const references = [...referencesOf(cost), ...referencesOf(latency)];

    // Assess
    expect(references.flatMap((reference) => problemsOf(reference, 'dev'))).toEqual([]);
    const shown = new Set(references.map((reference) => reference.name));
    expect(Object.values(MetricNames).filter((name) => !shown.has(name))).toEqual([]);
    expect([...shown]).toEqual(
      expect.arrayContaining([
        'ApproximateAgeOfOldestMessage',
        'ApproximateNumberOfMessagesVisible',
        'Duration',
        'Errors',
        'Throttles',
        'ConcurrentExecutions',
      ]),
    );
  });

  it('shows ACK and turn latency as p50, p95 and p99, and LLM cost per model for the hour and the day', () => {
    const { cost, latency } = dashboards(dev);
    const statsOf = (body: DashboardBody, name: string) =>
      body.widgets
        .flatMap((widget) => widget.properties.metrics ?? [])
        .filter((row) => row[1] === name)
        .map((row) => (row.at(-1) as { stat: string }).stat);
    expect(statsOf(latency, MetricNames.webhookAckLatency)).toEqual(['p50', 'p95', 'p99']);
    expect(statsOf(latency, MetricNames.turnLatency)).toEqual(['p50', 'p95', 'p99']);
    const searches = cost.widgets
      .flatMap((widget) => widget.properties.metrics ?? [])
      .map((row) => (row[0] as { expression?: string }).expression ?? '');
    expect(searches).toEqual(
      expect.arrayContaining([
        `SEARCH('{"Chasqui-dev",model,provider,service} MetricName="LlmCostUsd"', 'Sum', 3600)`,
        `SEARCH('{"Chasqui-dev",model,provider,service} MetricName="LlmCostUsd"', 'Sum', 86400)`,
      ]),
    );
  });

  it('every alarm reads a metric the code emits and notifies the alarm topic', () => {
    // Act
    const alarms = resourcesOfType(dev.template, 'AWS::CloudWatch::Alarm');

    // Assess
    expect(alarmReferences(dev).flatMap((reference) => problemsOf(reference, 'dev'))).toEqual([]);
    const topic = { Ref: logicalIdOf(dev.stack.observability.alarmTopic) };
    for (const alarm of Object.values(alarms)) expect(alarm.Properties.AlarmActions).toEqual([topic]);
  });

  it.each(['dev', 'prod'] as const)(
    'raises the %s alarms at the thresholds of its configuration',
    (envName) => {
      // Prepare
      const synthesized = envName === 'dev' ? dev : prod;
      const config = configFor(envName);
      const observability = synthesized.stack.observability;
      const alarms = resourcesOfType(synthesized.template, 'AWS::CloudWatch::Alarm');
      const alarm = (construct: Parameters<typeof logicalIdOf>[0]) =>
        alarms[logicalIdOf(construct)]!.Properties;

      // Assess
      expect(alarm(observability.processingDlqAlarm)).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: config.alarms.processingDlqVisibleMessages,
      });
      expect(alarm(observability.schedulerDlqAlarm)).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
      });
      expect(alarm(observability.queueAgeAlarm)).toMatchObject({
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: config.alarms.queueAgeSeconds,
      });
      expect(alarm(observability.turnLatencyAlarm)).toMatchObject({
        MetricName: MetricNames.turnLatency,
        ExtendedStatistic: 'p95',
        Threshold: config.alarms.turnP95Ms,
      });
      expect(alarm(observability.dailySpendAlarm)).toMatchObject({
        MetricName: MetricNames.llmCostUsd,
        Dimensions: [{ Name: 'service', Value: 'chasqui-processor' }],
        Statistic: 'Sum',
        Period: 86_400,
        Threshold: config.llm.dailyBudgetUsd * config.alarms.dailySpendAlarmRatio,
      });
      expect(alarm(observability.reminderLatenessAlarm)).toMatchObject({
        MetricName: MetricNames.reminderLateness,
        Threshold: config.alarms.reminderLatenessSeconds * 1000,
      });
      expect(Object.keys(observability.functionErrorAlarms).sort()).toEqual([
        'ingress',
        'processor',
        'redrive',
        'reminder',
      ]);
      for (const errorAlarm of Object.values(observability.functionErrorAlarms)) {
        expect(alarm(errorAlarm)).toMatchObject({ Threshold: config.alarms.errorRatePercent });
      }
    },
  );
});
