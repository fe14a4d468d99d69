/** A voice note as it came from WhatsApp: its bytes and the MIME type Meta reported. */
export interface AudioClip {
  readonly bytes: Uint8Array;
  readonly mimeType: string;
}

/** What the vendor billed: newer models bill tokens, Whisper bills seconds of audio. */
export type TranscriptionUsage =
  | {
      readonly kind: 'tokens';
      readonly audioInputTokens: number;
      readonly textInputTokens: number;
      readonly outputTokens: number;
    }
  | { readonly kind: 'seconds'; readonly seconds: number };

export interface Transcription {
  readonly text: string;
  readonly provider: string;
  readonly model: string;
  readonly latencyMs: number;
  readonly usage?: TranscriptionUsage;
}

/** Speech to text. Rejects with a `ProviderError` when the vendor fails, `UnsupportedAudioError` for a format it cannot take. */
export interface Transcriber {
  readonly provider: string;
  readonly model: string;
  transcribe(clip: AudioClip): Promise<Transcription>;
}
