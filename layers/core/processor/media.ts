import {
  type ImageFacts,
  imageReadingPrompt,
  parseImageReading,
  replyToImageReading,
} from '../assistant/image-reading';
import { type Language, type Reply, say } from '../assistant/replies';
import { recordAttempts } from '../assistant/turn';
import type { TenantScope } from '../db/database';
import { recordAiUsage, recordInboundError, setInboundBody } from '../db/repositories';
import { errorCode, isRetryable } from '../errors';
import { IMAGE_MEDIA_TYPES, type ImageMediaType } from '../llm/chat-model';
import { transcriptionCostOf } from '../llm/prices';
import { asProviderError } from '../llm/provider-error';
import { countSpend } from '../llm/spend-metrics';
import { MetricNames } from '../observability/metric-names';
import type { Transcriber, Transcription } from '../ports/transcriber';
import { localDateOf } from '../tools/time';
import type { InboundContent } from '../whatsapp/events';
import type { DownloadedMedia } from '../whatsapp/graph/client';
import { AUDIO_MAX_BYTES, IMAGE_MAX_BYTES } from '../whatsapp/graph/limits';
import { truncate } from '../whatsapp/graph/text-fit';
import type { ProcessorDeps } from './deps';

/** What the processor understands besides text: voice notes and photos, each through a paid model. */
export interface MediaDeps {
  /** Speech to text; absent without an OpenAI key, and voice notes are then answered with what is missing. */
  readonly transcriber?: Transcriber;
  /** Whether the model router has a paid, vision-capable provider; without one photos are not read. */
  readonly vision: boolean;
}

export type MediaContent = Extract<InboundContent, { type: 'media' }>;

export interface MediaInput {
  readonly scope: Required<TenantScope>;
  readonly wamid: string;
  readonly content: MediaContent;
  readonly language: Language;
  readonly currency: string;
  readonly timeZone: string;
  readonly now: Date;
  /** The message's budget check (see paidModelsAllowed), asked only when the media needs a paid model. */
  readonly paidAllowed: () => Promise<boolean>;
}

type MediaKind = 'voice' | 'image';

/** The echo of a transcript shown above the answer: enough to spot a mishearing. */
const ECHO_MAX = 160;
/** A photo's reading is short JSON; the cap keeps a chatty model cheap. */
const IMAGE_READING_MAX_TOKENS = 400;

type Wording = { readonly es: string; readonly en: string };

/** What the user reads when their media was not understood, by the code recorded on the message. */
const WORDING: Readonly<Record<string, Partial<Record<MediaKind, Wording>>>> = {
  media_needs_model_key: {
    voice: {
      es: '🎙️ Para entender notas de voz necesito una clave de un modelo de voz (OpenAI), y aquí no hay ninguna configurada. ¿Me lo escribes?',
      en: '🎙️ To understand voice notes I need a speech model key (OpenAI), and none is configured here. Could you type it?',
    },
    image: {
      es: '📷 Para leer imágenes, como recibos, necesito una clave de un modelo con visión (Anthropic u OpenAI), y aquí no hay ninguna configurada. Puedes escribirme el gasto, p. ej. «gasté 45.000 en almuerzo».',
      en: '📷 To read images such as receipts I need a key for a vision model (Anthropic or OpenAI), and none is configured here. You can type the expense, e.g. "I spent $12.50 on lunch".',
    },
  },
  media_over_budget: {
    voice: {
      es: 'ℹ️ Hoy se alcanzó el límite de uso del asistente y no puedo escuchar notas de voz hasta mañana. ¿Me lo escribes?',
      en: "ℹ️ Today's assistant usage limit was reached, so I can't listen to voice notes until tomorrow. Could you type it?",
    },
    image: {
      es: 'ℹ️ Hoy se alcanzó el límite de uso del asistente y no puedo leer imágenes hasta mañana. ¿Me lo escribes?',
      en: "ℹ️ Today's assistant usage limit was reached, so I can't read images until tomorrow. Could you type it?",
    },
  },
  graph_media_too_large: {
    voice: {
      es: '🎙️ Esa nota de voz es demasiado larga para mí. ¿Me la mandas más corta o por escrito?',
      en: '🎙️ That voice note is too long for me. Could you send a shorter one, or type it?',
    },
    image: {
      es: '📷 Esa imagen es demasiado grande para mí (máximo 5 MB). ¿Me mandas una más liviana?',
      en: '📷 That image is too large for me (5 MB at most). Could you send a smaller one?',
    },
  },
  media_unavailable: {
    voice: {
      es: '🎙️ No pude descargar tu nota de voz. ¿Me la envías de nuevo?',
      en: "🎙️ I couldn't download your voice note. Could you send it again?",
    },
    image: {
      es: '📷 No pude descargar tu imagen. ¿Me la envías de nuevo?',
      en: "📷 I couldn't download your image. Could you send it again?",
    },
  },
  format_unsupported: {
    voice: {
      es: '🎙️ No puedo leer ese formato de audio. ¿Me mandas una nota de voz o me lo escribes?',
      en: "🎙️ I can't read that audio format. Could you send a voice note, or type it?",
    },
    image: {
      es: '📷 No puedo leer ese formato de imagen; envíala como foto (JPEG o PNG).',
      en: "📷 I can't read that image format; send it as a photo (JPEG or PNG).",
    },
  },
  transcription_failed: {
    voice: {
      es: '🎙️ No pude transcribir tu nota de voz. ¿Me la envías otra vez o me lo escribes?',
      en: "🎙️ I couldn't transcribe your voice note. Could you send it again, or type it?",
    },
  },
  transcription_empty: {
    voice: {
      es: '🎙️ No escuché palabras en tu nota de voz. ¿Me lo escribes?',
      en: "🎙️ I couldn't hear any words in your voice note. Could you type it?",
    },
  },
  vision_unavailable: {
    image: {
      es: '📷 Ahora mismo no puedo mirar imágenes. Inténtalo más tarde, o escríbeme el gasto.',
      en: "📷 I can't look at images right now. Try again later, or type the expense.",
    },
  },
};

/** The media is gone, corrupt or refused: asking again may help, retrying the record cannot. */
const fetchFailureCode = (code: string): string =>
  code === 'graph_media_too_large' ? code : 'media_unavailable';

/**
 * The user is told plainly why their media was not understood, and the reason is kept on their
 * message (`messages.error`) and counted. Neither the media nor a transcript is ever logged.
 */
const refuse = async (
  deps: ProcessorDeps,
  input: MediaInput,
  kind: MediaKind,
  code: string,
  detail?: string,
): Promise<Reply> => {
  const wording = WORDING[code]?.[kind] ?? WORDING.media_unavailable![kind]!;
  await deps.db.transaction(input.scope, (tx) =>
    recordInboundError(tx, input.wamid, { code, ...(detail && { message: detail }) }),
  );
  deps.metrics.add(MetricNames.mediaMessages, 'Count', 1, { kind, outcome: code });
  deps.logger.warn('Media not understood', { kind, reason: code });
  return { text: say(input.language, wording.es, wording.en) };
};

/** Downloads the file; a failure that a later attempt may fix is thrown, so the queue retries the message. */
const download = async (
  deps: ProcessorDeps,
  input: MediaInput,
  maxBytes: number,
): Promise<DownloadedMedia | { failed: string; detail: string }> => {
  try {
    return await deps.graph.fetchMedia(input.content.mediaId, {
      maxBytes,
      ...(input.content.sha256 && { expectedSha256: input.content.sha256 }),
    });
  } catch (error) {
    if (isRetryable(error)) throw error;
    return { failed: fetchFailureCode(errorCode(error)), detail: (error as Error).message };
  }
};

const recordTranscription = async (
  deps: ProcessorDeps,
  input: MediaInput,
  transcriber: Transcriber,
  outcome: { transcription: Transcription } | { failure: string; latencyMs: number },
): Promise<void> => {
  if ('failure' in outcome) {
    await deps.db.transaction(input.scope, (tx) =>
      recordAiUsage(tx, {
        provider: transcriber.provider,
        model: transcriber.model,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        latencyMs: outcome.latencyMs,
        outcome: outcome.failure,
        messageWamid: input.wamid,
      }),
    );
    return;
  }
  const { transcription } = outcome;
  const { provider, model, usage } = transcription;
  const cost = transcriptionCostOf(usage, provider, model, input.now);
  if (!cost.priced) deps.logger.warn('No price for this transcription; recorded as 0', { model });
  // Whisper bills minutes, not tokens: its spend shows in the cost alone.
  const tokens =
    usage?.kind === 'tokens'
      ? { input: usage.audioInputTokens + usage.textInputTokens, output: usage.outputTokens }
      : undefined;
  countSpend(deps.metrics, { provider, model, costUsd: cost.usd, tokens: tokens ?? {} });
  await deps.db.transaction(input.scope, async (tx) => {
    await recordAiUsage(tx, {
      provider,
      model,
      inputTokens: tokens?.input ?? 0,
      outputTokens: tokens?.output ?? 0,
      costUsd: cost.usd,
      latencyMs: transcription.latencyMs,
      outcome: 'ok',
      messageWamid: input.wamid,
    });
    if (transcription.text) await setInboundBody(tx, input.wamid, transcription.text);
  });
};

/**
 * A voice note as text: downloaded (two-step media flow, size limit, sha256), transcribed, and
 * kept as the message's body, so a redelivery does not pay for it twice and later turns see it.
 * `stored` is the body the message was found with when stored: on a redelivery, what an earlier
 * attempt heard. Resolves to the transcript, or to the reply that tells the user why there is none.
 */
export const hearVoiceNote = async (
  deps: ProcessorDeps,
  input: MediaInput,
  stored: string | null,
): Promise<{ transcript: string } | { reply: Reply }> => {
  if (stored) return { transcript: stored };
  const { transcriber } = deps.media;
  if (!transcriber) return { reply: await refuse(deps, input, 'voice', 'media_needs_model_key') };
  if (!(await input.paidAllowed())) return { reply: await refuse(deps, input, 'voice', 'media_over_budget') };
  const media = await download(deps, input, AUDIO_MAX_BYTES);
  if ('failed' in media) return { reply: await refuse(deps, input, 'voice', media.failed, media.detail) };

  const started = performance.now();
  let transcription: Transcription;
  try {
    transcription = await transcriber.transcribe({ bytes: media.bytes, mimeType: media.mimeType });
  } catch (error) {
    if (errorCode(error) === 'audio_format_unsupported')
      return { reply: await refuse(deps, input, 'voice', 'format_unsupported', (error as Error).message) };
    const failure = asProviderError(error, transcriber.provider);
    const outcome = failure.reason === 'timeout' ? 'timeout' : failure.retryable ? 'error' : 'rejected';
    await recordTranscription(deps, input, transcriber, {
      failure: outcome,
      latencyMs: performance.now() - started,
    });
    return { reply: await refuse(deps, input, 'voice', 'transcription_failed', failure.message) };
  }
  await recordTranscription(deps, input, transcriber, { transcription });
  if (!transcription.text) return { reply: await refuse(deps, input, 'voice', 'transcription_empty') };
  deps.metrics.add(MetricNames.mediaMessages, 'Count', 1, { kind: 'voice', outcome: 'understood' });
  return { transcript: transcription.text };
};

/** The answer to a voice note, with the transcript echoed briefly above it. */
export const withTranscriptEcho = (transcript: string, reply: Reply): Reply => {
  // WhatsApp's markers inside the transcript would break the italics around it.
  const echo = truncate(
    transcript
      .replace(/\s+/g, ' ')
      .replace(/[_*~`]/g, '')
      .trim(),
    ECHO_MAX,
  );
  return { ...reply, text: `🎙️ _${echo}_\n\n${reply.text}` };
};

const isImageMediaType = (type: string): type is ImageMediaType =>
  (IMAGE_MEDIA_TYPES as readonly string[]).includes(type);

/**
 * A photo, read by the active vision-capable model (the router: Claude, then OpenAI). A receipt
 * comes back as an expense suggestion with a button; anything else as a short description.
 */
export const lookAtImage = async (deps: ProcessorDeps, input: MediaInput): Promise<Reply> => {
  if (!deps.media.vision) return refuse(deps, input, 'image', 'media_needs_model_key');
  if (!(await input.paidAllowed())) return refuse(deps, input, 'image', 'media_over_budget');
  const media = await download(deps, input, IMAGE_MAX_BYTES);
  if ('failed' in media) return refuse(deps, input, 'image', media.failed, media.detail);
  const mediaType = media.mimeType.split(';')[0]!.trim().toLowerCase();
  if (!isImageMediaType(mediaType)) return refuse(deps, input, 'image', 'format_unsupported', mediaType);

  const facts: ImageFacts = {
    language: input.language,
    currency: input.currency,
    today: localDateOf(input.now, input.timeZone),
  };
  const caption = input.content.caption?.trim();
  const response = await deps.model.complete({
    system: imageReadingPrompt(facts),
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', mediaType, data: Buffer.from(media.bytes).toString('base64') },
          {
            type: 'text',
            text: caption || say(input.language, '¿Qué hay en esta imagen?', 'What is in this image?'),
          },
        ],
      },
    ],
    maxTokens: IMAGE_READING_MAX_TOKENS,
    signal: AbortSignal.timeout(deps.config.turn.deadlineMs),
  });
  await recordAttempts(deps.db, input.scope, response.attempts, input.wamid);
  if (response.fallback) return refuse(deps, input, 'image', 'vision_unavailable', response.fallback);

  const answer = response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  const reading = parseImageReading(answer);
  const description = truncate(reading.description.replace(/\s+/g, ' ').trim(), ECHO_MAX * 2);
  await deps.db.transaction(input.scope, (tx) =>
    setInboundBody(tx, input.wamid, [caption, `📷 ${description}`].filter(Boolean).join('\n')),
  );
  deps.metrics.add(MetricNames.mediaMessages, 'Count', 1, { kind: 'image', outcome: 'understood' });
  return replyToImageReading(reading, facts);
};
