import type { MemoryMetrics, RecordedMetric } from '../layers/core/adapters/local/memory-metrics';
import type { Database, Row } from '../layers/core/db/database';
import { maskIdentifier } from '../layers/core/logging';
import { type MetricName, MetricNames } from '../layers/core/observability/metric-names';
import type {
  CostFigures,
  DashboardData,
  LatencyFigures,
  Percentiles,
  TimeSeries,
} from './web/dashboard-types';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const USERS_SHOWN = 50;

/** Nearest-rank percentile (the CloudWatch statistic for a few data points); null with none. */
export const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;

export const percentilesOf = (values: readonly number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
};

const num = (value: unknown): number => Number(value ?? 0);
const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * Cost from the database, through the same cost views operators query: today, the month (UTC) and
 * its projection, by model, by WhatsApp category and by user, and per hour over the last day.
 */
const costFigures = async (db: Database, now: Date): Promise<CostFigures> => {
  const today = utcDay(now);
  const monthStart = `${today.slice(0, 8)}01`;
  const totals = await db.query(
    `SELECT
       COALESCE(sum(llm_cost_usd) FILTER (WHERE day = $1), 0) AS llm_today,
       COALESCE(sum(whatsapp_cost_usd) FILTER (WHERE day = $1), 0) AS whatsapp_today,
       count(DISTINCT user_id) FILTER (WHERE day = $1 AND messages_received > 0) AS active_today,
       COALESCE(sum(llm_cost_usd), 0) AS llm_month,
       COALESCE(sum(whatsapp_cost_usd), 0) AS whatsapp_month
     FROM cost_user_daily WHERE day >= $2`,
    [today, monthStart],
  );
  const byModel = await db.query(
    `SELECT provider, model, sum(calls) AS calls, sum(input_tokens) AS tokens_in, sum(output_tokens) AS tokens_out,
       sum(cache_read_tokens + cache_write_tokens) AS tokens_cached, sum(cost_usd) AS usd
     FROM cost_ai_daily WHERE day >= $1
     GROUP BY provider, model ORDER BY usd DESC, calls DESC`,
    [monthStart],
  );
  const byCategory = await db.query(
    `SELECT category, sum(messages) AS messages, sum(cost_usd) AS usd
     FROM cost_messages_daily WHERE day >= $1
     GROUP BY category ORDER BY usd DESC, messages DESC`,
    [monthStart],
  );
  const byUser = await db.query<{ name: string | null; wa_id: string | null; bsuid: string | null } & Row>(
    `SELECT u.name, u.wa_id, u.bsuid, sum(c.messages_received) AS messages, sum(c.llm_calls) AS llm_calls,
       sum(c.tokens) AS tokens, sum(c.total_cost_usd) AS usd
     FROM cost_user_daily c JOIN users u ON u.id = c.user_id
     WHERE c.day >= $1
     GROUP BY u.id, u.name, u.wa_id, u.bsuid ORDER BY usd DESC, messages DESC LIMIT ${USERS_SHOWN}`,
    [monthStart],
  );
  const hourly = await db.query(
    `SELECT extract(epoch FROM date_trunc('hour', created_at))::bigint AS hour, model AS label, sum(cost_usd) AS usd
     FROM ai_usage WHERE created_at >= $1 GROUP BY 1, 2
     UNION ALL
     SELECT extract(epoch FROM date_trunc('hour', occurred_at))::bigint, 'WhatsApp', sum(cost_usd)
     FROM messages WHERE direction = 'out' AND cost_usd IS NOT NULL AND occurred_at >= $1 GROUP BY 1`,
    [new Date(now.getTime() - 23 * HOUR_MS - (now.getTime() % HOUR_MS))],
  );

  const row = totals.rows[0] ?? {};
  const llmToday = num(row.llm_today);
  const whatsappToday = num(row.whatsapp_today);
  const activeUsers = num(row.active_today);
  const monthTotal = num(row.llm_month) + num(row.whatsapp_month);
  const dayOfMonth = now.getUTCDate();
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  return {
    today: {
      llmUsd: llmToday,
      whatsappUsd: whatsappToday,
      totalUsd: llmToday + whatsappToday,
      activeUsers,
      perActiveUserUsd: activeUsers === 0 ? 0 : (llmToday + whatsappToday) / activeUsers,
    },
    month: { llmUsd: num(row.llm_month), whatsappUsd: num(row.whatsapp_month), totalUsd: monthTotal },
    projectedMonthUsd: (monthTotal / dayOfMonth) * daysInMonth,
    byModel: byModel.rows.map((model) => ({
      provider: String(model.provider),
      model: String(model.model),
      calls: num(model.calls),
      tokensIn: num(model.tokens_in),
      tokensOut: num(model.tokens_out),
      tokensCached: num(model.tokens_cached),
      usd: num(model.usd),
    })),
    byCategory: byCategory.rows.map((category) => ({
      category: String(category.category),
      messages: num(category.messages),
      usd: num(category.usd),
    })),
    byUser: byUser.rows.map((user) => ({
      // The dashboard is for this machine, but a screenshot travels: numbers stay masked, as in logs.
      user: [user.name, maskIdentifier(user.wa_id ?? user.bsuid ?? '')].filter(Boolean).join(' '),
      messages: num(user.messages),
      llmCalls: num(user.llm_calls),
      tokens: num(user.tokens),
      usd: num(user.usd),
    })),
    hourly: bucketed(
      hourly.rows.map((point) => ({
        at: num(point.hour) * 1000,
        label: String(point.label),
        value: num(point.usd),
      })),
      now,
      HOUR_MS,
      24,
      (values) => values.reduce((sum, value) => sum + value, 0),
    ),
  };
};

/**
 * Points grouped into `count` buckets of `width` ms ending with the one holding `now`, one series per
 * label, each bucket reduced by `reduce` (null where a series has no point).
 */
const bucketed = (
  points: readonly { at: number; label: string; value: number }[],
  now: Date,
  width: number,
  count: number,
  reduce: (values: number[]) => number | null,
): TimeSeries => {
  const last = now.getTime() - (now.getTime() % width);
  const first = last - (count - 1) * width;
  const times = Array.from({ length: count }, (_, index) => (first + index * width) / 1000);
  const labels = [...new Set(points.map((point) => point.label))].sort();
  const series = labels.map((label) => {
    const buckets: number[][] = times.map(() => []);
    for (const point of points) {
      const index = Math.floor((point.at - first) / width);
      if (point.label === label && index >= 0 && index < count) buckets[index]!.push(point.value);
    }
    return { label, values: buckets.map((values) => (values.length === 0 ? null : reduce(values))) };
  });
  return { times, series };
};

const valuesOf = (points: readonly RecordedMetric[]) => points.map((point) => point.value);

/** Latency from the handlers' own metrics, recorded in memory since the stack started. */
const latencyFigures = (metrics: MemoryMetrics, now: Date): LatencyFigures => {
  const of = (name: MetricName) => percentilesOf(valuesOf(metrics.recorded(name)));
  const calls = metrics.recorded(MetricNames.llmCallLatency);
  const errors = metrics.recorded(MetricNames.llmCallErrors);
  const models = [
    ...new Set(calls.map((point) => `${point.dimensions.provider}\u0000${point.dimensions.model}`)),
  ];
  const p95 = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      95,
    );
  const perMinute = (name: MetricName, label: string) =>
    metrics.recorded(name).map((point) => ({ at: point.at, label, value: point.value }));
  return {
    ack: of(MetricNames.webhookAckLatency),
    turn: of(MetricNames.turnLatency),
    queueAge: of(MetricNames.queueMessageAge),
    reminderLateness: of(MetricNames.reminderLateness),
    llm: models.map((key) => {
      const [provider = '', model = ''] = key.split('\u0000');
      const matches = (point: RecordedMetric) =>
        point.dimensions.provider === provider && point.dimensions.model === model;
      return {
        provider,
        model,
        errors: errors.filter(matches).length,
        ...percentilesOf(valuesOf(calls.filter(matches))),
      };
    }),
    perMinute: bucketed(
      [
        ...perMinute(MetricNames.webhookAckLatency, 'Webhook ACK p95'),
        ...perMinute(MetricNames.turnLatency, 'Turn p95'),
      ],
      now,
      MINUTE_MS,
      30,
      p95,
    ),
  };
};

/** Everything `/dashboard` shows, read fresh on every request. */
export const dashboardData = async (
  db: Database,
  metrics: MemoryMetrics,
  now = new Date(),
): Promise<DashboardData> => {
  const toolCalls = metrics.recorded(MetricNames.toolCalls);
  return {
    generatedAt: now.toISOString(),
    cost: await costFigures(db, now),
    latency: latencyFigures(metrics, now),
    counters: {
      webhookEvents: metrics.total(MetricNames.webhookEventsAccepted),
      messagesSent: metrics.total(MetricNames.whatsappMessagesSent),
      toolCalls: toolCalls.length,
      toolErrors: toolCalls.filter((point) => point.dimensions.status !== 'ok').length,
      llmErrors: metrics.total(MetricNames.llmCallErrors),
      remindersFired: metrics.total(MetricNames.remindersFired),
      deadLetters: metrics.total(MetricNames.deadLetters),
    },
  };
};
