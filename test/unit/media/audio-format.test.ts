import { audioUploadOf, UnsupportedAudioError } from '../../../layers/core/media/audio-format';

const bytes = (...head: (number | string)[]) =>
  Buffer.concat([
    ...head.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from([part]))),
    Buffer.alloc(16),
  ]);

describe('audio upload name and type', () => {
  it.each([
    ['Ogg/Opus (WhatsApp voice notes)', bytes('OggS'), 'audio/ogg; codecs=opus', 'voice.ogg', 'audio/ogg'],
    [
      'WebM/Opus (Chromium’s recorder)',
      bytes(0x1a, 0x45, 0xdf, 0xa3),
      'audio/webm;codecs=opus',
      'voice.webm',
      'audio/webm',
    ],
    ['MP3 with an ID3 tag', bytes('ID3'), 'audio/mpeg', 'voice.mp3', 'audio/mpeg'],
    ['MP3 frames', bytes(0xff, 0xfb, 0x90), 'audio/mpeg', 'voice.mp3', 'audio/mpeg'],
    ['M4A', bytes(0, 0, 0, 0x20, 'ftypM4A '), 'audio/mp4', 'voice.m4a', 'audio/mp4'],
    ['WAV', bytes('RIFF', 0, 0, 0, 0, 'WAVE'), 'audio/wav', 'voice.wav', 'audio/wav'],
    ['FLAC', bytes('fLaC'), 'audio/flac', 'voice.flac', 'audio/flac'],
  ])('names %s by its first bytes', (_case, data, mimeType, filename, type) => {
    expect(audioUploadOf(data, mimeType)).toEqual({ filename, type });
  });

  it('trusts the bytes over a declared type that does not match them', () => {
    expect(audioUploadOf(bytes(0x1a, 0x45, 0xdf, 0xa3), 'audio/ogg; codecs=opus')).toEqual({
      filename: 'voice.webm',
      type: 'audio/webm',
    });
  });

  it('falls back on the declared type when the bytes say nothing', () => {
    expect(audioUploadOf(bytes('????'), 'audio/ogg; codecs=opus').filename).toBe('voice.ogg');
  });

  it.each([
    ['AAC in ADTS', bytes(0xff, 0xf1, 0x50), 'audio/aac'],
    ['AMR', bytes('#!AMR\n'), 'audio/amr'],
    ['an unknown type', bytes('????'), 'audio/x-something'],
  ])('refuses %s, which the transcription API does not take', (_case, data, mimeType) => {
    expect(() => audioUploadOf(data, mimeType)).toThrow(UnsupportedAudioError);
  });
});
