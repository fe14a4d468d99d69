/** What `GET /local/dashboard/data` answers: the local stack's cost (database) and latency (metrics). */
export interface DashboardData {
  /** ISO time the figures were read. */
  generatedAt: string;
  cost: CostFigures;
  latency: LatencyFigures;
  counters: Counters;
}

/** USD. Days and months are UTC, as on the CloudWatch cost dashboard and in the budget check. */
export interface CostFigures {
  today: {
    llmUsd: number;
    whatsappUsd: number;
    totalUsd: number;
    activeUsers: number;
    perActiveUserUsd: number;
  };
  month: { llmUsd: number; whatsappUsd: number; totalUsd: number };
  /** The month so far, spread over its whole length. */
  projectedMonthUsd: number;
  byModel: ModelCost[];
  byCategory: { category: string; messages: number; usd: number }[];
  byUser: UserCost[];
  /** Cost per hour over the last 24 hours, one series per model plus WhatsApp. */
  hourly: TimeSeries;
}

export interface ModelCost {
  provider: string;
  model: string;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  usd: number;
}

export interface UserCost {
  /** The user's profile name and masked number. */
  user: string;
  messages: number;
  llmCalls: number;
  tokens: number;
  usd: number;
}

/** Aligned series for a chart: one x (epoch seconds) per point, a value or null per series. */
export interface TimeSeries {
  times: number[];
  series: { label: string; values: (number | null)[] }[];
}

export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Milliseconds, from the metrics the handlers recorded since the stack started. */
export interface LatencyFigures {
  ack: Percentiles;
  turn: Percentiles;
  queueAge: Percentiles;
  reminderLateness: Percentiles;
  llm: (Percentiles & { provider: string; model: string; errors: number })[];
  /** p95 per minute over the last 30 minutes. */
  perMinute: TimeSeries;
}

export interface Counters {
  webhookEvents: number;
  messagesSent: number;
  toolCalls: number;
  toolErrors: number;
  llmErrors: number;
  remindersFired: number;
  deadLetters: number;
}
