import uPlot from 'uplot';
import type { DashboardData, Percentiles, TimeSeries } from './dashboard-types';
import { byId, h } from './dom';

/** Often enough to feel live while a conversation runs; each refresh is a handful of small queries. */
const REFRESH_MS = 2_000;
const CHART_HEIGHT = 220;
const PALETTE = ['#006e5a', '#0067a3', '#b3261e', '#8a5a00', '#6a1b9a', '#00838f', '#5d4037'];

const usd = (amount: number): string =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    // Local conversations cost fractions of a cent: show them rather than $0.00.
    maximumFractionDigits: amount !== 0 && Math.abs(amount) < 1 ? 6 : 2,
  }).format(amount);
const count = (value: number): string => new Intl.NumberFormat('en-US').format(value);
const ms = (value: number | null): string => (value === null ? '–' : count(Math.round(value)));

const setText = (id: string, text: string): void => {
  byId(id, HTMLElement).textContent = text;
};

/** Replaces a table body's rows; an empty table says so in one cell. */
const fillRows = (id: string, rows: string[][], columns: number, empty: string): void => {
  const body = byId(id, HTMLTableSectionElement);
  body.replaceChildren(
    ...(rows.length === 0
      ? [h('tr', {}, h('td', { colspan: String(columns), class: 'empty' }, empty))]
      : rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))))),
  );
};

const percentileCells = (label: string, figures: Percentiles): string[] => [
  label,
  count(figures.count),
  ms(figures.p50),
  ms(figures.p95),
  ms(figures.p99),
];

/**
 * A uPlot time-series chart that follows its data: rebuilt when the set of series changes (a new
 * model appears), otherwise given the new data.
 */
class Chart {
  private plot: uPlot | undefined;
  private labels = '';

  constructor(
    private readonly container: HTMLElement,
    private readonly format: (value: number) => string,
  ) {}

  show(data: TimeSeries): void {
    const labels = data.series.map((series) => series.label).join('\u0000');
    const aligned: uPlot.AlignedData = [data.times, ...data.series.map((series) => series.values)];
    if (this.plot && labels === this.labels) return this.plot.setData(aligned);
    this.plot?.destroy();
    this.labels = labels;
    this.plot = new uPlot(
      {
        width: Math.max(320, this.container.clientWidth),
        height: CHART_HEIGHT,
        series: [
          {},
          ...data.series.map((series, index) => ({
            label: series.label,
            stroke: PALETTE[index % PALETTE.length]!,
            width: 2,
            points: { show: true, size: 6 },
            value: (_: uPlot, value: number | null) => (value === null ? '–' : this.format(value)),
          })),
        ],
        axes: [
          {},
          { values: (_: uPlot, values: number[]) => values.map((value) => this.format(value)), size: 80 },
        ],
      },
      aligned,
      this.container,
    );
  }
}

const costChart = new Chart(byId('cost-chart', HTMLElement), usd);
const latencyChart = new Chart(byId('latency-chart', HTMLElement), (value) => `${ms(value)} ms`);

const render = (data: DashboardData): void => {
  const { cost, latency, counters } = data;
  setText('cost-llm-today', usd(cost.today.llmUsd));
  setText('cost-whatsapp-today', usd(cost.today.whatsappUsd));
  const users = cost.today.activeUsers;
  setText(
    'cost-per-user',
    `${usd(cost.today.perActiveUserUsd)} (${count(users)} ${users === 1 ? 'user' : 'users'})`,
  );
  setText('cost-month', usd(cost.month.totalUsd));
  setText('cost-projection', usd(cost.projectedMonthUsd));
  fillRows(
    'cost-by-model',
    cost.byModel.map((model) => [
      `${model.provider} ${model.model}`,
      count(model.calls),
      count(model.tokensIn),
      count(model.tokensOut),
      count(model.tokensCached),
      usd(model.usd),
    ]),
    6,
    'No model calls this month.',
  );
  fillRows(
    'cost-by-category',
    cost.byCategory.map((category) => [category.category, count(category.messages), usd(category.usd)]),
    3,
    'No messages sent this month.',
  );
  fillRows(
    'cost-by-user',
    cost.byUser.map((user) => [
      user.user,
      count(user.messages),
      count(user.llmCalls),
      count(user.tokens),
      usd(user.usd),
    ]),
    5,
    'No users this month.',
  );
  fillRows(
    'latency',
    [
      percentileCells('Webhook ACK', latency.ack),
      percentileCells('Turn, end to end', latency.turn),
      percentileCells('Queue age at pickup', latency.queueAge),
      percentileCells('Reminder lateness', latency.reminderLateness),
    ],
    5,
    '',
  );
  fillRows(
    'latency-by-model',
    latency.llm.map((model) => [
      `${model.provider} ${model.model}`,
      count(model.count),
      count(model.errors),
      ms(model.p50),
      ms(model.p95),
      ms(model.p99),
    ]),
    6,
    'No model calls since the stack started.',
  );
  const counterLabels: [keyof typeof counters, string][] = [
    ['webhookEvents', 'Webhook events'],
    ['messagesSent', 'Messages sent'],
    ['toolCalls', 'Tool calls'],
    ['toolErrors', 'Tool errors'],
    ['llmErrors', 'LLM errors'],
    ['remindersFired', 'Reminders fired'],
    ['deadLetters', 'Dead letters'],
  ];
  byId('counters', HTMLElement).replaceChildren(
    ...counterLabels.map(([key, label]) =>
      h('div', {}, h('dt', {}, label), h('dd', { 'data-testid': `counter-${key}` }, count(counters[key]))),
    ),
  );
  costChart.show(cost.hourly);
  latencyChart.show(latency.perMinute);
};

const state = byId('state', HTMLElement);

const refresh = async (): Promise<void> => {
  try {
    const response = await fetch('/local/dashboard/data');
    if (!response.ok) throw new Error(`the local stack answered ${response.status}`);
    render((await response.json()) as DashboardData);
    state.dataset.state = 'live';
    state.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    state.dataset.state = 'error';
    state.textContent = `Cannot reach the local stack (${error instanceof Error ? error.message : 'error'}); retrying…`;
  }
};

const loop = async (): Promise<void> => {
  await refresh();
  setTimeout(() => void loop(), REFRESH_MS);
};

void loop();
