import { markReadSchema } from '../../layers/core/whatsapp/graph/outbound-schema';

export interface SentMessage {
  readonly wamid: string;
  readonly to: string;
  /** The inbound message it answers (`context.message_id`), for replies. */
  readonly replyTo: string | undefined;
  readonly body: Record<string, unknown>;
}

const MESSAGES_PATH = /\/v\d+\.\d+\/[^/]+\/messages$/;

/** The Graph client sends JSON text; anything else is a bug in the test. */
export const bodyText = (init: RequestInit | undefined): string => {
  if (typeof init?.body !== 'string') throw new TypeError('expected a JSON text body');
  return init.body;
};

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export const metaErrorResponse = (status: number, code: number, message: string): Response =>
  json(status, { error: { message, type: 'OAuthException', code, fbtrace_id: 'AFakeTrace' } });

/**
 * Meta's Graph API as a `fetch`, in process: it records each send in the sent log and answers with a
 * wamid. The log is the ground truth of what users received.
 */
export class MetaFake {
  readonly sent: SentMessage[] = [];
  readonly reads: string[] = [];

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (init?.method !== 'POST' || !MESSAGES_PATH.test(new URL(url).pathname)) {
      return metaErrorResponse(400, 100, `Unsupported request ${init?.method ?? 'GET'} ${url}`);
    }
    const body = JSON.parse(bodyText(init)) as Record<string, unknown>;
    if ('status' in body) {
      const read = markReadSchema.safeParse(body);
      if (!read.success) return metaErrorResponse(400, 100, 'Invalid read receipt');
      this.reads.push(read.data.message_id);
      return json(200, { success: true });
    }
    // The Graph client validated the message against Meta's limits before sending it.
    const message = body as { to?: string; recipient?: string };
    const wamid = `wamid.SENT${String(this.sent.length + 1).padStart(6, '0')}`;
    const to = message.to ?? message.recipient ?? '';
    const context = body.context as { message_id?: string } | undefined;
    this.sent.push({ wamid, to, replyTo: context?.message_id, body });
    return Promise.resolve(
      json(200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: wamid }],
      }),
    );
  };
}
