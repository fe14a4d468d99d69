import { type PgliteDatabase } from '../../../layers/core/db/pglite-database';
import {
  addExpense,
  cancelCalendarEvent,
  createCalendarEvent,
  createReminder,
  deleteExpense,
  findKeywordMemories,
  findNearestMemories,
  finishReminder,
  insertMemory,
  listMemories,
  type Memory,
  rescheduleReminder,
  type VectorScan,
} from '../../../layers/core/db/repositories';
import { embedOrSkip, refreshEmbeddings } from '../../../layers/core/memory/embeddings';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import { findNearest, searchMemories } from '../../../layers/core/memory/search';
import { forget, remember } from '../../../layers/core/memory/store';
import {
  type Embedder,
  EmbeddingError,
  SUPPORTED_EMBEDDING_DIMENSIONS,
} from '../../../layers/core/ports/embedder';
import { capturingLogger } from '../../support/logger';
import { recordingDatabase } from '../../support/recording-database';
import {
  createTestUser,
  embeddingAlong,
  type MigratedPglite,
  openMigratedPglite,
  type TestUser,
} from './support';

const lexical = new LexicalEmbedder();

/** An embedder that is down: memory must keep working on keywords. */
const unavailable: Embedder = {
  model: lexical.model,
  dimensions: lexical.dimensions,
  similarity: lexical.similarity,
  embed: () => Promise.reject(new EmbeddingError('embedding_unreachable', true, 'down')),
};

/**
 * Like a real embedding model, blind to the digits of an amount: "45.90" and "12.00" embed alike. The
 * lexical embedder sees amounts, so it cannot show what keyword search adds.
 */
const amountBlind: Embedder = {
  ...lexical,
  model: 'amount-blind',
  embed: (texts) => lexical.embed(texts.map((text) => text.replace(/\d+(?:[.,]\d+)*/g, ' '))),
};

const contents = (memories: readonly Pick<Memory, 'content'>[]) => memories.map((memory) => memory.content);

describe('long-term memory in Postgres', () => {
  let database: MigratedPglite;
  let db: PgliteDatabase;
  let ana: TestUser;
  let ben: TestUser;

  beforeAll(async () => {
    database = await openMigratedPglite();
    db = database.db;
  });
  beforeEach(async () => {
    ana = await createTestUser(db);
    ben = await createTestUser(db, ana.tenantId);
  });
  afterAll(() => database.pglite.close());

  const say = async (user: TestUser, content: string, embedder: Embedder = lexical) => {
    const vector = await embedOrSkip(embedder, content);
    return db.transaction(user, (tx) => remember(tx, embedder, { kind: 'fact', content }, vector));
  };
  const forgetFitting = async (user: TestUser, query: string) => {
    const vector = await embedOrSkip(lexical, query);
    return db.transaction(user, (tx) => forget(tx, lexical, { query, vector }));
  };
  const search = (user: TestUser, text: string, embedder: Embedder = lexical) =>
    db.transaction(user, async (tx) =>
      searchMemories(tx, embedder, { text }, await embedOrSkip(embedder, text)),
    );

  describe('row-level security', () => {
    it.each<VectorScan>(['exact', 'hnsw'])(
      "never lets one user's %s vector search, keyword search or listing reach another's memories",
      async (scan) => {
        // Prepare
        await say(ana, 'Mi hermana Lucía cumple el 3 de mayo');
        await say(ben, 'Mi hermana Lucía cumple el 9 de julio');
        const [vector] = await lexical.embed(['¿cuándo cumple mi hermana Lucía?']);

        // Act
        const seen = await db.transaction(ben, async (tx) => ({
          nearest: await findNearestMemories(tx, { vector: vector!, space: lexical, limit: 10, scan }),
          keyword: await findKeywordMemories(tx, { terms: ['lucia', 'hermana'], limit: 10 }),
          listed: await listMemories(tx, { limit: 10 }),
        }));

        // Assess
        expect(contents(seen.nearest)).toEqual(['Mi hermana Lucía cumple el 9 de julio']);
        expect(contents(seen.keyword)).toEqual(['Mi hermana Lucía cumple el 9 de julio']);
        expect(contents(seen.listed)).toEqual(['Mi hermana Lucía cumple el 9 de julio']);
      },
    );

    it("cannot forget another user's memory, even by its id", async () => {
      // Prepare
      const { memory } = await say(ana, 'My locker code is 4821');

      // Act
      const outcome = await db.transaction(ben, (tx) => forget(tx, lexical, { id: memory.id }));

      // Assess
      expect(outcome).toEqual({ kind: 'not_found' });
      expect(contents(await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 })))).toEqual([
        'My locker code is 4821',
      ]);
    });
  });

  describe('remembering', () => {
    it('merges a near-identical memory into the old one instead of storing it twice', async () => {
      // Prepare
      const first = await say(ana, 'I prefer morning calls');

      // Act
      const second = await say(ana, 'I prefer calls in the morning');

      // Assess
      expect(second).toMatchObject({ merged: true, previous: 'I prefer morning calls' });
      expect(second.memory.id).toBe(first.memory.id);
      expect(contents(await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 })))).toEqual([
        'I prefer calls in the morning',
      ]);
    });

    it('keeps two facts that only share some words', async () => {
      // Act
      await say(ana, 'Mi hermana Ana cumple el 3 de mayo');
      const second = await say(ana, 'Mi hermana Sofía cumple el 9 de julio');

      // Assess
      expect(second.merged).toBe(false);
      expect(await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 }))).toHaveLength(2);
    });

    it('keeps a memory while the embedder is down, merges the same words, and embeds it later', async () => {
      // Prepare
      const { logger } = capturingLogger();
      await say(ana, 'El wifi de la casa es Tigre-2024', unavailable);

      // Act
      const again = await say(ana, 'el wifi de la casa es tigre-2024', unavailable);
      const found = await search(ana, 'wifi casa', unavailable);
      const job = await refreshEmbeddings({ db, embedder: lexical, logger }, ana);

      // Assess
      expect(again.merged).toBe(true);
      expect(contents(found)).toEqual(['el wifi de la casa es tigre-2024']);
      expect(found[0]).toMatchObject({ similarity: null, keywordRank: expect.any(Number) });
      expect(job).toEqual({ embedded: 1, unavailable: 0 });
      expect((await search(ana, 'wifi casa'))[0]?.similarity).toBeGreaterThan(lexical.similarity.related);
    });
  });

  describe('forgetting', () => {
    it('forgets the one memory a description fits, and nothing else', async () => {
      // Prepare
      await say(ana, 'My address is 221B Baker Street');
      await say(ana, 'I am allergic to peanuts');

      // Act
      const outcome = await forgetFitting(ana, 'my address');

      // Assess
      expect(outcome).toMatchObject({
        kind: 'forgotten',
        memory: { content: 'My address is 221B Baker Street' },
      });
      expect(contents(await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 })))).toEqual([
        'I am allergic to peanuts',
      ]);
    });

    it('forgets nothing and returns the candidates when a description fits several alike', async () => {
      // Prepare
      await say(ana, 'Mi dirección es Calle 5 #10-20');
      await say(ana, 'La dirección de mi oficina es Carrera 7 #45-10');

      // Act
      const outcome = await forgetFitting(ana, 'dirección');

      // Assess
      expect(outcome.kind).toBe('ambiguous');
      expect(outcome.kind === 'ambiguous' && contents(outcome.candidates).sort()).toEqual([
        'La dirección de mi oficina es Carrera 7 #45-10',
        'Mi dirección es Calle 5 #10-20',
      ]);
      expect(await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 }))).toHaveLength(2);
    });

    it('says so when nothing fits', async () => {
      // Prepare
      await say(ana, 'I am allergic to peanuts');

      // Act
      const outcome = await forgetFitting(ana, 'my passport number');

      // Assess
      expect(outcome).toEqual({ kind: 'not_found' });
    });
  });

  describe('hybrid search', () => {
    it('finds an exact amount that vector search alone misses', async () => {
      // Prepare: the same bill every month; the user remembers only what one of them came to.
      const bills = [
        'Pagué la luz de enero con la tarjeta: 38.20',
        'Pagué la luz de febrero con la tarjeta: 41.75',
        'Pagué la luz de marzo con la tarjeta: 39.10',
        'Pagué la luz de abril con la tarjeta: 44.30',
        'Pagué la luz de mayo con la tarjeta: 40.00',
        'Pagué la luz de junio en efectivo: 45.90',
      ];
      for (const content of bills) await say(ana, content, amountBlind);
      const question = '¿cuándo pagué 45,90 de luz con la tarjeta?';

      // Act
      const { vectorOnly, hybrid } = await db.transaction(ana, async (tx) => {
        const [vector] = await amountBlind.embed([question]);
        return {
          vectorOnly: await findNearestMemories(tx, {
            vector: vector!,
            space: amountBlind,
            limit: 5,
            scan: 'exact',
          }),
          hybrid: await searchMemories(tx, amountBlind, { text: question }, vector),
        };
      });

      // Assess
      expect(contents(vectorOnly)).not.toContain('Pagué la luz de junio en efectivo: 45.90');
      expect(contents(hybrid)[0]).toBe('Pagué la luz de junio en efectivo: 45.90');
    });

    it('filters by kind and by when it happened', async () => {
      // Prepare
      await db.transaction(ana, async (tx) => {
        await insertMemory(tx, {
          kind: 'fact',
          content: 'Coffee with Ana at Tostao',
          occurredAt: new Date('2026-03-10T15:00:00Z'),
        });
        await insertMemory(tx, {
          kind: 'preference',
          content: 'Coffee without sugar',
          occurredAt: new Date('2026-04-02T15:00:00Z'),
        });
        await insertMemory(tx, {
          kind: 'fact',
          content: 'Coffee beans from Huila',
          occurredAt: new Date('2026-04-20T15:00:00Z'),
        });
      });

      // Act
      const april = await db.transaction(ana, async (tx) => {
        const [vector] = await lexical.embed(['coffee']);
        return searchMemories(
          tx,
          lexical,
          {
            text: 'coffee',
            kinds: ['fact'],
            from: new Date('2026-04-01T05:00:00Z'),
            to: new Date('2026-05-01T05:00:00Z'),
          },
          vector,
        );
      });

      // Assess
      expect(contents(april)).toEqual(['Coffee beans from Huila']);
    });
  });

  describe('expenses, events and reminders as searchable text', () => {
    it('keeps a memory in step with an expense: written with it, in the user’s language, and gone with it', async () => {
      // Act
      const expense = await db.transaction(ana, (tx) =>
        addExpense(tx, {
          amount: 45.9,
          currency: 'PEN',
          category: 'food',
          description: 'almuerzo con Juan',
          occurredAt: new Date('2026-05-03T17:00:00Z'),
        }),
      );
      const written = await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 }));
      const found = await search(ana, '45.90');
      await db.transaction(ana, (tx) => deleteExpense(tx, { id: expense.id }));

      // Assess
      expect(written).toEqual([
        expect.objectContaining({
          kind: 'expense',
          content: 'Gasto: 45.90 PEN en comida — almuerzo con Juan (2026-05-03)',
          embeddingModel: null,
          occurredAt: new Date('2026-05-03T17:00:00Z'),
        }),
      ]);
      expect(contents(found)).toEqual(['Gasto: 45.90 PEN en comida — almuerzo con Juan (2026-05-03)']);
      expect(await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 }))).toEqual([]);
    });

    it('rewrites a reminder’s memory when it moves, and drops it when it is cancelled', async () => {
      // Prepare
      const reminder = await db.transaction(ana, (tx) =>
        createReminder(tx, {
          text: 'llamar a Juan',
          dueAt: new Date('2026-05-04T14:00:00Z'),
          timeZone: 'America/Lima',
        }),
      );
      const { logger } = capturingLogger();
      await refreshEmbeddings({ db, embedder: lexical, logger }, ana);

      // Act
      await db.transaction(ana, (tx) =>
        rescheduleReminder(tx, reminder.id, { dueAt: new Date('2026-05-05T14:00:00Z'), expectedVersion: 1 }),
      );
      const moved = await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 }));
      await db.transaction(ana, (tx) => finishReminder(tx, reminder.id, 'cancelled'));

      // Assess
      expect(moved).toEqual([
        expect.objectContaining({
          kind: 'reminder',
          content: 'Recordatorio: llamar a Juan (2026-05-05 09:00)',
          embeddingModel: null,
        }),
      ]);
      expect(await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 }))).toEqual([]);
    });

    it('writes an event’s memory and drops it when the event is cancelled', async () => {
      // Act
      const event = await db.transaction(ana, (tx) =>
        createCalendarEvent(tx, {
          title: 'Dentista',
          startsAt: new Date('2026-05-08T20:00:00Z'),
          endsAt: new Date('2026-05-08T21:00:00Z'),
          location: 'Clínica Dental Sonrisas',
        }),
      );
      const written = contents(await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 })));
      await db.transaction(ana, (tx) => cancelCalendarEvent(tx, event.id));

      // Assess
      expect(written).toEqual(['Evento: Dentista (2026-05-08 15:00) en Clínica Dental Sonrisas']);
      expect(await db.transaction(ana, (tx) => listMemories(tx, { limit: 10 }))).toEqual([]);
    });
  });

  describe('embedding spaces', () => {
    it('never compares vectors of another model, and the re-embedding job moves them into the current one', async () => {
      // Prepare: a memory embedded by a model no longer configured, pointing exactly where the query will.
      const [vector] = await lexical.embed(['peanut allergy']);
      await db.transaction(ana, (tx) =>
        insertMemory(tx, {
          kind: 'fact',
          content: 'Allergic to peanuts',
          embedding: { values: vector!, space: { model: 'retired-model', dimensions: lexical.dimensions } },
        }),
      );
      const nearest = () =>
        db.transaction(ana, (tx) =>
          findNearestMemories(tx, { vector: vector!, space: lexical, limit: 5, scan: 'exact' }),
        );
      const { logger } = capturingLogger();

      // Act
      const before = await nearest();
      const job = await refreshEmbeddings({ db, embedder: lexical, logger }, ana);
      const after = await nearest();

      // Assess
      expect(before).toEqual([]);
      expect(job).toEqual({ embedded: 1, unavailable: 0 });
      expect(contents(after)).toEqual(['Allergic to peanuts']);
      expect(after[0]).toMatchObject({ embeddingModel: lexical.model, embeddingDim: lexical.dimensions });
    });

    it.each(SUPPORTED_EMBEDDING_DIMENSIONS.map((dimensions) => [dimensions]))(
      'searches %i-dimensional vectors through their own HNSW index',
      async (dimensions) => {
        // Prepare
        const embedder = new LexicalEmbedder(dimensions);
        await say(ana, 'Mi perro se llama Toby', embedder);
        const [vector] = await embedder.embed(['¿cómo se llama mi perro?']);

        // Act
        const found = await db.transaction(ana, (tx) =>
          findNearestMemories(tx, { vector: vector!, space: embedder, limit: 5, scan: 'hnsw' }),
        );
        // With a handful of rows a sort is cheaper than any index; forbid it to see which index serves the order.
        const plan = await db.systemTransaction(async (tx) => {
          await tx.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off');
          return tx.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN SELECT id FROM user_memory WHERE embedding_dim = ${dimensions}
             ORDER BY embedding::vector(${dimensions}) <=> $1::vector(${dimensions}) LIMIT 5`,
            [`[${vector!.join(',')}]`],
          );
        });

        // Assess
        expect(contents(found)).toEqual(['Mi perro se llama Toby']);
        expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain(
          `user_memory_embedding_${dimensions}_idx`,
        );
      },
    );

    it('sets hnsw.ef_search for the searching transaction only', async () => {
      // Prepare
      await say(ana, 'Mi perro se llama Toby');
      const [vector] = await lexical.embed(['perro']);

      // Act
      const during = await db.transaction(ana, async (tx) => {
        await findNearestMemories(tx, {
          vector: vector!,
          space: lexical,
          limit: 5,
          scan: 'hnsw',
          efSearch: 64,
        });
        return (await tx.query<{ value: string }>("SELECT current_setting('hnsw.ef_search') AS value"))
          .rows[0]!.value;
      });
      const after = await db.transaction(
        ana,
        async (tx) =>
          (await tx.query<{ value: string }>("SELECT current_setting('hnsw.ef_search') AS value")).rows[0]!
            .value,
      );

      // Assess
      expect(during).toBe('64');
      expect(after).toBe('40');
    });

    it('answers a user with fewer memories than asked from the index alone, with no exact scan', async () => {
      // Prepare
      await say(ana, 'Mi perro se llama Toby');
      await say(ana, 'Mi gata se llama Luna');
      await say(ben, 'Mi perro se llama Rex');
      const [vector] = await lexical.embed(['¿cómo se llaman mis mascotas?']);
      const recording = recordingDatabase(db);

      // Act
      const found = await recording.db.transaction(ana, (tx) =>
        findNearest(tx, { vector: vector!, space: lexical, limit: 5 }),
      );

      // Assess
      expect(contents(found).sort()).toEqual(['Mi gata se llama Luna', 'Mi perro se llama Toby']);
      expect(recording.transactions[0]!.filter((sql) => sql.includes('FROM user_memory'))).toHaveLength(1);
    });

    it('refuses a vector whose width does not match its space', async () => {
      // Act
      const outcome = db.transaction(ana, (tx) =>
        insertMemory(tx, {
          kind: 'fact',
          content: 'x',
          embedding: { values: embeddingAlong(0, 0, 512), space: lexical },
        }),
      );

      // Assess
      await expect(outcome).rejects.toThrow(RangeError);
    });
  });
});
