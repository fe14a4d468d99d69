import { byId, h } from './dom';
import { uploadMedia } from './server';
import { canRecord, type Recording, startRecording, voiceMimeType } from './voice';
import { type InboundContent, sha256Base64 } from './webhook';

/** A message the user is about to send, with what their own bubble shows. */
export interface Outgoing {
  content: InboundContent;
  text: string;
  contextWamid?: string;
  media?: 'image' | 'audio';
  preview?: Node;
}

export interface ComposerHooks {
  send: (outgoing: Outgoing) => Promise<void>;
  notify: (text: string) => void;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The text box, the send button, photo and audio attachments and voice recording. */
export const composer = ({ send, notify }: ComposerHooks) => {
  const form = byId('composer-form', HTMLFormElement);
  const text = byId('composer', HTMLTextAreaElement);
  const imageInput = byId('image-input', HTMLInputElement);
  const audioInput = byId('audio-input', HTMLInputElement);
  const record = byId('record', HTMLButtonElement);

  const takeText = (): string => {
    const value = text.value.trim();
    text.value = '';
    return value;
  };

  /** As WhatsApp does, the photo or audio goes to the media store first and the webhook carries its id. */
  const sendMedia = async (blob: Blob, kind: 'image' | 'audio', voice: boolean): Promise<void> => {
    const bytes = await blob.arrayBuffer();
    const mimeType = kind === 'audio' ? voiceMimeType(blob.type) : blob.type || 'image/jpeg';
    const [id, sha256] = await Promise.all([uploadMedia(bytes, mimeType), sha256Base64(bytes)]);
    const url = URL.createObjectURL(blob);
    if (kind === 'image') {
      const caption = takeText();
      return send({
        content: { type: 'image', image: { id, mime_type: mimeType, sha256, ...(caption && { caption }) } },
        text: caption,
        media: 'image',
        preview: h('img', { class: 'preview', src: url, alt: caption || 'Photo you sent' }),
      });
    }
    return send({
      content: { type: 'audio', audio: { id, mime_type: mimeType, sha256, voice } },
      text: '',
      media: 'audio',
      preview: h('audio', { class: 'preview', src: url, controls: '', 'aria-label': 'Voice note you sent' }),
    });
  };

  const attempt = (work: Promise<void>) =>
    work.catch((error: unknown) => notify(`Could not send: ${errorText(error)}`));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = takeText();
    if (body) void attempt(send({ content: { type: 'text', text: { body } }, text: body }));
    text.focus();
  });
  // Enter sends and Shift+Enter starts a new line, as in WhatsApp Web; not while an IME is composing.
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  byId('attach-image', HTMLButtonElement).addEventListener('click', () => imageInput.click());
  byId('attach-audio', HTMLButtonElement).addEventListener('click', () => audioInput.click());
  imageInput.addEventListener('change', () => {
    const file = imageInput.files?.[0];
    imageInput.value = '';
    if (file) void attempt(sendMedia(file, 'image', false));
  });
  audioInput.addEventListener('change', () => {
    const file = audioInput.files?.[0];
    audioInput.value = '';
    // A file is a voice note only if it is what WhatsApp records: Ogg/Opus.
    if (file) void attempt(sendMedia(file, 'audio', /ogg|opus/.test(file.type)));
  });

  let recording: Recording | undefined;
  const setRecording = (on: boolean) => {
    record.setAttribute('aria-pressed', String(on));
    record.setAttribute('aria-label', on ? 'Stop and send the voice note' : 'Record a voice note');
    record.classList.toggle('recording', on);
  };
  if (!canRecord()) {
    record.disabled = true;
    record.title = 'Recording needs a microphone; send an audio file with 📎 instead';
  }
  record.addEventListener('click', () => {
    if (recording) {
      const active = recording;
      recording = undefined;
      setRecording(false);
      void attempt(active.stop().then((blob) => sendMedia(blob, 'audio', true)));
      return;
    }
    // Asking for the microphone can take a while (a permission prompt): no second start meanwhile.
    record.disabled = true;
    void startRecording()
      .then(
        (started) => {
          recording = started;
          setRecording(true);
        },
        (error: unknown) => notify(`Cannot record: ${errorText(error)}`),
      )
      .finally(() => (record.disabled = false));
  });

  return {
    enable: (on: boolean): void => {
      for (const control of form.querySelectorAll<HTMLButtonElement | HTMLTextAreaElement>(
        'button, textarea',
      ))
        control.disabled = !on || (control === record && !canRecord());
    },
  };
};
