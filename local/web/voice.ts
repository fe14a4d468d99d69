/**
 * WhatsApp voice notes are Ogg/Opus. Firefox records that; Chromium records only WebM/Opus, and
 * rather than mislabel those bytes the page sends the type it really recorded, so a receiver that
 * mishandles a format fails visibly here instead of in production.
 */
const PREFERRED_TYPES = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus', 'audio/webm'];

export interface Recording {
  /** Stops recording and releases the microphone. */
  stop: () => Promise<Blob>;
}

export const canRecord = (): boolean =>
  typeof MediaRecorder !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';

export const startRecording = async (): Promise<Recording> => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const mimeType = PREFERRED_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
  const recorder = new MediaRecorder(stream, mimeType === undefined ? {} : { mimeType });
  const chunks: Blob[] = [];
  recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
  recorder.start();
  return {
    stop: () =>
      new Promise((resolve) => {
        recorder.addEventListener('stop', () => {
          stream.getTracks().forEach((track) => track.stop());
          resolve(new Blob(chunks, { type: recorder.mimeType }));
        });
        recorder.stop();
      }),
  };
};

/** The MIME type to announce in the webhook: Meta's exact spelling for Ogg/Opus voice notes. */
export const voiceMimeType = (type: string): string =>
  /^audio\/ogg/.test(type) || /^audio\/opus/.test(type)
    ? 'audio/ogg; codecs=opus'
    : type.replace(/;\s*/g, '; ');
