import { UnsupportedAudioError } from '../../../layers/core/media/audio-format';
import { OpenAiTranscriber } from '../../../layers/core/llm/openai-transcriber';
import { ProviderError } from '../../../layers/core/llm/provider-error';
import {
  LlmStubServer,
  type MultipartBody,
  OPENAI_TRANSCRIPTION_PATH,
  openaiError,
  openaiTranscription,
} from '../../support/llm-stub-server';
import { TEST_API_KEY } from './helpers';

/** The first bytes of the containers a voice note arrives in. */
const OGG_OPUS = Buffer.concat([Buffer.from('OggS\u0000\u0002'), Buffer.alloc(64, 7)]);
const WEBM_OPUS = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(64, 7)]);

let stub: LlmStubServer;
beforeAll(async () => {
  stub = await LlmStubServer.start();
});
afterAll(() => stub.close());
beforeEach(() => stub.reset());

const transcriber = (model = 'gpt-4o-mini-transcribe', maxRetries?: number) =>
  new OpenAiTranscriber({
    model,
    apiKey: TEST_API_KEY,
    baseURL: `${stub.origin}/v1`,
    timeoutMs: 5_000,
    ...(maxRetries !== undefined && { maxRetries }),
  });

const sentForm = (): MultipartBody => stub.requests(OPENAI_TRANSCRIPTION_PATH)[0]!.body as MultipartBody;

describe('OpenAI transcriber', () => {
  it('uploads a WhatsApp voice note as voice.ogg, audio/ogg, with the model, and returns the text and usage', async () => {
    // Prepare
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, openaiTranscription(' Gasté veinte mil en taxi. '));

    // Act
    const result = await transcriber().transcribe({ bytes: OGG_OPUS, mimeType: 'audio/ogg; codecs=opus' });

    // Assess
    const [request] = stub.requests(OPENAI_TRANSCRIPTION_PATH);
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sentForm().fields).toEqual({ model: 'gpt-4o-mini-transcribe', response_format: 'json' });
    expect(sentForm().files.file).toEqual({ name: 'voice.ogg', type: 'audio/ogg', bytes: OGG_OPUS });
    expect(result).toMatchObject({
      text: 'Gasté veinte mil en taxi.',
      provider: 'openai',
      model: 'gpt-4o-mini-transcribe',
      usage: { kind: 'tokens', audioInputTokens: 42, textInputTokens: 0, outputTokens: 9 },
    });
  });

  it('names a WebM recording (the simulator in Chromium) by its real container, whatever type was declared', async () => {
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, openaiTranscription('hola'));
    await transcriber().transcribe({ bytes: WEBM_OPUS, mimeType: 'audio/ogg; codecs=opus' });
    expect(sentForm().files.file).toMatchObject({ name: 'voice.webm', type: 'audio/webm' });
  });

  it('reads Whisper’s usage in seconds', async () => {
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, {
      status: 200,
      body: { text: 'hola', usage: { type: 'duration', seconds: 7 } },
    });
    const result = await transcriber('whisper-1').transcribe({ bytes: OGG_OPUS, mimeType: 'audio/ogg' });
    expect(result.usage).toEqual({ kind: 'seconds', seconds: 7 });
  });

  it('refuses AAC and AMR before calling the API, which does not take them', async () => {
    const adts = Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x00, 0x1f, 0xfc]);
    await expect(transcriber().transcribe({ bytes: adts, mimeType: 'audio/aac' })).rejects.toBeInstanceOf(
      UnsupportedAudioError,
    );
    await expect(
      transcriber().transcribe({ bytes: Buffer.from('#!AMR\n...'), mimeType: 'audio/amr' }),
    ).rejects.toMatchObject({ code: 'audio_format_unsupported', retryable: false });
    expect(stub.requests(OPENAI_TRANSCRIPTION_PATH)).toEqual([]);
  });

  it('retries a 500 twice through the SDK, then reports a retryable ProviderError', async () => {
    // Prepare: retry-after-ms keeps the SDK's backoff short.
    const failure = {
      ...openaiError(500, 'server_error', null, 'The server had an error'),
      headers: { 'retry-after-ms': '1' },
    };
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, failure, failure, failure);

    // Act
    const error = await transcriber()
      .transcribe({ bytes: OGG_OPUS, mimeType: 'audio/ogg' })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ reason: 'server_error', status: 500, retryable: true });
    expect(stub.requests(OPENAI_TRANSCRIPTION_PATH)).toHaveLength(3);
  });

  it('does not retry a 400 and never lets the key into the error', async () => {
    stub.enqueue(
      OPENAI_TRANSCRIPTION_PATH,
      openaiError(
        400,
        'invalid_request_error',
        null,
        `Audio file might be corrupted or unsupported (key ${TEST_API_KEY})`,
      ),
    );
    const error = await transcriber()
      .transcribe({ bytes: OGG_OPUS, mimeType: 'audio/ogg' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'bad_request', retryable: false });
    expect(String((error as Error).message)).not.toContain(TEST_API_KEY);
    expect(stub.requests(OPENAI_TRANSCRIPTION_PATH)).toHaveLength(1);
  });
});
