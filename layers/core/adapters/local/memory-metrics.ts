import type { MetricName } from '../../observability/metric-names';
import type { MetricDimensions, MetricsPort, MetricUnit } from '../../ports/metrics';

export interface RecordedMetric {
  name: MetricName;
  unit: MetricUnit;
  value: number;
  dimensions: MetricDimensions;
  at: number;
}

/** Keeps the most recent data points in memory for the local dashboard and for tests. */
export class MemoryMetrics implements MetricsPort {
  private readonly points: RecordedMetric[] = [];

  constructor(private readonly capacity = 50_000) {}

  add(name: MetricName, unit: MetricUnit, value: number, dimensions: MetricDimensions = {}): void {
    this.points.push({ name, unit, value, dimensions, at: Date.now() });
    // Trimming in chunks keeps `add` O(1) amortised; trimming one point per add would shift the whole array.
    if (this.points.length > this.capacity * 1.5) this.points.splice(0, this.points.length - this.capacity);
  }

  flush(): void {}

  recorded(name?: MetricName): readonly RecordedMetric[] {
    return name === undefined ? this.points : this.points.filter((point) => point.name === name);
  }

  total(name: MetricName, dimensions: MetricDimensions = {}): number {
    return this.recorded(name)
      .filter((point) => Object.entries(dimensions).every(([key, value]) => point.dimensions[key] === value))
      .reduce((sum, point) => sum + point.value, 0);
  }
}
