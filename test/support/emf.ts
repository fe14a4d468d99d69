import { Metrics } from '@aws-lambda-powertools/metrics';
import { PowertoolsMetrics } from '../../layers/core/adapters/aws/powertools-metrics';
import {
  type EmittingFunction,
  METRIC_CATALOG,
  metricsNamespaceOf,
  serviceNameOf,
} from '../../layers/core/observability/metric-catalog';
import type { MetricName } from '../../layers/core/observability/metric-names';

export const EMF_STAGE = 'test';

/** One CloudWatch embedded metric format document, as Powertools prints it. */
interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** How a function emitted one metric: its unit and every dimension set (names sorted). */
export interface EmittedMetric {
  readonly units: Set<string>;
  readonly dimensionSets: Set<string>;
}

/**
 * Real Powertools Metrics for `fn`, configured as the CDK configures the function (namespace of the
 * stage, service name), with everything it prints to stdout captured: the EMF documents CloudWatch
 * would turn into metrics.
 */
export const captureEmf = (fn: EmittingFunction) => {
  const printed: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  const metrics = new PowertoolsMetrics(
    new Metrics({ namespace: metricsNamespaceOf(EMF_STAGE), serviceName: serviceNameOf(fn) }),
  );
  const documents = (): EmfDocument[] =>
    printed
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((document): document is EmfDocument => '_aws' in document);
  return { metrics, documents, restore: () => spy.mockRestore() };
};

/** Every metric in the documents, by name, with its units and dimension sets. */
export const emittedMetrics = (documents: readonly EmfDocument[]): Map<string, EmittedMetric> => {
  const emitted = new Map<string, EmittedMetric>();
  for (const document of documents) {
    for (const directive of document._aws.CloudWatchMetrics) {
      for (const { Name, Unit } of directive.Metrics) {
        const entry = emitted.get(Name) ?? { units: new Set<string>(), dimensionSets: new Set<string>() };
        entry.units.add(Unit);
        for (const set of directive.Dimensions) entry.dimensionSets.add([...set].sort().join(','));
        emitted.set(Name, entry);
      }
    }
  }
  return emitted;
};

/**
 * What is wrong with the documents `fn` printed, against the catalogue: a namespace other than the
 * stage's, a service other than the function's, a metric the catalogue does not give this function,
 * another unit or other dimensions, or a dimension value that looks like a phone number.
 */
export const catalogueProblems = (fn: EmittingFunction, documents: readonly EmfDocument[]): string[] => {
  const problems: string[] = [];
  for (const document of documents) {
    for (const directive of document._aws.CloudWatchMetrics) {
      if (directive.Namespace !== metricsNamespaceOf(EMF_STAGE))
        problems.push(`namespace ${directive.Namespace}`);
      for (const set of directive.Dimensions) {
        for (const key of set) {
          const value = document[key];
          if (typeof value !== 'string') problems.push(`dimension ${key} has no value`);
          else if (/\d{7,}/.test(value)) problems.push(`dimension ${key}=${value} looks like a phone number`);
        }
      }
    }
    if (document.service !== serviceNameOf(fn)) problems.push(`service ${String(document.service)}`);
  }
  for (const [name, { units, dimensionSets }] of emittedMetrics(documents)) {
    const spec = METRIC_CATALOG[name as MetricName] as (typeof METRIC_CATALOG)[MetricName] | undefined;
    if (!spec) {
      problems.push(`${name} is not in the catalogue`);
      continue;
    }
    if (!spec.emittedBy.includes(fn)) problems.push(`${name} is not the ${fn} function's`);
    if ([...units].join() !== spec.unit) problems.push(`${name} in ${[...units].join()}, not ${spec.unit}`);
    const expected = new Set([['service', ...spec.dimensions].sort().join(',')]);
    if (spec.rollup) expected.add('service');
    const sets = [...dimensionSets].sort().join(' | ');
    if (sets !== [...expected].sort().join(' | '))
      problems.push(`${name} with [${sets}], catalogue [${[...expected].join(' | ')}]`);
  }
  return problems;
};

/** The metrics the catalogue gives `fn`. */
export const catalogueOf = (fn: EmittingFunction): string[] =>
  Object.entries(METRIC_CATALOG)
    .filter(([, spec]) => spec.emittedBy.includes(fn))
    .map(([name]) => name)
    .sort();
