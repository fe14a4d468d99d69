import { createPgliteDatabase } from '../../../layers/core/db/pglite-database';
import {
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
} from '../../support/processor-harness';
import {
  READS_HISTORY,
  READS_PREFERENCES,
  type RecordingDatabase,
  recordingDatabase,
  STORES_INBOUND,
} from '../../support/recording-database';
import { scripted } from '../../support/scripted-model';

const NOW = new Date('2026-11-22T15:00:00Z'); // 10:00 in Bogotá
const ana: HarnessUser = { waId: '573001112233', name: 'Ana' };

describe('processor: what a turn reads', () => {
  let harness: ProcessorHarness;
  let recording: RecordingDatabase;
  const model = scripted([[{ type: 'text', text: 'Con gusto.' }]]);

  beforeAll(async () => {
    recording = recordingDatabase(await createPgliteDatabase());
    harness = await startProcessorHarness({ now: NOW, model, db: recording.db });
  });
  afterAll(() => harness.close());

  it("gives the turn the user's preferences and the conversation so far, read in the transaction that stores the message", async () => {
    // Prepare
    await harness.say(ana, 'hola, soy Ana');
    const { tenantId, userId } = await harness.scopeOf(ana);
    await harness.db.query(
      `INSERT INTO preferences (tenant_id, user_id, key, value)
       VALUES ($1, $2, 'currency', '"PEN"'), ($1, $2, 'reminder_time', '"07:30"')`,
      [tenantId, userId],
    );
    recording.reset();

    // Act
    await harness.say(ana, '¿qué te dije?');

    // Assess
    const request = model.requests.at(-1)!;
    expect(request.turnContext).toMatchObject({ currency: 'PEN', reminderTime: '07:30' });
    expect(request.messages.map((message) => message.content)).toEqual([
      [{ type: 'text', text: 'hola, soy Ana' }],
      [{ type: 'text', text: 'Con gusto.' }],
      [{ type: 'text', text: '¿qué te dije?' }],
    ]);
    const { transactions } = recording;
    const storing = transactions.find((statements) => statements.some((sql) => STORES_INBOUND.test(sql)));
    expect(storing?.some((sql) => READS_PREFERENCES.test(sql))).toBe(true);
    expect(storing?.some((sql) => READS_HISTORY.test(sql))).toBe(true);
    const statements = transactions.flat();
    expect(statements.filter((sql) => READS_PREFERENCES.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => READS_HISTORY.test(sql))).toHaveLength(1);
  });
});
