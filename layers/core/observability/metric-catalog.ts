import type { MetricUnit } from '../ports/metrics';
import { type MetricName, MetricNames } from './metric-names';

/** The functions that emit metrics (the migrate function emits none). */
export type EmittingFunction = 'ingress' | 'processor' | 'reminder' | 'redrive';

/**
 * The `service` dimension Powertools adds to every metric: the function's POWERTOOLS_SERVICE_NAME,
 * which the CDK sets from this too.
 */
export const serviceNameOf = (fn: string): string => `chasqui-${fn}`;

/** CloudWatch namespace of one environment: every function of a stage writes to the same one. */
export const metricsNamespaceOf = (stage: string): string => `Chasqui-${stage}`;

export interface MetricSpec {
  readonly unit: MetricUnit;
  /**
   * The dimension names it is emitted with, besides `service`. CloudWatch identifies a metric by
   * its full set of dimensions, so a dashboard must name exactly these; values stay low-cardinality.
   */
  readonly dimensions: readonly string[];
  readonly emittedBy: readonly EmittingFunction[];
  /**
   * Also published with `service` alone (an EMF dimension rollup of the same data point), so an
   * alarm can watch the total over every dimension value, e.g. spend over every model.
   */
  readonly rollup?: boolean;
}

const spec = (
  unit: MetricUnit,
  dimensions: readonly string[],
  emittedBy: readonly EmittingFunction[],
  rollup = false,
): MetricSpec => ({ unit, dimensions, emittedBy, ...(rollup && { rollup }) });

/**
 * How each metric is emitted: unit, dimensions and functions. The EMF tests check each function's
 * output against this, and the infra tests check every dashboard widget and alarm against it.
 */
export const METRIC_CATALOG: Readonly<Record<MetricName, MetricSpec>> = {
  [MetricNames.webhookAckLatency]: spec('Milliseconds', [], ['ingress']),
  [MetricNames.webhookEventsAccepted]: spec('Count', ['type'], ['ingress']),
  [MetricNames.webhookDuplicatesDropped]: spec('Count', [], ['ingress']),
  [MetricNames.webhookRequestsRejected]: spec('Count', ['reason'], ['ingress']),
  [MetricNames.llmCallLatency]: spec('Milliseconds', ['provider', 'model', 'outcome'], ['processor']),
  [MetricNames.llmCallErrors]: spec('Count', ['provider', 'model', 'reason'], ['processor']),
  [MetricNames.llmTokens]: spec('Count', ['provider', 'model', 'kind'], ['processor']),
  [MetricNames.llmCostUsd]: spec('None', ['provider', 'model'], ['processor'], true),
  [MetricNames.llmFallbackAnswers]: spec('Count', ['reason'], ['processor']),
  [MetricNames.llmBreakerTransitions]: spec('Count', ['provider', 'state'], ['processor']),
  [MetricNames.llmBreakerStoreErrors]: spec('Count', ['provider', 'operation'], ['processor']),
  [MetricNames.processorEvents]: spec('Count', ['kind', 'outcome'], ['processor']),
  [MetricNames.queueMessageAge]: spec('Milliseconds', [], ['processor']),
  [MetricNames.turnLatency]: spec('Milliseconds', [], ['processor']),
  [MetricNames.activeUsers]: spec('Count', [], ['processor']),
  [MetricNames.toolCalls]: spec('Count', ['tool', 'status'], ['processor']),
  [MetricNames.whatsappMessagesSent]: spec('Count', ['kind'], ['processor', 'reminder']),
  [MetricNames.whatsappMessageCostUsd]: spec('None', ['category'], ['processor'], true),
  [MetricNames.mediaMessages]: spec('Count', ['kind', 'outcome'], ['processor']),
  [MetricNames.privacyCommands]: spec('Count', ['command'], ['processor']),
  [MetricNames.memoriesEmbedded]: spec('Count', ['outcome'], ['processor']),
  [MetricNames.statusUpdates]: spec('Count', ['outcome'], ['processor']),
  [MetricNames.processorDuplicatesSkipped]: spec('Count', [], ['processor']),
  [MetricNames.deadLetters]: spec('Count', ['source'], ['processor', 'reminder']),
  [MetricNames.remindersFired]: spec('Count', ['outcome'], ['reminder']),
  [MetricNames.reminderLateness]: spec('Milliseconds', ['outcome'], ['reminder']),
  [MetricNames.redriveParked]: spec('Count', [], ['redrive']),
  [MetricNames.redriveMessages]: spec('Count', ['trigger'], ['redrive']),
  [MetricNames.redriveHeld]: spec('Count', ['trigger', 'reason'], ['redrive']),
};
