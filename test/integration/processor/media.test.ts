import { createHash } from 'node:crypto';
import { MemoryBreakerStore } from '../../../layers/core/adapters/local/memory-breaker-store';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { buildModelRouter } from '../../../layers/core/assistant/model-router';
import { OpenAiTranscriber } from '../../../layers/core/llm/openai-transcriber';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import type { InboundContent } from '../../../layers/core/whatsapp/events';
import { MEDIA_URL_TTL_MS } from '../../../layers/core/whatsapp/graph/limits';
import {
  LlmStubServer,
  type MultipartBody,
  OPENAI_PATH,
  OPENAI_TRANSCRIPTION_PATH,
  openaiCompletion,
  openaiError,
  openaiTranscription,
} from '../../support/llm-stub-server';
import { capturingLogger } from '../../support/logger';
import {
  buttonsOf,
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
  textOf,
} from '../../support/processor-harness';

const NOW = new Date('2026-11-22T15:00:00Z');
const API_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';
/** An Ogg/Opus voice note as WhatsApp records it (only its first bytes are real). */
const VOICE_NOTE = Buffer.concat([Buffer.from('OggS\u0000\u0002'), Buffer.alloc(2048, 3)]);
const RECEIPT_PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4096, 5)]);
const TRANSCRIPT = 'gasté 20.000 en taxi';

let users = 0;
/** A new Colombian user: amounts in COP, replies in Spanish. */
const newUser = (): HarnessUser => {
  users += 1;
  return { waId: `5730033300${String(users).padStart(2, '0')}`, name: `User ${users}` };
};

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

/** A voice note or photo as the webhook announces it: Meta's media id, type and sha256. */
const mediaContent = (
  harness: ProcessorHarness,
  bytes: Buffer,
  mimeType: string,
  extra: Partial<Extract<InboundContent, { type: 'media' }>> = {},
): InboundContent => ({
  type: 'media',
  mediaType: mimeType.startsWith('audio/') ? 'audio' : 'image',
  mediaId: harness.standIn.registerMedia(bytes, mimeType),
  mimeType,
  sha256: sha256Of(bytes),
  ...(mimeType.startsWith('audio/') && { voice: true }),
  ...extra,
});

const inboundRow = async (harness: ProcessorHarness, wamid: string) => {
  const { rows } = await harness.db.query<{ body: string | null; error: { code: string } | null }>(
    "SELECT body, error FROM messages WHERE wamid = $1 AND direction = 'in'",
    [wamid],
  );
  return rows[0];
};

const usageOf = async (harness: ProcessorHarness, wamid: string) => {
  const { rows } = await harness.db.query<{
    provider: string;
    model: string;
    outcome: string;
    cost_usd: string;
  }>('SELECT provider, model, outcome, cost_usd FROM ai_usage WHERE message_wamid = $1 ORDER BY created_at', [
    wamid,
  ]);
  return rows.map((row) => ({ ...row, cost_usd: Number(row.cost_usd) }));
};

const lastReply = (harness: ProcessorHarness, user: HarnessUser) => harness.sent(user).at(-1)!;

describe('media without a model key', () => {
  let harness: ProcessorHarness;
  beforeAll(async () => {
    harness = await startProcessorHarness({ now: NOW });
  });
  afterAll(() => harness.close());

  it.each([
    ['a voice note', VOICE_NOTE, 'audio/ogg; codecs=opus', 'notas de voz necesito una clave'],
    ['a photo', RECEIPT_PHOTO, 'image/jpeg', 'imágenes, como recibos, necesito una clave'],
  ])(
    'says clearly that %s needs a model key, and records why on the message',
    async (_case, bytes, type, said) => {
      // Prepare
      const user = newUser();
      const event = harness.inbound(user, mediaContent(harness, bytes, type));

      // Act
      const response = await harness.process([event]);

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(textOf(lastReply(harness, user))).toContain(said);
      expect(await inboundRow(harness, event.wamid)).toMatchObject({
        error: { code: 'media_needs_model_key' },
      });
      expect(
        harness.metrics.total(MetricNames.mediaMessages, { outcome: 'media_needs_model_key' }),
      ).toBeGreaterThan(0);
    },
  );
});

describe('voice notes', () => {
  let stub: LlmStubServer;
  let harness: ProcessorHarness;
  const graphRequests: string[] = [];
  /** Set by a test: the media URL the stand-in hands out first has expired by the time it is used. */
  let expireFirstUrl = false;
  /** Set by a test: Meta answers every message sent (not the read receipts) with a server error. */
  let failReplies = false;

  beforeAll(async () => {
    stub = await LlmStubServer.start();
    harness = await startProcessorHarness({
      now: NOW,
      media: {
        transcriber: new OpenAiTranscriber({
          model: 'gpt-4o-mini-transcribe',
          apiKey: API_KEY,
          baseURL: `${stub.origin}/v1`,
          timeoutMs: 5_000,
        }),
        vision: false,
      },
      graphFetch: (next) => async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        graphRequests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
        if (failReplies && typeof init?.body === 'string' && !init.body.includes('"status":"read"'))
          return Response.json({ error: { code: 131000, message: 'Something went wrong' } }, { status: 500 });
        const response = await next(input, init);
        if (expireFirstUrl && /^\/v\d+\.\d+\/\d+$/.test(url.pathname)) {
          expireFirstUrl = false;
          harness.setNow(new Date(harness.deps.clock.now().getTime() + MEDIA_URL_TTL_MS));
        }
        return response;
      },
    });
  });
  afterAll(async () => {
    await harness.close();
    await stub.close();
  });
  beforeEach(() => {
    stub.reset();
    graphRequests.length = 0;
    harness.setNow(NOW);
  });

  it('flows download → transcription → assistant → reply, echoing the transcript', async () => {
    // Prepare
    const user = newUser();
    const metricsBefore = harness.metrics.recorded().length;
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, openaiTranscription(TRANSCRIPT));
    const event = harness.inbound(user, mediaContent(harness, VOICE_NOTE, 'audio/ogg; codecs=opus'));

    // Act
    const response = await harness.process([event]);

    // Assess: the vendor got the note as Ogg, named so it can decode it.
    expect(response.batchItemFailures).toEqual([]);
    const upload = stub.requests(OPENAI_TRANSCRIPTION_PATH)[0]!.body as MultipartBody;
    expect(upload.files.file).toEqual({ name: 'voice.ogg', type: 'audio/ogg', bytes: VOICE_NOTE });
    expect(upload.fields.model).toBe('gpt-4o-mini-transcribe');
    // The assistant acted on the words: the expense exists and the reply says so under the echo.
    const reply = textOf(lastReply(harness, user));
    expect(reply.startsWith(`🎙️ _${TRANSCRIPT}_\n\n`)).toBe(true);
    expect(reply).toContain('20.000');
    const { rows: expenses } = await harness.db.query(
      'SELECT e.amount, e.currency, e.category FROM expenses e JOIN users u ON u.id = e.user_id WHERE u.wa_id = $1',
      [user.waId],
    );
    expect(expenses.map((row) => ({ ...row, amount: Number(row.amount) }))).toEqual([
      { amount: 20000, currency: 'COP', category: 'transport' },
    ]);
    // The transcript is the message's text for later turns; the call is in ai_usage with its cost.
    expect(await inboundRow(harness, event.wamid)).toEqual({ body: TRANSCRIPT, error: null });
    expect(await usageOf(harness, event.wamid)).toEqual(
      expect.arrayContaining([
        { provider: 'openai', model: 'gpt-4o-mini-transcribe', outcome: 'ok', cost_usd: 0.000171 },
      ]),
    );
    // …and in the cost metrics the dashboard and the daily-spend alarm read: 42 audio tokens at $3 and
    // 9 output tokens at $5 per million.
    const spend = harness.metrics
      .recorded()
      .slice(metricsBefore)
      .filter((point) => point.dimensions.model === 'gpt-4o-mini-transcribe')
      .map(({ name, value, dimensions }) => ({ name, value, kind: dimensions.kind }));
    expect(spend).toEqual([
      { name: MetricNames.llmTokens, value: 42, kind: 'input' },
      { name: MetricNames.llmTokens, value: 9, kind: 'output' },
      { name: MetricNames.llmCostUsd, value: expect.closeTo(0.000171, 12), kind: undefined },
    ]);
    // Marked read with typing first, and never a word of it in the logs.
    expect(harness.standIn.reads().at(-1)).toMatchObject({ messageId: event.wamid, typing: true });
    expect(harness.logLines().join('\n')).not.toContain('taxi');
  });

  it('asks Meta once more for a fresh URL when the first one has expired', async () => {
    // Prepare
    const user = newUser();
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, openaiTranscription(TRANSCRIPT));
    const content = mediaContent(harness, VOICE_NOTE, 'audio/ogg; codecs=opus');
    const event = harness.inbound(user, content);
    expireFirstUrl = true;

    // Act
    await harness.process([event]);

    // Assess
    const mediaId = (content as { mediaId: string }).mediaId;
    expect(graphRequests.filter((request) => !request.endsWith('/messages'))).toEqual([
      `GET /v23.0/${mediaId}`,
      'GET /whatsapp_business/attachments/',
      `GET /v23.0/${mediaId}`,
      'GET /whatsapp_business/attachments/',
    ]);
    expect(textOf(lastReply(harness, user))).toContain(TRANSCRIPT);
  });

  it.each([
    [
      'the vendor refuses the audio',
      [openaiError(400, 'invalid_request_error', null, 'Audio file might be corrupted')],
      'rejected',
      1,
    ],
    [
      'the vendor keeps failing',
      Array.from({ length: 3 }, () => ({
        ...openaiError(500, 'server_error', null, 'The server had an error'),
        headers: { 'retry-after-ms': '1' },
      })),
      'error',
      3,
    ],
  ])('answers kindly and records the error when %s', async (_case, replies, outcome, calls) => {
    // Prepare
    const user = newUser();
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, ...replies);
    const event = harness.inbound(user, mediaContent(harness, VOICE_NOTE, 'audio/ogg'));

    // Act
    const response = await harness.process([event]);

    // Assess: acknowledged, not retried; the user knows; the reason is on the message.
    expect(response.batchItemFailures).toEqual([]);
    expect(stub.requests(OPENAI_TRANSCRIPTION_PATH)).toHaveLength(calls);
    expect(textOf(lastReply(harness, user))).toBe(
      '🎙️ No pude transcribir tu nota de voz. ¿Me la envías otra vez o me lo escribes?',
    );
    const row = await inboundRow(harness, event.wamid);
    expect(row?.error).toMatchObject({
      code: 'transcription_failed',
      message: expect.stringContaining('openai'),
    });
    expect(await usageOf(harness, event.wamid)).toEqual([expect.objectContaining({ outcome, cost_usd: 0 })]);
    expect(
      harness.metrics.total(MetricNames.mediaMessages, { kind: 'voice', outcome: 'transcription_failed' }),
    ).toBeGreaterThan(0);
  });

  it('does not pay for a transcript twice when the reply failed and the record is retried', async () => {
    // Prepare: the transcription works, every attempt to send the reply fails.
    const user = newUser();
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, openaiTranscription(TRANSCRIPT));
    const event = harness.inbound(user, mediaContent(harness, VOICE_NOTE, 'audio/ogg'));
    failReplies = true;

    // Act
    const failed = await harness.process([event]);
    const heardByTheFailedAttempt = stub.requests(OPENAI_TRANSCRIPTION_PATH).length;
    failReplies = false;
    const retried = await harness.process([event], 2);

    // Assess
    expect(failed.batchItemFailures).toHaveLength(1);
    expect(heardByTheFailedAttempt).toBe(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(stub.requests(OPENAI_TRANSCRIPTION_PATH)).toHaveLength(1);
    expect(textOf(lastReply(harness, user))).toContain(TRANSCRIPT);
  });

  it('refuses a file whose bytes do not match the webhook’s sha256, and says it could not download it', async () => {
    const user = newUser();
    const event = harness.inbound(
      user,
      mediaContent(harness, VOICE_NOTE, 'audio/ogg', { sha256: sha256Of(Buffer.from('another file')) }),
    );
    await harness.process([event]);
    expect(stub.requests(OPENAI_TRANSCRIPTION_PATH)).toEqual([]);
    expect(textOf(lastReply(harness, user))).toContain('No pude descargar tu nota de voz');
    expect((await inboundRow(harness, event.wamid))?.error).toMatchObject({ code: 'media_unavailable' });
  });
});

describe('photos', () => {
  let stub: LlmStubServer;
  let harness: ProcessorHarness;

  beforeAll(async () => {
    stub = await LlmStubServer.start();
    const { logger } = capturingLogger();
    harness = await startProcessorHarness({
      now: NOW,
      model: buildModelRouter({
        openai: {
          model: 'gpt-4.1-mini',
          apiKey: API_KEY,
          baseURL: `${stub.origin}/v1`,
          timeoutMs: 5_000,
          maxTokens: 1024,
        },
        breakerStore: new MemoryBreakerStore(),
        logger,
        metrics: new MemoryMetrics(),
        clock: { now: () => NOW },
      }),
      media: { vision: true },
    });
  });
  afterAll(async () => {
    await harness.close();
    await stub.close();
  });
  beforeEach(() => stub.reset());

  it('reads a receipt with the vision model, suggests the expense, and adds it when the button is tapped', async () => {
    // Prepare
    const user = newUser();
    stub.enqueue(
      OPENAI_PATH,
      openaiCompletion({
        content: JSON.stringify({
          kind: 'receipt',
          description: 'Un recibo de Crepes & Waffles por 45.000 pesos.',
          expense: {
            amount: 45000,
            currency: 'COP',
            category: 'food',
            merchant: 'Crepes & Waffles',
            date: '2026-11-21',
          },
        }),
      }),
    );
    const photo = harness.inbound(
      user,
      mediaContent(harness, RECEIPT_PHOTO, 'image/jpeg', { caption: 'almuerzo' }),
    );

    // Act
    await harness.process([photo]);

    // Assess: the model saw the photo itself and the caption.
    const [request] = stub.requests(OPENAI_PATH);
    const userMessage = (request!.body as { messages: { role: string; content: unknown }[] }).messages[1]!;
    expect(userMessage.content).toEqual([
      { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${RECEIPT_PHOTO.toString('base64')}` } },
      { type: 'text', text: 'almuerzo' },
    ]);
    const suggestion = lastReply(harness, user);
    expect(textOf(suggestion)).toContain('Crepes & Waffles');
    expect(textOf(suggestion)).toContain('¿Lo registro como gasto?');
    const [confirm] = buttonsOf(suggestion);
    expect(confirm?.title).toBe('Registrar gasto');
    expect(await usageOf(harness, photo.wamid)).toEqual([
      expect.objectContaining({ provider: 'openai', model: 'gpt-4.1-mini-2025-04-14', outcome: 'ok' }),
    ]);

    // Act: the user taps the button, and taps it again before the answer arrives.
    const suggestionWamid = harness.standIn.outbox({ to: user.waId }).at(-1)!.wamid;
    const tapOf = () =>
      harness.inbound(
        user,
        { type: 'interactive', reply: { kind: 'button', ...confirm! } },
        { contextWamid: suggestionWamid },
      );
    const tap = tapOf();
    await harness.process([tap]);
    const confirmation = lastReply(harness, user);
    await harness.process([tapOf()]);

    // Assess: added once, without another model call, and acknowledged with an undo button.
    const { rows: expenses } = await harness.db.query(
      `SELECT e.amount, e.currency, e.category, e.description FROM expenses e
       JOIN users u ON u.id = e.user_id WHERE u.wa_id = $1`,
      [user.waId],
    );
    expect(expenses.map((row) => ({ ...row, amount: Number(row.amount) }))).toEqual([
      { amount: 45000, currency: 'COP', category: 'food', description: 'Crepes & Waffles' },
    ]);
    expect(stub.requests(OPENAI_PATH)).toHaveLength(1);
    expect(await usageOf(harness, tap.wamid)).toEqual([]);
    expect(harness.standIn.reads().map((read) => read.messageId)).toContain(tap.wamid);
    expect(textOf(confirmation)).toContain('Anotado');
    expect(buttonsOf(confirmation).map((button) => button.title)).toEqual(['Deshacer']);
    // The second tap says it was done, and its undo button undoes the one expense.
    expect(textOf(lastReply(harness, user))).toContain('Eso ya estaba hecho');
    expect(buttonsOf(lastReply(harness, user))).toEqual(buttonsOf(confirmation));
  });

  it('describes a photo that is not a receipt', async () => {
    const user = newUser();
    stub.enqueue(
      OPENAI_PATH,
      openaiCompletion({ content: '{"kind":"other","description":"Un perro en la playa.","expense":null}' }),
    );
    await harness.process([harness.inbound(user, mediaContent(harness, RECEIPT_PHOTO, 'image/png'))]);
    expect(lastReply(harness, user)).toMatchObject({
      type: 'text',
      text: { body: '📷 Un perro en la playa.' },
    });
  });

  it('says it cannot look right now when the vision model fails, and records it', async () => {
    const user = newUser();
    stub.enqueue(OPENAI_PATH, openaiError(400, 'invalid_request_error', null, 'Invalid image'));
    const photo = harness.inbound(user, mediaContent(harness, RECEIPT_PHOTO, 'image/jpeg'));
    await harness.process([photo]);
    expect(textOf(lastReply(harness, user))).toContain('Ahora mismo no puedo mirar imágenes');
    expect((await inboundRow(harness, photo.wamid))?.error).toMatchObject({ code: 'vision_unavailable' });
  });
});
