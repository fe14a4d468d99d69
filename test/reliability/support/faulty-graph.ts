import type { Clock } from '../../../layers/core/ports/clock';
import { type GraphApi, GraphClient } from '../../../layers/core/whatsapp/graph/client';
import type { OutboundMessage } from '../../../layers/core/whatsapp/graph/outbound-schema';
import { type FaultInjector, ProcessCrashed } from './injector';
import { bodyText, metaErrorResponse, type MetaFake } from '../../support/meta-fake';

type Fetch = typeof fetch;

/** Resolves never; rejects when the client's own timeout aborts the request, as a real hang does. */
const hangUntilAborted = (init?: RequestInit): Promise<Response> =>
  new Promise((_, reject) => {
    const signal = init?.signal;
    if (!signal) return;
    const abort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });

/** A timed-out request lasts only this long: the client's real timeout path, without the wait. */
const TIMEOUT_MS = 5;

/**
 * The real GraphClient, several times over the same Meta fake, each with a `fetch` that fails in one way:
 * the main one answers the planned 500s and 429s per request (so the client's own retries meet them);
 * the others hang until
 * the client's timeout (with or without Meta having the message) or crash the process once Meta has it.
 * Which client a send goes through is the injector's call, by the reply's inbound wamid.
 */
export class FaultyGraph implements GraphApi {
  private readonly main: GraphClient;
  private readonly timesOutUnsent: GraphClient;
  private readonly timesOutAfterMeta: GraphClient;
  private readonly crashesAfterMeta: GraphClient;

  constructor(
    private readonly injector: FaultInjector,
    meta: MetaFake,
    clock: Clock,
  ) {
    const client = (fetchImpl: Fetch, requestTimeoutMs = 10_000) =>
      new GraphClient({
        apiVersion: 'v23.0',
        accessToken: () => Promise.resolve('fault-suite-token'),
        fetch: fetchImpl,
        requestTimeoutMs,
        sleep: () => Promise.resolve(),
        random: () => 0.5,
        clock,
      });
    const mainFetch: Fetch = (input, init) => {
      if (injector.crashed) return Promise.reject(new ProcessCrashed());
      const body = JSON.parse(bodyText(init)) as {
        status?: string;
        message_id?: string;
        context?: { message_id?: string };
      };
      if (body.status === 'read') {
        if (body.message_id && injector.readReceiptFails(body.message_id)) {
          return Promise.resolve(metaErrorResponse(500, 131000, 'Something went wrong'));
        }
        return meta.fetch(input, init);
      }
      switch (injector.beforeSendRequest(body.context?.message_id)) {
        case 'http_500':
          return Promise.resolve(metaErrorResponse(500, 131000, 'Something went wrong'));
        case 'http_429':
          return Promise.resolve(metaErrorResponse(429, 130429, 'Rate limit hit'));
        default:
          return meta.fetch(input, init);
      }
    };
    this.main = client(mainFetch);
    this.timesOutUnsent = client((_input, init) => hangUntilAborted(init), TIMEOUT_MS);
    this.timesOutAfterMeta = client(async (input, init) => {
      await meta.fetch(input, init);
      return hangUntilAborted(init);
    }, TIMEOUT_MS);
    this.crashesAfterMeta = client(async (input, init) => {
      await meta.fetch(input, init);
      injector.crash();
      throw new Error('simulated crash: the process died before reading the answer');
    });
  }

  sendMessage(phoneNumberId: string, payload: OutboundMessage) {
    const replyTo = (payload as { context?: { message_id?: string } }).context?.message_id;
    switch (this.injector.beforeSendCall(replyTo)) {
      case 'timeout_unsent':
        return this.timesOutUnsent.sendMessage(phoneNumberId, payload);
      case 'timeout_after_meta':
        return this.timesOutAfterMeta.sendMessage(phoneNumberId, payload);
      case 'crash_after_meta':
        return this.crashesAfterMeta.sendMessage(phoneNumberId, payload);
      default:
        return this.main.sendMessage(phoneNumberId, payload);
    }
  }

  markRead(phoneNumberId: string, wamid: string, options: { typing: boolean }) {
    return this.main.markRead(phoneNumberId, wamid, options);
  }

  getMediaUrl(mediaId: string) {
    return this.main.getMediaUrl(mediaId);
  }

  downloadMedia(url: string) {
    return this.main.downloadMedia(url);
  }

  fetchMedia(mediaId: string) {
    return this.main.fetchMedia(mediaId);
  }
}
