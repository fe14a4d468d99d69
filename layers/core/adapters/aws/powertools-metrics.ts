import { type Metrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as PowertoolsMetricUnit } from '@aws-lambda-powertools/metrics/types';
import { METRIC_CATALOG } from '../../observability/metric-catalog';
import type { MetricName } from '../../observability/metric-names';
import type { MetricDimensions, MetricsPort, MetricUnit } from '../../ports/metrics';

const units: Record<MetricUnit, PowertoolsMetricUnit> = {
  Count: PowertoolsUnit.Count,
  Milliseconds: PowertoolsUnit.Milliseconds,
  Bytes: PowertoolsUnit.Bytes,
  None: PowertoolsUnit.NoUnit,
};

/**
 * CloudWatch EMF through Powertools: metrics with their own dimensions go out as single metrics, with
 * a `service`-only dimension set too when the catalogue asks for a rollup.
 */
export class PowertoolsMetrics implements MetricsPort {
  constructor(private readonly metrics: Metrics) {}

  add(name: MetricName, unit: MetricUnit, value: number, dimensions?: MetricDimensions): void {
    if (!dimensions || Object.keys(dimensions).length === 0) {
      this.metrics.addMetric(name, units[unit], value);
      return;
    }
    const single = this.metrics.singleMetric();
    for (const [key, dimensionValue] of Object.entries(dimensions)) single.addDimension(key, dimensionValue);
    // An empty dimension set serialises as `service` alone: the same data point, summed over every value.
    if (METRIC_CATALOG[name].rollup) single.addDimensions({});
    single.addMetric(name, units[unit], value);
  }

  flush(): void {
    // Dimensioned metrics were printed as they came; with nothing else stored, publishing would only log
    // a "no application metrics" warning on every such invocation.
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}
