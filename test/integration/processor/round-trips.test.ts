import { createHash } from 'node:crypto';
import { createPgliteDatabase } from '../../../layers/core/db/pglite-database';
import { OpenAiTranscriber } from '../../../layers/core/llm/openai-transcriber';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import { LlmStubServer, OPENAI_TRANSCRIPTION_PATH, openaiTranscription } from '../../support/llm-stub-server';
import {
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
  textOf,
} from '../../support/processor-harness';
import { paidRouter } from '../../support/paid-router';
import {
  READS_HISTORY,
  READS_PREFERENCES,
  type RecordingDatabase,
  recordingDatabase,
  STORES_INBOUND,
} from '../../support/recording-database';

const NOW = new Date('2026-11-22T15:00:00Z');
const VOICE_NOTE = Buffer.concat([Buffer.from('OggS\u0000\u0002'), Buffer.alloc(2048, 3)]);
const TRANSCRIPT = 'gasté 20.000 en taxi';

const CHECKS_BUDGET = /app_total_ai_cost_since/;
const SETS_INBOUND_BODY = /UPDATE messages SET body/;

let users = 0;
const newUser = (): HarnessUser => {
  users += 1;
  return { waId: `5730044400${String(users).padStart(2, '0')}`, name: `User ${users}` };
};

describe('processor: database round trips per message', () => {
  let stub: LlmStubServer;
  let recording: RecordingDatabase;
  let harness: ProcessorHarness;
  /** While set, Meta answers every message sent (not the read receipts) with a server error. */
  let failReplies = false;

  beforeAll(async () => {
    stub = await LlmStubServer.start();
    recording = recordingDatabase(await createPgliteDatabase());
    harness = await startProcessorHarness({
      now: NOW,
      db: recording.db,
      model: paidRouter(),
      graphFetch: (next) => (input, init) =>
        failReplies && typeof init?.body === 'string' && !init.body.includes('"status":"read"')
          ? Promise.resolve(
              Response.json({ error: { code: 131000, message: 'Something went wrong' } }, { status: 500 }),
            )
          : next(input, init),
      media: {
        transcriber: new OpenAiTranscriber({
          model: 'gpt-4o-mini-transcribe',
          apiKey: 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz',
          baseURL: `${stub.origin}/v1`,
          timeoutMs: 5_000,
        }),
        vision: false,
      },
    });
  });
  afterAll(async () => {
    await harness.close();
    await stub.close();
  });
  beforeEach(() => stub.reset());

  const statements = () => recording.transactions.flat();

  const voiceNote = (user: HarnessUser) =>
    harness.inbound(user, {
      type: 'media',
      mediaType: 'audio',
      mediaId: harness.standIn.registerMedia(VOICE_NOTE, 'audio/ogg'),
      mimeType: 'audio/ogg',
      sha256: createHash('sha256').update(VOICE_NOTE).digest('base64'),
      voice: true,
    });

  /** Puts the user over their daily budget (1 USD in the harness). */
  const overBudget = (user: HarnessUser) => harness.spend(user, 2);

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

  it('asks for the budget once for a voice note and its turn, and reads no transcript back', async () => {
    // Prepare
    const user = newUser();
    await harness.say(user, 'hola');
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, openaiTranscription(TRANSCRIPT));
    const event = voiceNote(user);
    recording.reset();

    // Act
    const response = await harness.process([event]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(textOf(harness.sent(user).at(-1)!)).toBe(`🎙️ _${TRANSCRIPT}_\n\npaid answer`);
    expect(statements().filter((sql) => CHECKS_BUDGET.test(sql))).toHaveLength(1);
    expect(statements().filter((sql) => SETS_INBOUND_BODY.test(sql))).toHaveLength(1);
    // What an earlier attempt may have heard comes with the statement that stores the message.
    expect(statements().filter((sql) => sql.startsWith('SELECT body FROM messages'))).toEqual([]);
  });

  it('refuses a voice note over budget after one budget check, without transcribing it', async () => {
    // Prepare
    const user = newUser();
    await harness.say(user, 'hola');
    await overBudget(user);
    const event = voiceNote(user);
    recording.reset();

    // Act
    const response = await harness.process([event]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(stub.requests(OPENAI_TRANSCRIPTION_PATH)).toEqual([]);
    expect(textOf(harness.sent(user).at(-1)!)).toContain('no puedo escuchar notas de voz hasta mañana');
    expect(statements().filter((sql) => CHECKS_BUDGET.test(sql))).toHaveLength(1);
  });

  it('answers a retried voice note from its stored transcript, without transcribing it again', async () => {
    // Prepare: the transcription works, every attempt to send the reply fails.
    const user = newUser();
    await harness.say(user, 'hola');
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, openaiTranscription(TRANSCRIPT));
    const event = voiceNote(user);
    failReplies = true;
    const failed = await harness.process([event]);
    const heardByTheFailedAttempt = stub.requests(OPENAI_TRANSCRIPTION_PATH).length;
    failReplies = false;
    recording.reset();

    // Act
    const retried = await harness.process([event], 2);

    // Assess
    expect(failed.batchItemFailures).toHaveLength(1);
    expect(heardByTheFailedAttempt).toBe(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(stub.requests(OPENAI_TRANSCRIPTION_PATH)).toHaveLength(1);
    expect(textOf(harness.sent(user).at(-1)!)).toBe(`🎙️ _${TRANSCRIPT}_\n\npaid answer`);
    expect(statements().filter((sql) => SETS_INBOUND_BODY.test(sql))).toEqual([]);
    expect(statements().filter((sql) => sql.startsWith('SELECT body FROM messages'))).toEqual([]);
    expect(statements().filter((sql) => CHECKS_BUDGET.test(sql))).toHaveLength(1);
  });
});
