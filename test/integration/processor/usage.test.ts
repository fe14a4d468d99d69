import { MetricNames } from '../../../layers/core/observability/metric-names';
import {
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
  textOf,
} from '../../support/processor-harness';

// Sunday 22 November 2026, 10:00 in Bogotá: day 22 of a 30-day month.
const NOW = new Date('2026-11-22T15:00:00Z');
const ana: HarnessUser = { waId: '573004445566', name: 'Ana' };
const ben: HarnessUser = { waId: '16505550199', name: 'Ben' };

let harness: ProcessorHarness;

const lastReply = (user: HarnessUser): string => textOf(harness.sent(user).at(-1)!);

/** Priced usage as the turn records it, at a chosen time (owner access, as an operator would). */
const recordUsage = async (
  user: HarnessUser,
  at: Date,
  costUsd: number,
  tokens = { input: 1000, output: 200 },
) => {
  await harness.db.query(
    `INSERT INTO ai_usage (tenant_id, user_id, provider, model, input_tokens, output_tokens, cost_usd, latency_ms,
       outcome, created_at)
     SELECT tenant_id, id, 'anthropic', 'claude-sonnet-4-5', $2, $3, $4, 900, 'ok', $5 FROM users WHERE wa_id = $1`,
    [user.waId, tokens.input, tokens.output, costUsd, at],
  );
};

const recordPricedMessage = async (user: HarnessUser, at: Date, costUsd: number) => {
  await harness.db.query(
    `INSERT INTO messages (tenant_id, user_id, wamid, direction, type, status, pricing_category, cost_usd,
       occurred_at)
     SELECT tenant_id, id, $2, 'out', 'template', 'delivered', 'utility', $3, $4 FROM users WHERE wa_id = $1`,
    [user.waId, `wamid.PRICED${at.getTime()}`, costUsd, at],
  );
};

beforeAll(async () => {
  harness = await startProcessorHarness({ now: NOW });
  await harness.say(ana, 'hola');
  await harness.say(ben, 'hello');
  await recordUsage(ana, new Date('2026-11-22T14:00:00Z'), 0.003);
  await recordUsage(ana, new Date('2026-11-05T14:00:00Z'), 0.01, { input: 5000, output: 800 });
  await recordUsage(ana, new Date('2026-10-30T14:00:00Z'), 9); // last month: not in this one
  await recordPricedMessage(ana, new Date('2026-11-22T13:00:00Z'), 0.0042);
  await recordUsage(ben, new Date('2026-11-22T14:00:00Z'), 0.5); // someone else's
});
afterAll(async () => {
  await harness.close();
});

describe('processor: the user asks what they cost', () => {
  it('answers /cost without a model: today, this month and the month projected, in Spanish', async () => {
    // Prepare
    const callsBefore = await harness.db.query('SELECT 1 FROM ai_usage');

    // Act
    const event = await harness.say(ana, '/cost');

    // Assess
    const reply = lastReply(ana);
    expect(reply).toContain('Tu uso del asistente');
    // Today: "hola" and "/cost"; 1,200 tokens; $0.003 + $0.0042 of a utility template.
    expect(reply).toMatch(/Hoy: 2 mensajes, 1\.200 tokens, \*USD\s0,0072\*/);
    expect(reply).toMatch(/Este mes: 2 mensajes, 7\.000 tokens, \*USD\s0,0172\*/);
    // 0.0172 over 22 days, for 30.
    expect(reply).toMatch(/Proyección del mes: \*USD\s0,0235\*/);
    const callsAfter = await harness.db.query('SELECT 1 FROM ai_usage');
    expect(callsAfter.rowCount).toBe(callsBefore.rowCount);
    const { rows } = await harness.db.query<{ tool: string; status: string }>(
      'SELECT tool, status FROM tool_executions WHERE message_wamid = $1',
      [event.wamid],
    );
    expect(rows).toEqual([{ tool: 'get_my_usage', status: 'ok' }]);
    expect(
      harness.metrics.total(MetricNames.toolCalls, { tool: 'get_my_usage', status: 'ok' }),
    ).toBeGreaterThan(0);
  });

  it('answers "¿cuánto he gastado en el asistente?" with the same report, not the user’s expenses', async () => {
    await harness.say(ana, '¿cuánto he gastado en el asistente?');
    expect(lastReply(ana)).toContain('Tu uso del asistente');

    await harness.say(ana, '¿cuánto gasté este mes?');
    expect(lastReply(ana)).not.toContain('Tu uso del asistente');
  });

  it('answers in English with only the user’s own usage', async () => {
    await harness.say(ben, 'what have I cost?');
    const reply = lastReply(ben);
    expect(reply).toContain('Your use of the assistant');
    expect(reply).toMatch(/Today: 2 messages, 1,200 tokens, \*\$0\.50\*/);
  });
});
