/**
 * Every metric the code emits, named once. Dashboards and alarms in `lib/` import these
 * names, so a widget can never point at a metric nobody writes.
 */
export const MetricNames = {
  webhookAckLatency: 'WebhookAckLatency',
  webhookEventsAccepted: 'WebhookEventsAccepted',
  webhookDuplicatesDropped: 'WebhookDuplicatesDropped',
  webhookRequestsRejected: 'WebhookRequestsRejected',
} as const;

export type MetricName = (typeof MetricNames)[keyof typeof MetricNames];
