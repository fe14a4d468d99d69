import type { OutboxEntry, ReadEvent, SimulatorConfig } from './types';

/** The local stack's endpoints the page uses (DESIGN.md "The local stack's contract"). */

const json = async <T>(response: Response): Promise<T> => {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
  return (await response.json()) as T;
};

export const fetchConfig = async (): Promise<SimulatorConfig> =>
  json<SimulatorConfig>(await fetch('/local/simulator/config'));

/** POSTs a signed webhook as Meta does; the answer's status is what the ingress said. */
export const postWebhook = (body: Uint8Array<ArrayBuffer>, signature: string): Promise<Response> =>
  fetch('/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body,
  });

/** Stores bytes in the Graph API stand-in, as if WhatsApp had received them; returns the media id. */
export const uploadMedia = async (bytes: ArrayBuffer, mimeType: string): Promise<string> => {
  const { id } = await json<{ id: string }>(
    await fetch('/local/media', { method: 'POST', headers: { 'content-type': mimeType }, body: bytes }),
  );
  return id;
};

export interface StreamHandlers {
  outbound: (entry: OutboxEntry) => void;
  read: (event: ReadEvent) => void;
  /** The stream is up (again): it replays the whole outbox, so nothing missed while down is lost. */
  open: () => void;
  error: () => void;
}

/** Live updates for one user; EventSource reconnects by itself after a drop. */
export const openStream = (waId: string, handlers: StreamHandlers): EventSource => {
  const source = new EventSource(`/local/stream?to=${encodeURIComponent(waId)}`);
  source.addEventListener('outbound', (event) =>
    handlers.outbound(JSON.parse(event.data as string) as OutboxEntry),
  );
  source.addEventListener('read', (event) => handlers.read(JSON.parse(event.data as string) as ReadEvent));
  source.addEventListener('open', () => handlers.open());
  source.addEventListener('error', () => handlers.error());
  return source;
};
