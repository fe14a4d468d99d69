import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { MemoryScheduler } from '../../../layers/core/adapters/local/memory-scheduler';
import {
  DEFAULT_TURN_CONFIG,
  runTurn,
  type TurnConfig,
  type TurnModel,
} from '../../../layers/core/assistant/turn';
import type { Database } from '../../../layers/core/db/database';
import { runMigrations } from '../../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../../layers/core/db/pglite-database';
import {
  getCurrentUser,
  insertInboundMessage,
  listMemories,
  resolveUser,
  setPreference,
  upsertTenant,
  type User,
} from '../../../layers/core/db/repositories';
import { OfflineChatModel } from '../../../layers/core/assistant/offline-model';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import { maintainMemory } from '../../../layers/core/memory/maintenance';
import { SUMMARY_MESSAGES } from '../../../layers/core/memory/summaries';
import { capturingLogger } from '../../support/logger';
import { scripted } from '../../support/scripted-model';

const NOW = new Date('2026-11-22T15:00:00Z'); // Sunday, 10:00 in New York
const embedder = new LexicalEmbedder();

describe('assistant turn with long-term memory', () => {
  let db: Database;
  let scope: { tenantId: string; userId: string };
  let user: User;
  let sequence = 0;

  beforeAll(async () => {
    db = await createPgliteDatabase();
    await runMigrations(db);
  });
  beforeEach(async () => {
    const tenantId = await upsertTenant(db, { phoneNumberId: '1', displayPhoneNumber: '1' });
    const userId = await resolveUser(db, {
      tenantId,
      waId: `1650555${String(++sequence).padStart(4, '0')}`,
      defaults: { locale: 'en', timeZone: 'America/New_York' },
    });
    scope = { tenantId, userId };
    user = (await db.transaction(scope, (tx) => getCurrentUser(tx)))!;
  });
  afterAll(() => db.close());

  const turn = async (model: TurnModel, text: string, config: Partial<TurnConfig> = {}) => {
    const wamid = `wamid.MEM${++sequence}`;
    await db.transaction(scope, (tx) =>
      insertInboundMessage(
        tx,
        { wamid, type: 'text', body: text, payload: {}, occurredAt: NOW },
        `reply:${wamid}`,
      ),
    );
    const { logger } = capturingLogger();
    return runTurn(
      {
        db,
        model,
        scheduler: new MemoryScheduler(),
        embedder,
        operatorContact: 'soporte@chasqui.test',
        logger,
        metrics: new MemoryMetrics(),
        config: { ...DEFAULT_TURN_CONFIG, ...config },
      },
      { scope, user, currency: 'USD', messageWamid: wamid, text, now: NOW },
    );
  };
  const answer = (text: string) => [{ type: 'text' as const, text }];

  it('lets the model save a fact in the same turn, and recalls it into a later prompt when it is relevant', async () => {
    // Prepare
    const saving = scripted([
      [
        {
          type: 'tool_use',
          id: 't1',
          name: 'remember',
          input: { content: "My sister Ana's birthday is May 3" },
        },
        { type: 'tool_use', id: 't2', name: 'remember', input: { content: 'I am allergic to peanuts' } },
      ],
      answer('Noted!'),
    ]);
    await turn(saving, "My sister Ana's birthday is May 3, and by the way I'm allergic to peanuts");
    const asking = scripted([answer('May 3.')]);

    // Act
    await turn(asking, "When is Ana's birthday?");

    // Assess
    const system = asking.requests[0]!.system;
    expect(system).toContain("- (fact, 2026-11-22) My sister Ana's birthday is May 3");
    expect(system).not.toContain('peanuts');
  });

  it('puts only as many memories in the prompt as its token budget allows', async () => {
    // Prepare
    const saving = scripted([
      [
        { type: 'tool_use', id: 't1', name: 'remember', input: { content: 'Ana likes dark chocolate' } },
        { type: 'tool_use', id: 't2', name: 'remember', input: { content: 'Ana lives in Lima' } },
      ],
      answer('Noted!'),
    ]);
    await turn(saving, 'Ana likes dark chocolate and lives in Lima');
    const roomy = scripted([answer('…')]);
    const tight = scripted([answer('…')]);

    // Act
    await turn(roomy, 'What do I know about Ana?');
    await turn(tight, 'What do I know about Ana?', { memoryTokenBudget: 12 });

    // Assess
    const recalled = (model: typeof roomy) => model.requests[0]!.system.match(/^- \(fact/gm) ?? [];
    expect(recalled(roomy)).toHaveLength(2);
    expect(recalled(tight)).toHaveLength(1);
  });

  it('reads the structured preferences into the prompt on every turn, and none of the bookkeeping ones', async () => {
    // Prepare
    await db.transaction(scope, async (tx) => {
      await setPreference(tx, 'tone', 'brief');
      await setPreference(tx, 'quiet_hours', '22:00-07:00');
      await setPreference(tx, 'reminder_time', '08:00');
      await setPreference(tx, 'budget_notice_date', '2026-11-22');
    });
    const model = scripted([answer('Hi')]);

    // Act
    await turn(model, 'hi');

    // Assess
    const { system, turnContext } = model.requests[0]!;
    expect(system).toContain(
      'Preferences: reminders given a day but no time are at 08:00; tone brief (as few words as possible); ' +
        'quiet hours 22:00-07:00 (reminders due then are delivered when they end).',
    );
    expect(system).not.toContain('budget_notice_date');
    expect(turnContext?.reminderTime).toBe('08:00');
  });

  it('shows the user their own preferences and none of the bookkeeping ones', async () => {
    // Prepare
    await db.transaction(scope, async (tx) => {
      await setPreference(tx, 'currency', 'PEN');
      await setPreference(tx, 'budget_notice_date', '2026-11-22');
      await setPreference(tx, 'memory.summarized_through', '2026-11-22T14:00:00.000001Z');
    });
    const asking = scripted([
      [{ type: 'tool_use', id: 't1', name: 'get_preferences', input: {} }],
      answer('Your currency is PEN.'),
    ]);

    // Act
    const result = await turn(asking, 'what are my settings?');

    // Assess
    const outcome = result.toolResults[0]?.outcome;
    expect(outcome?.status).toBe('ok');
    // toEqual, not toMatchObject: a bookkeeping key among the preferences must fail this.
    expect(outcome?.status === 'ok' && outcome.output).toEqual({
      preferences: { currency: 'PEN', language: 'en', time_zone: 'America/New_York' },
    });
  });

  it('sets a reminder given only a day at the preferred reminder time, offline too', async () => {
    // Prepare
    await db.transaction(scope, (tx) => setPreference(tx, 'reminder_time', '07:30'));

    // Act
    const result = await turn(
      {
        complete: async (request) => ({
          ...(await new OfflineChatModel().complete(request)),
          attempts: [],
          skipped: [],
          costUsd: 0,
        }),
      },
      'remind me on Friday to renew the passport',
    );

    // Assess
    expect(result.toolResults[0]?.call.input).toMatchObject({ due_local: '2026-11-27T07:30' });
  });

  it('turns older conversation into a summary memory once a dozen messages have gathered beyond the history', async () => {
    // Prepare: 40 recent messages the assistant reads whole, and 20 older ones, each stored as it arrived.
    for (let index = 0; index < 60; index++) {
      await db.transaction(scope, (tx) =>
        insertInboundMessage(
          tx,
          {
            wamid: `wamid.OLD${sequence}-${index}`,
            type: 'text',
            body: index === 0 ? 'we are planning a trip to Cusco in July' : `message number ${index}`,
            payload: {},
            occurredAt: new Date(NOW.getTime() - (60 - index) * 60_000),
          },
          `reply:${sequence}-${index}`,
        ),
      );
    }
    const { logger } = capturingLogger();
    const deps = { db, embedder, logger, metrics: new MemoryMetrics() };
    const options = { language: 'en' as const, timeZone: user.timeZone, keepRecent: 40 };

    // Act
    await maintainMemory(deps, scope, options);
    await maintainMemory(deps, scope, options);
    const asking = scripted([answer('Cusco, in July.')]);
    await turn(asking, 'where was our trip going?');

    // Assess
    const summaries = await db.transaction(scope, (tx) =>
      listMemories(tx, { limit: 10, kinds: ['summary'] }),
    );
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.content.split('\n')).toHaveLength(1 + SUMMARY_MESSAGES);
    expect(summaries[0]!.content).toMatch(
      /^Conversation \(2026-11-22\); the user wrote:\n- we are planning a trip/,
    );
    expect(summaries[0]!.embeddingModel).toBe(embedder.model);
    expect(asking.requests[0]!.system).toContain('we are planning a trip to Cusco in July');
  });
});
