import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { MemoryScheduler } from '../../../layers/core/adapters/local/memory-scheduler';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import { DEFAULT_TURN_CONFIG, runTurn, type TurnModel } from '../../../layers/core/assistant/turn';
import type { Database } from '../../../layers/core/db/database';
import { runMigrations } from '../../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../../layers/core/db/pglite-database';
import {
  getCurrentUser,
  insertInboundMessage,
  resolveUser,
  upsertTenant,
  type User,
} from '../../../layers/core/db/repositories';
import { INVALID_JSON_KEY } from '../../../layers/core/llm/chat-model';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import { capturingLogger } from '../../support/logger';
import { scripted } from '../../support/scripted-model';

const NOW = new Date('2026-11-22T15:00:00Z');

describe('assistant turn with a misbehaving model', () => {
  let db: Database;
  let scope: { tenantId: string; userId: string };
  let user: User;
  let sequence = 0;

  beforeAll(async () => {
    db = await createPgliteDatabase();
    await runMigrations(db);
    const tenantId = await upsertTenant(db, { phoneNumberId: '1', displayPhoneNumber: '1' });
    const userId = await resolveUser(db, {
      tenantId,
      waId: '16505551234',
      defaults: { locale: 'en', timeZone: 'America/New_York' },
    });
    scope = { tenantId, userId };
    user = (await db.transaction(scope, (tx) => getCurrentUser(tx)))!;
  });
  afterAll(() => db.close());

  const turn = async (model: TurnModel, text: string) => {
    const wamid = `wamid.TURN${++sequence}`;
    await db.transaction(scope, (tx) =>
      insertInboundMessage(
        tx,
        { wamid, type: 'text', body: text, payload: {}, occurredAt: NOW },
        `reply:${wamid}`,
      ),
    );
    const { logger } = capturingLogger();
    const metrics = new MemoryMetrics();
    const result = await runTurn(
      {
        db,
        model,
        scheduler: new MemoryScheduler(),
        operatorContact: 'soporte@chasqui.test',
        logger,
        metrics,
        embedder: new LexicalEmbedder(),
        config: DEFAULT_TURN_CONFIG,
      },
      { scope, user, currency: 'USD', messageWamid: wamid, text, now: NOW },
    );
    return { result, wamid, metrics };
  };

  it('answers the model with an error for malformed tool arguments, and lets it correct itself', async () => {
    const model = scripted([
      [
        {
          type: 'tool_use',
          id: 't1',
          name: 'add_expense',
          input: { [INVALID_JSON_KEY]: '{"amount": 12.5,' },
        },
      ],
      [{ type: 'tool_use', id: 't2', name: 'add_expense', input: { amount: -3, category: 'food' } }],
      [
        {
          type: 'tool_use',
          id: 't3',
          name: 'add_expense',
          input: { amount: 12.5, category: 'food', description: 'coffee' },
        },
      ],
      [{ type: 'text', text: 'Noted **$12.50** for coffee.' }],
    ]);
    const { result, wamid, metrics } = await turn(model, 'I spent 12.50 on coffee');
    expect(result.toolResults.map(({ outcome }) => outcome.status)).toEqual(['invalid', 'invalid', 'ok']);
    expect(metrics.total(MetricNames.toolCalls, { tool: 'add_expense', status: 'invalid' })).toBe(2);
    expect(metrics.total(MetricNames.toolCalls, { tool: 'add_expense', status: 'ok' })).toBe(1);
    const errors = model.requests[1]!.messages.at(-1)!.content;
    expect(errors).toEqual([
      expect.objectContaining({
        type: 'tool_result',
        toolUseId: 't1',
        isError: true,
        content: expect.stringContaining('invalid_json'),
      }),
    ]);
    expect(result.reply.text).toBe('Noted *$12.50* for coffee.');
    const { rows } = await db.query<{ status: string }>(
      'SELECT status FROM tool_executions WHERE message_wamid = $1 ORDER BY call_index',
      [wamid],
    );
    expect(rows.map((row) => row.status)).toEqual(['invalid', 'invalid', 'ok']);
    const { rows: usage } = await db.query('SELECT provider FROM ai_usage WHERE message_wamid = $1', [wamid]);
    expect(usage).toHaveLength(4);
  });

  it('answers an unknown tool with the list of real ones, never running anything', async () => {
    const model = scripted([
      [{ type: 'tool_use', id: 'u1', name: 'launch_rocket', input: {} }],
      [{ type: 'text', text: 'I cannot do that.' }],
    ]);
    const { result, metrics } = await turn(model, 'launch a rocket');
    expect(metrics.recorded(MetricNames.toolCalls).map((point) => point.dimensions)).toEqual([
      { tool: 'unknown', status: 'invalid' },
    ]);
    expect(result.toolResults[0]!.outcome).toMatchObject({
      status: 'invalid',
      output: { error: 'unknown_tool', tools: expect.arrayContaining(['create_reminder']) },
    });
    expect(result.reply.text).toBe('I cannot do that.');
  });

  it('records one handoff request per message however often the model asks, and gives it the contact', async () => {
    const model = scripted([
      [
        { type: 'tool_use', id: 'h1', name: 'request_human', input: { reason: 'billing dispute' } },
        { type: 'tool_use', id: 'h2', name: 'request_human', input: {} },
      ],
      [{ type: 'text', text: 'A person will write to you at soporte@chasqui.test.' }],
    ]);
    const { result, wamid } = await turn(model, 'my card was charged twice, I need someone from your team');
    expect(result.toolResults.map(({ outcome }) => outcome.output)).toEqual([
      { handoff: expect.objectContaining({ already_requested: false }), contact: 'soporte@chasqui.test' },
      { handoff: expect.objectContaining({ already_requested: true }), contact: 'soporte@chasqui.test' },
    ]);
    const { rows } = await db.query(
      'SELECT reason, last_message FROM handoff_requests WHERE message_wamid = $1',
      [wamid],
    );
    expect(rows).toEqual([
      { reason: 'billing dispute', last_message: 'my card was charged twice, I need someone from your team' },
    ]);
  });

  it('stops a model that keeps calling tools after the step limit, and still answers', async () => {
    const model = scripted([[{ type: 'tool_use', id: 'loop', name: 'list_reminders', input: {} }]]);
    const { result } = await turn(model, 'what are my reminders?');
    expect(model.requests).toHaveLength(DEFAULT_TURN_CONFIG.maxSteps);
    expect(result.toolResults).toHaveLength(DEFAULT_TURN_CONFIG.maxSteps);
    expect(result.reply.text).toContain('You have no upcoming reminders.');
  });

  it('keeps the system prompt, tools, history and message within the input token budget', async () => {
    const model = scripted([[{ type: 'text', text: 'ok' }]]);
    for (let index = 0; index < 30; index++)
      await turn(model, `message number ${index} ${'padding '.repeat(60)}`);
    const last = model.requests.at(-1)!;
    const tokens = Math.ceil(
      (last.system.length + JSON.stringify(last.tools).length + JSON.stringify(last.messages).length) / 4,
    );
    expect(tokens).toBeLessThanOrEqual(DEFAULT_TURN_CONFIG.inputTokenBudget * 1.1);
    expect(last.system).toContain('Earlier in this conversation (summarised)');
  });
});
