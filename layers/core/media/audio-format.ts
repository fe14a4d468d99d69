import { PermanentError } from '../errors';

/** How to name a voice note to a transcription API: the extension and type say which container it is. */
export interface AudioUpload {
  readonly filename: string;
  readonly type: string;
}

const OGG: AudioUpload = { filename: 'voice.ogg', type: 'audio/ogg' };
const WEBM: AudioUpload = { filename: 'voice.webm', type: 'audio/webm' };
const MP3: AudioUpload = { filename: 'voice.mp3', type: 'audio/mpeg' };
const M4A: AudioUpload = { filename: 'voice.m4a', type: 'audio/mp4' };
const WAV: AudioUpload = { filename: 'voice.wav', type: 'audio/wav' };
const FLAC: AudioUpload = { filename: 'voice.flac', type: 'audio/flac' };

const ascii = (bytes: Uint8Array, from: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(from, from + length));

/**
 * The container, read from the first bytes. WhatsApp voice notes are Ogg/Opus, but Chromium (the
 * local simulator) records WebM/Opus, and users forward other files; the declared type is only a
 * hint. AAC in ADTS and AMR, which WhatsApp also carries, are not accepted by the transcription API.
 */
const sniff = (bytes: Uint8Array): AudioUpload | 'unsupported' | undefined => {
  if (ascii(bytes, 0, 4) === 'OggS') return OGG;
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return WEBM;
  if (ascii(bytes, 4, 4) === 'ftyp') return M4A;
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return WAV;
  if (ascii(bytes, 0, 4) === 'fLaC') return FLAC;
  if (ascii(bytes, 0, 3) === 'ID3') return MP3;
  if (ascii(bytes, 0, 5) === '#!AMR') return 'unsupported';
  if (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) {
    // An MPEG frame header; layer bits 00 mean AAC in ADTS rather than MP3.
    return ((bytes[1] ?? 0) & 0x06) === 0 ? 'unsupported' : MP3;
  }
  return undefined;
};

const BY_TYPE: Readonly<Record<string, AudioUpload>> = {
  'audio/ogg': OGG,
  'audio/opus': OGG,
  'audio/webm': WEBM,
  'audio/mpeg': MP3,
  'audio/mp3': MP3,
  'audio/mp4': M4A,
  'audio/m4a': M4A,
  'audio/x-m4a': M4A,
  'audio/wav': WAV,
  'audio/x-wav': WAV,
  'audio/flac': FLAC,
};

/** The transcription API takes flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav and webm, nothing else. */
export class UnsupportedAudioError extends PermanentError {
  constructor(mimeType: string) {
    super('audio_format_unsupported', `Audio of type ${mimeType} cannot be transcribed`);
  }
}

/** The name and type to upload `bytes` under; throws `UnsupportedAudioError` for a format the API refuses. */
export const audioUploadOf = (bytes: Uint8Array, mimeType: string): AudioUpload => {
  const sniffed = sniff(bytes);
  if (sniffed === 'unsupported') throw new UnsupportedAudioError(mimeType);
  const declared = BY_TYPE[mimeType.split(';')[0]!.trim().toLowerCase()];
  const upload = sniffed ?? declared;
  if (!upload) throw new UnsupportedAudioError(mimeType);
  return upload;
};
