import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { MemoryScheduler } from '../../../layers/core/adapters/local/memory-scheduler';
import { DEFAULT_TURN_CONFIG, runTurn } from '../../../layers/core/assistant/turn';
import type { Database } from '../../../layers/core/db/database';
import { runMigrations } from '../../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../../layers/core/db/pglite-database';
import {
  getCurrentUser,
  insertInboundMessage,
  insertMemory,
  listMemories,
  resolveUser,
  upsertTenant,
} from '../../../layers/core/db/repositories';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import { maintainMemory } from '../../../layers/core/memory/maintenance';
import { type Embedder, EmbeddingError } from '../../../layers/core/ports/embedder';
import { runToolCall, toolCallContext } from '../../../layers/core/tools/registry';
import { capturingLogger } from '../../support/logger';
import { recordingDatabase } from '../../support/recording-database';
import { scripted } from '../../support/scripted-model';

const NOW = new Date('2026-11-22T15:00:00Z');
const lexical = new LexicalEmbedder();

/** The lexical embedder, noting how many transactions were open at each request; or failing every one. */
const watchingEmbedder = (openTransactions: () => number, available = true) => {
  const openAtEachRequest: number[] = [];
  const embedder: Embedder = {
    ...lexical,
    embed: (texts) => {
      openAtEachRequest.push(openTransactions());
      return available
        ? lexical.embed(texts)
        : Promise.reject(new EmbeddingError('embedding_unreachable', true, 'down'));
    },
  };
  return { embedder, openAtEachRequest };
};

describe('memory tools and the embedder', () => {
  let pglite: Database;
  let db: Database;
  let openTransactions: () => number;
  let scope: { tenantId: string; userId: string };
  let sequence = 0;

  beforeAll(async () => {
    pglite = await createPgliteDatabase();
    await runMigrations(pglite);
    // An embedding request made while a transaction is open holds a pooled connection (RDS Proxy's, in
    // production) for as long as the embedder takes.
    ({ db, openTransactions } = recordingDatabase(pglite));
  });
  beforeEach(async () => {
    const tenantId = await upsertTenant(db, { phoneNumberId: '1', displayPhoneNumber: '1' });
    const userId = await resolveUser(db, {
      tenantId,
      waId: `1650555${String(++sequence).padStart(4, '0')}`,
      defaults: { locale: 'en', timeZone: 'America/New_York' },
    });
    scope = { tenantId, userId };
  });
  afterAll(() => pglite.close());

  const call = (
    embedder: Embedder,
    name: string,
    input: Record<string, unknown>,
    messageWamid = `wamid.MT${++sequence}`,
  ) =>
    runToolCall(
      db,
      scope,
      { id: `t${sequence}`, name, input },
      0,
      toolCallContext(
        {
          scheduler: new MemoryScheduler(),
          operatorContact: 'soporte@chasqui.test',
          embedder,
          metrics: new MemoryMetrics(),
        },
        scope,
        { timeZone: 'America/New_York', locale: 'en', currency: 'USD' },
        { messageWamid, now: NOW },
      ),
    );

  it.each([
    ['remember', { content: 'My sister Ana lives in Lima' }],
    ['search_memory', { query: 'where does my sister live' }],
    ['forget_memory', { query: 'my address' }],
  ])('%s asks the embedder with no transaction open', async (name, input) => {
    // Prepare
    await call(lexical, 'remember', { content: 'My address is 221B Baker Street' });
    const { embedder, openAtEachRequest } = watchingEmbedder(openTransactions);

    // Act
    const outcome = await call(embedder, name, input);

    // Assess
    expect(outcome.status).toBe('ok');
    expect(openAtEachRequest).toEqual([0]);
  });

  it('answers a replayed call from its record, with no second memory written', async () => {
    // Prepare
    const { embedder, openAtEachRequest } = watchingEmbedder(openTransactions);
    const first = await call(embedder, 'remember', { content: 'I am allergic to peanuts' }, 'wamid.REPLAY');

    // Act
    const again = await call(embedder, 'remember', { content: 'I am allergic to peanuts' }, 'wamid.REPLAY');

    // Assess
    expect(again).toMatchObject({ replayed: true, status: 'ok', output: first.output });
    // The replay still asks for a vector (outside any transaction), and throws it away.
    expect(openAtEachRequest).toEqual([0, 0]);
    const memories = await db.transaction(scope, (tx) => listMemories(tx, { limit: 10, kinds: ['fact'] }));
    expect(memories.map((memory) => memory.content)).toEqual(['I am allergic to peanuts']);
  });

  it('keeps and finds a memory by its words while the embedder is down', async () => {
    // Prepare
    const { embedder } = watchingEmbedder(openTransactions, false);

    // Act
    const saved = await call(embedder, 'remember', { content: 'The wifi password is Tigre-2024' });
    const found = await call(embedder, 'search_memory', { query: 'wifi password' });

    // Assess
    expect(saved.status).toBe('ok');
    expect(found.output.memories).toEqual([
      expect.objectContaining({ content: 'The wifi password is Tigre-2024' }),
    ]);
  });

  it('never asks the embedder inside a transaction during a turn and the memory upkeep after it', async () => {
    // Prepare
    const { embedder, openAtEachRequest } = watchingEmbedder(openTransactions);
    const wamid = `wamid.TURN${++sequence}`;
    const text = 'My sister Ana lives in Lima; where did I say my office is?';
    await db.transaction(scope, async (tx) => {
      await insertInboundMessage(
        tx,
        { wamid, type: 'text', body: text, payload: {}, occurredAt: NOW },
        `reply:${wamid}`,
      );
      // Stored without a vector, as during an embedder outage: the upkeep embeds it.
      await insertMemory(tx, { kind: 'fact', content: 'I prefer window seats' });
    });
    const user = (await db.transaction(scope, (tx) => getCurrentUser(tx)))!;
    const model = scripted([
      [
        { type: 'tool_use', id: 'a', name: 'remember', input: { content: 'My sister Ana lives in Lima' } },
        { type: 'tool_use', id: 'b', name: 'search_memory', input: { query: 'office address' } },
        { type: 'tool_use', id: 'c', name: 'forget_memory', input: { query: 'office address' } },
      ],
      [{ type: 'text', text: 'Noted.' }],
    ]);
    const { logger } = capturingLogger();
    const metrics = new MemoryMetrics();

    // Act
    await runTurn(
      {
        db,
        model,
        scheduler: new MemoryScheduler(),
        operatorContact: 'soporte@chasqui.test',
        embedder,
        logger,
        metrics,
        config: DEFAULT_TURN_CONFIG,
      },
      { scope, user, currency: 'USD', messageWamid: wamid, text, now: NOW },
    );
    await maintainMemory({ db, embedder, logger, metrics }, scope, {
      language: 'en',
      timeZone: 'America/New_York',
      keepRecent: 0,
    });

    // Assess: the prompt's recall, the three tools, and the re-embedding job.
    expect(openAtEachRequest).toEqual([0, 0, 0, 0, 0]);
  });
});
