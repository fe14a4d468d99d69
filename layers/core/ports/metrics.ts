import type { MetricName } from '../observability/metric-names';

export type MetricUnit = 'Count' | 'Milliseconds' | 'Bytes' | 'None';
/** Low-cardinality only (type, reason, provider, model): never a user or a phone number. */
export type MetricDimensions = Readonly<Record<string, string>>;

export interface MetricsPort {
  add(name: MetricName, unit: MetricUnit, value: number, dimensions?: MetricDimensions): void;
  /** Writes what was recorded (EMF on Lambda); called once at the end of an invocation. */
  flush(): void;
}
