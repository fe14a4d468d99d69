import type { Transcription as OpenAiTranscription } from 'openai/resources/audio/transcriptions';
import { audioUploadOf } from '../media/audio-format';
import type { AudioClip, Transcriber, Transcription, TranscriptionUsage } from '../ports/transcriber';
import { loadOpenAiSdk, OPENAI_PROVIDER, type OpenAiClient, openAiClient, toProviderError } from './openai';
import type { ProviderConfig } from './provider-config';

export type TranscriberConfig = Omit<ProviderConfig, 'maxTokens'>;

/**
 * One transcription vendor and no router in front of it: the SDK retries a failed call itself,
 * twice, with its own backoff, before the caller tells the user.
 */
const SDK_RETRIES = 2;

/**
 * OpenAI's transcription endpoint (`gpt-4o-mini-transcribe`, `gpt-4o-transcribe` or `whisper-1`),
 * or any server speaking it. The audio goes as a multipart file whose name and type match its
 * real container, which the API uses to decode it.
 */
export class OpenAiTranscriber implements Transcriber {
  readonly provider = OPENAI_PROVIDER;
  readonly model: string;
  private readonly client: () => Promise<OpenAiClient>;
  private readonly timeoutMs: number;

  constructor(config: TranscriberConfig) {
    this.model = config.model;
    this.timeoutMs = config.timeoutMs;
    this.client = openAiClient({ ...config, maxRetries: config.maxRetries ?? SDK_RETRIES });
  }

  async transcribe(clip: AudioClip): Promise<Transcription> {
    const upload = audioUploadOf(clip.bytes, clip.mimeType);
    const [sdk, client] = await Promise.all([loadOpenAiSdk(), this.client()]);
    const file = await sdk.toFile(clip.bytes, upload.filename, { type: upload.type });
    const started = performance.now();
    let result: OpenAiTranscription;
    try {
      // No language hint: a Spanish-speaking user may well speak English, and the model detects it.
      result = await client.audio.transcriptions.create({
        file,
        model: this.model,
        response_format: 'json',
      });
    } catch (error) {
      throw toProviderError(sdk, error, performance.now() - started >= this.timeoutMs);
    }
    const usage = usageOf(result.usage);
    return {
      text: typeof result.text === 'string' ? result.text.trim() : '',
      provider: this.provider,
      model: this.model,
      latencyMs: performance.now() - started,
      ...(usage && { usage }),
    };
  }
}

const usageOf = (usage: OpenAiTranscription['usage']): TranscriptionUsage | undefined => {
  if (usage?.type === 'tokens') {
    const audio = usage.input_token_details?.audio_tokens ?? usage.input_tokens;
    return {
      kind: 'tokens',
      audioInputTokens: audio,
      textInputTokens: usage.input_token_details?.text_tokens ?? usage.input_tokens - audio,
      outputTokens: usage.output_tokens,
    };
  }
  if (usage?.type === 'duration') return { kind: 'seconds', seconds: usage.seconds };
  return undefined;
};
