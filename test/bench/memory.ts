import { SeededRandom } from '../support/random';
import { runMigrations } from '../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../layers/core/db/pglite-database';
import type { Database, Tx } from '../../layers/core/db/database';
import { resolveUser, upsertTenant } from '../../layers/core/db/repositories/identity';
import { findNearestMemories, type VectorScan } from '../../layers/core/db/repositories/memories';
import { LexicalEmbedder } from '../../layers/core/memory/lexical-embedder';
import { searchMemories } from '../../layers/core/memory/search';
import { DEFAULT_EMBEDDING_DIMENSIONS, type EmbeddingDimensions } from '../../layers/core/ports/embedder';
import { formatMs, percentile, printTable } from './stats';

export interface MemoryBenchOptions {
  users: number;
  perUser: number;
  dimensions?: EmbeddingDimensions;
  /** Searches in total, spread over the users. */
  queries?: number;
}

const K = 5;
const LOAD_BATCH = 250;

const PEOPLE = ['Ana', 'Juan', 'Sofía', 'Carlos', 'Lucía', 'Pedro', 'María', 'Diego', 'Valentina', 'Mateo'];
const RELATIONS = [
  'hermana',
  'hermano',
  'mamá',
  'papá',
  'jefa',
  'amigo',
  'vecina',
  'sister',
  'boss',
  'friend',
];
const TOPICS = [
  'cumpleaños',
  'dirección',
  'teléfono',
  'alergia',
  'talla',
  'comida favorita',
  'birthday',
  'address',
  'doctor',
  'dentista',
  'colegio',
  'vuelo',
  'placa del carro',
  'seguro',
  'gimnasio',
  'contraseña del wifi',
];
const PLACES = [
  'Bogotá',
  'Lima',
  'Medellín',
  'Cusco',
  'Madrid',
  'Miami',
  'Quito',
  'Cali',
  'Arequipa',
  'Austin',
];
const THINGS = [
  'café',
  'almuerzo',
  'taxi',
  'mercado',
  'farmacia',
  'cine',
  'libros',
  'zapatos',
  'gasolina',
  'coffee',
  'lunch',
  'groceries',
  'rent',
  'internet',
  'flores',
  'regalo',
  'peluquería',
  'parking',
  'pizza',
  'helado',
];

/** Memories that read like the real ones: facts about people, places and amounts, repeated words included. */
const memoryText = (next: () => number, index: number): string => {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  switch (index % 4) {
    case 0:
      return `El ${pick(TOPICS)} de mi ${pick(RELATIONS)} ${pick(PEOPLE)} es en ${pick(PLACES)} el ${1 + Math.floor(next() * 28)} de mayo`;
    case 1:
      return `Gasto: ${(next() * 500).toFixed(2)} PEN en ${pick(THINGS)} con ${pick(PEOPLE)} (${2026}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)})`;
    case 2:
      return `My ${pick(RELATIONS)} ${pick(PEOPLE)} likes ${pick(THINGS)} and lives in ${pick(PLACES)}, ref ${Math.floor(next() * 100000)}`;
    default:
      return `Prefiero ${pick(THINGS)} en ${pick(PLACES)} cuando voy con ${pick(PEOPLE)}; nota ${index}`;
  }
};

const queryText = (next: () => number): string => {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  switch (Math.floor(next() * 3)) {
    case 0:
      return `¿cuál es el ${pick(TOPICS)} de mi ${pick(RELATIONS)}?`;
    case 1:
      return `what did I spend on ${pick(THINGS)} with ${pick(PEOPLE)}`;
    default:
      return `${pick(PEOPLE)} ${pick(PLACES)}`;
  }
};

/**
 * Wall time, and this process's CPU time: PGlite runs in this thread, so on a machine shared with other
 * work the CPU time is close to what the wall time would be on an idle one.
 */
const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, value };
};

/**
 * Recall@k against the exact answer, counting ties: a memory as near as the exact k-th is as good an
 * answer as the one the exact scan happened to list (generated memories repeat, so ties are common).
 */
const recallAt = (found: readonly { distance: number }[], exact: readonly { distance: number }[]): number => {
  if (exact.length === 0) return 1;
  const kth = exact.at(-1)!.distance;
  return (
    Math.min(found.filter((memory) => memory.distance <= kth + 1e-6).length, exact.length) / exact.length
  );
};

/**
 * `npm run bench -- --only memory [--users 100 --per-user 1000]`: many users' memories in one table at
 * the configured width, on PGlite in process. Reports the load and the HNSW build apart, then per-user
 * top-5 search two ways — the global HNSW index filtered by row-level security (iterative scan), and an
 * exact scan of the user's own rows — with p50/p95 and recall@5 against the exact answer, and the hybrid
 * search the assistant runs.
 */
export const runMemoryBench = async (options: MemoryBenchOptions): Promise<void> => {
  const dimensions = options.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  const embedder = new LexicalEmbedder(dimensions);
  const space = { model: embedder.model, dimensions };
  const queries = options.queries ?? 200;
  const db: Database = await createPgliteDatabase();
  await runMigrations(db);
  // Seeded, so every run loads the same memories and asks the same questions.
  const random = new SeededRandom(8);
  const next = () => random.next();

  const tenantId = await upsertTenant(db, {
    phoneNumberId: '900000000000001',
    displayPhoneNumber: '+1 555 0100',
  });
  const users: string[] = [];
  for (let index = 0; index < options.users; index++) {
    users.push(
      await resolveUser(db, {
        tenantId,
        waId: String(51_900_000_000 + index),
        defaults: { locale: 'es', timeZone: 'America/Lima', country: 'PE' },
      }),
    );
  }

  // The index is built after the load, as a bulk load would do, so the two costs are reported apart.
  const indexName = `user_memory_embedding_${dimensions}_idx`;
  const { rows } = await db.query<{ indexdef: string }>(
    'SELECT indexdef FROM pg_indexes WHERE indexname = $1',
    [indexName],
  );
  const indexDefinition = rows[0]!.indexdef;
  await db.query(`DROP INDEX ${indexName}`);

  const load = await timed(async () => {
    const total = options.users * options.perUser;
    for (let start = 0; start < total; start += LOAD_BATCH) {
      const batch = Array.from({ length: Math.min(LOAD_BATCH, total - start) }, (_, offset) => {
        const index = start + offset;
        return { userId: users[index % options.users]!, content: memoryText(next, index) };
      });
      const vectors = await embedder.embed(batch.map((row) => row.content));
      const values = batch.map(
        (_, row) =>
          `($1, $${row * 3 + 2}, 'fact', $${row * 3 + 3}, $${row * 3 + 4}::vector, '${space.model}', ${dimensions})`,
      );
      await db.query(
        `INSERT INTO user_memory (tenant_id, user_id, kind, content, embedding, embedding_model, embedding_dim)
         VALUES ${values.join(', ')}`,
        [
          tenantId,
          ...batch.flatMap((row, index) => [row.userId, row.content, `[${vectors[index]!.join(',')}]`]),
        ],
      );
    }
  });
  const build = await timed(async () => {
    await db.query("SET maintenance_work_mem = '512MB'");
    await db.query(indexDefinition);
  });
  await db.query('ANALYZE user_memory');

  const asks = Array.from({ length: queries }, (_, index) => ({
    userId: users[index % options.users]!,
    text: queryText(next),
  }));
  const vectorsOf = await embedder.embed(asks.map((ask) => ask.text));
  /**
   * Times the search statements alone, inside their transaction: in the assistant they run in a
   * transaction it opens anyway. The transaction's own cost (BEGIN, scope, role, COMMIT) is reported apart.
   */
  const inUserTransaction = async <T>(index: number, work: (tx: Tx) => Promise<T>) =>
    db.transaction({ tenantId, userId: asks[index]!.userId }, (tx) => timed(() => work(tx)));
  const nearest = (index: number, scan: VectorScan, efSearch?: number) =>
    inUserTransaction(index, (tx) =>
      findNearestMemories(tx, {
        vector: vectorsOf[index]!,
        space,
        limit: K,
        scan,
        ...(efSearch && { efSearch }),
      }),
    );

  // Warm-up: the first searches load the index pages and JIT the code.
  for (let index = 0; index < Math.min(20, queries); index++) {
    await nearest(index, 'exact');
    await nearest(index, 'hnsw');
  }

  // The variants take turns on each query, so a noisy neighbour on the machine slows them alike.
  const variants = ['transaction', 'exact', 'hnsw40', 'hnsw100', 'hybrid'] as const;
  const samples = Object.fromEntries(variants.map((name) => [name, [] as number[]])) as Record<
    (typeof variants)[number],
    number[]
  >;
  const cpu = Object.fromEntries(variants.map((name) => [name, [] as number[]])) as typeof samples;
  const record = (name: (typeof variants)[number], sample: { ms: number; cpuMs: number }) => {
    samples[name].push(sample.ms);
    cpu[name].push(sample.cpuMs);
  };
  const recall = { hnsw40: 0, hnsw100: 0 };
  const short = { hnsw40: 0, hnsw100: 0 };
  for (let index = 0; index < queries; index++) {
    record('transaction', await timed(() => inUserTransaction(index, (tx) => tx.query('SELECT 1'))));
    const exact = await nearest(index, 'exact');
    record('exact', exact);
    for (const [name, efSearch] of [
      ['hnsw40', 40],
      ['hnsw100', 100],
    ] as const) {
      const approximate = await nearest(index, 'hnsw', efSearch);
      record(name, approximate);
      recall[name] += recallAt(approximate.value, exact.value) / queries;
      if (approximate.value.length < exact.value.length) short[name]++;
    }
    record(
      'hybrid',
      await inUserTransaction(index, (tx) =>
        searchMemories(tx, embedder, { text: asks[index]!.text, limit: K }, vectorsOf[index]),
      ),
    );
  }

  const line = (name: (typeof variants)[number], recallAt5?: number, extra = '') =>
    `p50 ${formatMs(percentile(samples[name], 50))}  p95 ${formatMs(percentile(samples[name], 95))}` +
    `  (CPU p50 ${formatMs(percentile(cpu[name], 50))}  p95 ${formatMs(percentile(cpu[name], 95))})` +
    (recallAt5 === undefined ? '' : `  recall@5 ${recallAt5.toFixed(3)}${extra}`);
  printTable(
    `Memory search, PGlite in process: ${options.users} users × ${options.perUser} memories, ${dimensions}-d ${embedder.model}, ${queries} per-user top-${K} searches`,
    [
      [
        'load (rows and btree indexes)',
        `${(load.ms / 1000).toFixed(1)} s, CPU ${(load.cpuMs / 1000).toFixed(1)} s (${Math.round((options.users * options.perUser) / (load.ms / 1000))} rows/s)`,
      ],
      [
        'HNSW index build',
        `${(build.ms / 1000).toFixed(1)} s, CPU ${(build.cpuMs / 1000).toFixed(1)} s (m = 16, ef_construction = 64)`,
      ],
      ['scoped transaction alone', line('transaction')],
      ['exact scan of the user’s rows', line('exact', 1)],
      ['HNSW + RLS filter, ef_search 40', line('hnsw40', recall.hnsw40, `, ${short.hnsw40} short`)],
      ['HNSW + RLS filter, ef_search 100', line('hnsw100', recall.hnsw100, `, ${short.hnsw100} short`)],
      ['hybrid search (HNSW, exact if short; keywords)', line('hybrid')],
    ],
  );
  await db.close();
};
