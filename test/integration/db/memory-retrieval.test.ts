import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { insertMemory, MEMORY_KINDS } from '../../../layers/core/db/repositories';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import { type FoundMemory, searchMemories } from '../../../layers/core/memory/search';
import { resolveUser, upsertTenant } from '../../../layers/core/db/repositories/identity';
import { type MigratedPglite, openMigratedPglite } from './support';

const fixtureSchema = z.object({
  users: z.array(
    z.object({
      key: z.string(),
      locale: z.enum(['es', 'en']),
      timeZone: z.string(),
      memories: z.array(z.tuple([z.string(), z.enum(MEMORY_KINDS), z.string()])),
    }),
  ),
  queries: z.array(z.tuple([z.string(), z.enum(['es', 'en']), z.string(), z.array(z.string()).min(1)])),
});

const fixture = fixtureSchema.parse(
  JSON.parse(readFileSync(join(__dirname, '../../fixtures/memory/retrieval.json'), 'utf8')),
);
const K = 5;
/** The bar for the offline embedder. */
const REQUIRED_RECALL = 0.9;

describe('memory retrieval quality (offline lexical embedder, hybrid search on PGlite)', () => {
  let database: MigratedPglite;
  const embedder = new LexicalEmbedder();
  const scopes = new Map<string, { tenantId: string; userId: string }>();
  /** Memory ids by fixture key, and back. */
  const idOf = new Map<string, string>();
  const keyOf = new Map<string, string>();

  beforeAll(async () => {
    database = await openMigratedPglite();
    const tenantId = await upsertTenant(database.db, {
      phoneNumberId: '900000000000777',
      displayPhoneNumber: '+1 555 0177',
    });
    for (const [index, user] of fixture.users.entries()) {
      const userId = await resolveUser(database.db, {
        tenantId,
        waId: `1555017${String(index).padStart(4, '0')}`,
        defaults: { locale: user.locale, timeZone: user.timeZone },
      });
      scopes.set(user.key, { tenantId, userId });
      const vectors = await embedder.embed(user.memories.map(([, , content]) => content));
      await database.db.transaction({ tenantId, userId }, async (tx) => {
        for (const [position, [key, kind, content]] of user.memories.entries()) {
          const memory = await insertMemory(tx, {
            kind,
            content,
            embedding: { values: vectors[position]!, space: embedder },
          });
          idOf.set(key, memory.id);
          keyOf.set(memory.id, key);
        }
      });
    }
  });
  afterAll(() => database.pglite.close());

  const ask = (user: string, text: string, vector: boolean): Promise<FoundMemory[]> =>
    database.db.transaction(scopes.get(user)!, async (tx) =>
      searchMemories(
        tx,
        embedder,
        { text, limit: K },
        vector ? (await embedder.embed([text]))[0] : undefined,
      ),
    );

  const recallAtK = async (vector: boolean) => {
    const misses: string[] = [];
    let total = 0;
    for (const [user, , text, relevant] of fixture.queries) {
      const found = (await ask(user, text, vector)).map((memory) => keyOf.get(memory.id));
      const hits = relevant.filter((key) => found.includes(key)).length;
      total += hits / relevant.length;
      if (hits < relevant.length)
        misses.push(`${user}: "${text}" → ${found.join(', ')} (wanted ${relevant.join(', ')})`);
    }
    return { recall: total / fixture.queries.length, misses };
  };

  it('has a fixture of at least 200 memories across several users and 40 labelled queries in both languages', () => {
    // Assess
    expect(idOf.size).toBeGreaterThanOrEqual(200);
    expect(fixture.users.length).toBeGreaterThanOrEqual(3);
    expect(fixture.queries.length).toBeGreaterThanOrEqual(40);
    expect(new Set(fixture.queries.map(([, language]) => language))).toEqual(new Set(['es', 'en']));
  });

  it(`finds the labelled memories in the top ${K}: recall@${K} of at least ${REQUIRED_RECALL}`, async () => {
    // Act
    const hybrid = await recallAtK(true);
    const keywordsOnly = await recallAtK(false);

    // Assess
    console.log(
      [
        `memory retrieval: ${fixture.queries.length} queries over ${idOf.size} memories of ${fixture.users.length} users`,
        `  hybrid recall@${K}: ${hybrid.recall.toFixed(3)}`,
        `  keywords alone (embedder down) recall@${K}: ${keywordsOnly.recall.toFixed(3)}`,
        ...hybrid.misses.map((miss) => `  missed: ${miss}`),
      ].join('\n'),
    );
    expect(hybrid.recall).toBeGreaterThanOrEqual(REQUIRED_RECALL);
  });

  it("never returns another user's memory, though every user has similar ones", async () => {
    // Act
    const leaks: string[] = [];
    for (const [user, , text] of fixture.queries) {
      const prefix = user[0]!;
      for (const memory of await ask(user, text, true)) {
        const key = keyOf.get(memory.id)!;
        if (!key.startsWith(prefix)) leaks.push(`${user}: ${key}`);
      }
    }

    // Assess
    expect(leaks).toEqual([]);
  });
});
