import type { Database } from '../../../layers/core/db/database';
import { DatabaseConnectionError } from '../../../layers/core/db/errors';
import type { GraphApi } from '../../../layers/core/whatsapp/graph/client';
import { graphNetworkError } from '../../../layers/core/whatsapp/graph/errors';
import {
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
} from '../../support/processor-harness';

const NOW = new Date('2026-11-22T15:00:00Z');
const ana: HarnessUser = { waId: '573004445566', name: 'Ana' };

let harness: ProcessorHarness;
let realGraph: GraphApi;
let realDb: Database;

beforeAll(async () => {
  harness = await startProcessorHarness({ now: NOW });
  realGraph = harness.deps.graph;
  realDb = harness.deps.db;
});
afterAll(() => harness.close());
afterEach(() => {
  harness.deps.graph = realGraph;
  harness.deps.db = realDb;
});

const deadLettersFor = async (wamid: string) =>
  (
    await harness.db.query<{ reason: string; source: string }>(
      "SELECT source, reason FROM dead_letters WHERE payload->>'body' LIKE $1",
      [`%${wamid}%`],
    )
  ).rows;

const repliesTo = (wamid: string) =>
  harness.standIn
    .outbox()
    .filter((entry) => (entry.body as { context?: { message_id?: string } }).context?.message_id === wamid);

/** The port's methods bound to `graph`: a class instance does not spread its methods. */
const graphLike = (graph: GraphApi): GraphApi => ({
  sendMessage: (...args) => graph.sendMessage(...args),
  markRead: (...args) => graph.markRead(...args),
  getMediaUrl: (...args) => graph.getMediaUrl(...args),
  downloadMedia: (...args) => graph.downloadMedia(...args),
  fetchMedia: (...args) => graph.fetchMedia(...args),
});

/** Passes every call through, but the answer to the first send is lost: Meta has it, we never learn so. */
const graphLosingFirstAnswer = (): GraphApi => {
  let lost = false;
  return {
    ...graphLike(realGraph),
    sendMessage: async (phoneNumberId, payload) => {
      const result = await realGraph.sendMessage(phoneNumberId, payload);
      if (lost) return result;
      lost = true;
      throw graphNetworkError(new Error('The operation was aborted due to timeout'), true);
    },
  };
};

/** The database, except that the connection drops on the first INSERT into `table`. */
const databaseDroppingOnInsertInto = (table: string): Database => {
  let dropped = false;
  return {
    query: (sql, params) => realDb.query(sql, params),
    systemTransaction: (fn) => realDb.systemTransaction(fn),
    close: () => realDb.close(),
    transaction: (scope, fn) =>
      realDb.transaction(scope, (tx) =>
        fn(
          Object.assign(Object.create(Object.getPrototypeOf(tx) as object) as typeof tx, {
            query: (sql: string, params?: readonly unknown[]) => {
              if (!dropped && sql.trimStart().startsWith(`INSERT INTO ${table}`)) {
                dropped = true;
                return Promise.reject(
                  new DatabaseConnectionError('Connection terminated', { retryable: true }),
                );
              }
              return tx.query(sql, params);
            },
          }),
        ),
      ),
  };
};

describe('processor: how failures map to retries and dead letters', () => {
  it('fails the record when the database connection drops mid-turn, and the retry answers once', async () => {
    // Prepare
    const event = harness.inbound(ana, { type: 'text', text: 'gasté 7000 en pan' });
    harness.deps.db = databaseDroppingOnInsertInto('expenses');

    // Act
    const first = await harness.process([event]);
    const retried = await harness.process([event], 2);

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(repliesTo(event.wamid)).toHaveLength(1);
    const { rows } = await harness.db.query('SELECT amount FROM expenses WHERE source_wamid = $1', [
      event.wamid,
    ]);
    expect(rows).toHaveLength(1);
    expect(await deadLettersFor(event.wamid)).toEqual([]);
  });

  it('never sends a reply twice when the send timed out: the retry parks it with its reason and acknowledges it', async () => {
    // Prepare
    const event = harness.inbound(ana, { type: 'text', text: 'hola' });
    harness.deps.graph = graphLosingFirstAnswer();

    // Act
    const first = await harness.process([event]);
    const retried = await harness.process([event], 2);

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(repliesTo(event.wamid)).toHaveLength(1);
    expect(await deadLettersFor(event.wamid)).toEqual([
      { source: 'processor', reason: 'send_outcome_unknown' },
    ]);
  });

  it('parks a reply Meta will never deliver (131026) at once, without retrying it', async () => {
    // Prepare
    const event = harness.inbound(ana, { type: 'text', text: 'hola otra vez' });
    // The read receipt would take the injected failure first; it is cosmetic, so skip it here.
    harness.deps.graph = {
      ...graphLike(realGraph),
      markRead: () => Promise.resolve(),
    };
    harness.standIn.failNext(1, { status: 400, metaCode: 131026 });

    // Act
    const response = await harness.process([event]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(repliesTo(event.wamid)).toHaveLength(0);
    expect(await deadLettersFor(event.wamid)).toEqual([
      { source: 'processor', reason: 'graph_undeliverable' },
    ]);
  });
});
