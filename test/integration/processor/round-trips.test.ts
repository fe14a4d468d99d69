import { createPgliteDatabase } from '../../../layers/core/db/pglite-database';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import {
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
} from '../../support/processor-harness';
import { type RecordingDatabase, recordingDatabase } from '../../support/recording-database';

const NOW = new Date('2026-11-22T15:00:00Z');

const STORES_INBOUND = /INSERT INTO messages .* VALUES \(\$1, 'in'/;
const READS_PREFERENCES = /FROM preferences ORDER BY key/;
const READS_HISTORY = /SELECT wamid, direction, body FROM/;

let users = 0;
const newUser = (): HarnessUser => {
  users += 1;
  return { waId: `5730044400${String(users).padStart(2, '0')}`, name: `User ${users}` };
};

describe('processor: database round trips per message', () => {
  let recording: RecordingDatabase;
  let harness: ProcessorHarness;

  beforeAll(async () => {
    recording = recordingDatabase(await createPgliteDatabase());
    harness = await startProcessorHarness({ now: NOW, db: recording.db });
  });
  afterAll(() => harness.close());

  it('stores a text message, records the activity and reads preferences and history in one transaction', async () => {
    // Prepare
    const user = newUser();
    await harness.say(user, 'hola');
    recording.reset();

    // Act
    await harness.say(user, '¿qué te dije?');

    // Assess
    const storing = recording.transactions.find((trx) => trx.some((sql) => STORES_INBOUND.test(sql)));
    expect(storing).toHaveLength(4);
    expect(storing?.filter((sql) => READS_PREFERENCES.test(sql) || READS_HISTORY.test(sql))).toHaveLength(2);
  });

  it('answers a redelivery of an answered message with one statement in one transaction, and sends nothing', async () => {
    // Prepare
    const user = newUser();
    const event = await harness.say(user, 'recuérdame mañana a las 9 llamar a Juan');
    const sentBefore = harness.sent(user).length;
    const skippedBefore = harness.metrics.total(MetricNames.processorDuplicatesSkipped);
    recording.reset();

    // Act
    const response = await harness.process([event], 2);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.sent(user)).toHaveLength(sentBefore);
    expect(harness.metrics.total(MetricNames.processorDuplicatesSkipped)).toBe(skippedBefore + 1);
    expect(recording.transactions).toHaveLength(1);
    expect(recording.transactions[0]).toHaveLength(1);
    expect(recording.transactions[0]![0]).toMatch(STORES_INBOUND);
    expect(recording.roundTrips()).toBe(3);
  });
});
