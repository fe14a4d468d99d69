import { createHash } from 'node:crypto';
import { loadLocalEnv } from '../../../local/config';
import { type LocalStack, startLocalStack } from '../../../local/stack';
import {
  LlmStubServer,
  type MultipartBody,
  OPENAI_PATH,
  OPENAI_TRANSCRIPTION_PATH,
  openaiCompletion,
  openaiTranscription,
} from '../../support/llm-stub-server';
import { messageWebhook, postWebhook, replyTo, tempDataDir, visibleText } from '../../support/local-stack';

/** What Chromium's MediaRecorder produces in the simulator: WebM/Opus (only the first bytes are real). */
const WEBM_RECORDING = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(3000, 9)]);
const ana = { waId: '573004445566', name: 'Ana' };

describe('local stack: a voice note over HTTP', () => {
  let stub: LlmStubServer;
  let stack: LocalStack;

  beforeAll(async () => {
    stub = await LlmStubServer.start();
    stack = await startLocalStack({
      ...loadLocalEnv({}),
      OPENAI_API_KEY: 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz',
      OPENAI_BASE_URL: `${stub.origin}/v1`,
      PORT: 0,
      DATA_DIR: tempDataDir(),
      logLevel: 'SILENT',
    });
  });
  afterAll(async () => {
    await stack.close();
    await stub.close();
  });

  it('flows webhook → media download → transcription (real SDK, stub vendor) → assistant → reply', async () => {
    // Prepare: the simulator uploads the recording, then sends the signed webhook that points at it.
    const upload = await fetch(`${stack.url}/local/media`, {
      method: 'POST',
      headers: { 'content-type': 'audio/webm;codecs=opus' },
      body: WEBM_RECORDING,
    });
    const { id: mediaId } = (await upload.json()) as { id: string };
    stub.enqueue(OPENAI_TRANSCRIPTION_PATH, openaiTranscription('gasté 20.000 en taxi'));
    stub.enqueue(
      OPENAI_PATH,
      openaiCompletion({
        toolCalls: [
          {
            id: 'call_1',
            name: 'add_expense',
            arguments: '{"amount":20000,"currency":"COP","category":"transport","description":"taxi"}',
          },
        ],
      }),
      openaiCompletion({ content: '💸 Anotado: $20.000 en transporte.' }),
    );
    const note = messageWebhook(ana, {
      type: 'audio',
      audio: {
        mime_type: 'audio/webm; codecs=opus',
        sha256: createHash('sha256').update(WEBM_RECORDING).digest('base64'),
        id: mediaId,
        voice: true,
      },
    });

    // Act
    expect((await postWebhook(stack, note.body)).status).toBe(200);
    const reply = await replyTo(stack, ana.waId, note.wamid);

    // Assess: the vendor got the recording under its real container, and the answer came back echoed.
    const form = stub.requests(OPENAI_TRANSCRIPTION_PATH)[0]!.body as MultipartBody;
    expect(form.files.file).toEqual({ name: 'voice.webm', type: 'audio/webm', bytes: WEBM_RECORDING });
    expect(form.fields.model).toBe('gpt-4o-mini-transcribe');
    const turn = stub.requests(OPENAI_PATH)[0]!.body as { messages: { role: string; content: unknown }[] };
    expect(turn.messages.at(-1)).toEqual({ role: 'user', content: 'gasté 20.000 en taxi' });
    expect(visibleText(reply)).toBe('🎙️ _gasté 20.000 en taxi_\n\n💸 Anotado: $20.000 en transporte.');
    const expenses = (await (await fetch(`${stack.url}/local/users/${ana.waId}/expenses`)).json()) as {
      amount: number;
      category: string;
    }[];
    expect(expenses).toEqual([expect.objectContaining({ amount: 20000, category: 'transport' })]);
  });
});
