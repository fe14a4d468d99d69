import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../layers/core/ports/clock';
import { MEDIA_URL_TTL_MS } from '../../layers/core/whatsapp/graph/limits';
import {
  markReadSchema,
  type OutboundMessage,
  outboundMessageSchema,
} from '../../layers/core/whatsapp/graph/outbound-schema';
import { CustomerWindows, type SimulatedUser } from './customer-window';
import { MEDIA_DOWNLOAD_PATH, MediaStore } from './media-store';
import { invalidRequest, type MetaErrorAnswer, metaError, WINDOW_CLOSED_STATUS_ERROR } from './meta-errors';
import {
  type DeliverWebhook,
  postTo,
  type StatusName,
  type StatusStep,
  StatusWebhooks,
} from './status-webhooks';
import { newWamid } from './wamid';

export interface GraphStandInOptions {
  /** The bearer token every Graph request must carry (`WHATSAPP_ACCESS_TOKEN` locally). */
  accessToken: string;
  /** Signs the status webhooks, as Meta signs with the app secret. */
  appSecret: string;
  /** 0 (the default) picks a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Where status webhooks go: a function, or a URL to POST to. With neither, none are sent. */
  deliverWebhook?: DeliverWebhook;
  webhookUrl?: string;
  /** Gaps between acceptance and `sent`, `sent` and `delivered`, `delivered` and `read`. */
  statusDelaysMs?: Partial<Record<'sent' | 'delivered' | 'read', number>>;
  /** Whether the user "reads" what they receive. Default true. */
  emitRead?: boolean;
  mediaUrlTtlMs?: number;
  clock?: Clock;
  businessAccountId?: string;
  displayPhoneNumber?: string;
}

export interface OutboxEntry {
  wamid: string;
  phoneNumberId: string;
  /** As addressed: the phone number (`to`) or the BSUID (`recipient`). */
  to: string;
  type: OutboundMessage['type'];
  /** The request body exactly as received. */
  body: unknown;
  /** When the stand-in accepted it, ISO 8601. */
  at: string;
  /** The latest status webhook delivered for it. */
  status: 'accepted' | StatusName;
  errorCode?: number;
}

export interface ReadReceipt {
  phoneNumberId: string;
  messageId: string;
  typing: boolean;
  at: string;
}

export interface OutboxQuery {
  to?: string | undefined;
  /** Inclusive, so a caller that passes the time just before sending misses nothing. */
  since?: Date | string | undefined;
}

export interface InjectedFailure {
  status?: number;
  metaCode?: number;
  details?: string;
}

const MESSAGES_PATH = /^\/v\d+\.\d+\/([^/]+)\/messages$/;
const NODE_PATH = /^\/v\d+\.\d+\/(\d+)$/;
const DEFAULT_DELAYS = { sent: 5, delivered: 5, read: 5 };
const PMP = 'PMP';

/**
 * A loopback stand-in for the Graph API: it validates what we send against Meta's limits and
 * the 24 h window, records it, and answers and follows up with webhooks the way Meta does.
 *
 * Outside the window Meta accepts a non-template message (HTTP 200 and a wamid) and reports
 * 131047 later in a `failed` status webhook; the stand-in does the same, so code that only
 * checks the HTTP answer fails here as it would in production.
 */
export class GraphStandIn {
  private readonly server: Server;
  private readonly clock: Clock;
  private readonly windows = new CustomerWindows();
  private readonly media: MediaStore;
  private readonly webhooks: StatusWebhooks;
  private readonly delays: typeof DEFAULT_DELAYS;
  private readonly entries: OutboxEntry[] = [];
  /** Each entry's acceptance time in ms, and whether they have only ever grown. */
  private readonly acceptedAt: number[] = [];
  private acceptedInOrder = true;
  private readonly receipts: ReadReceipt[] = [];
  private readonly failures: InjectedFailure[] = [];
  private readonly slowdowns: number[] = [];
  /** Per recipient: a user's own slow sends, as Meta's pair rate limit (131056) makes them. */
  private readonly sendSlowdowns = new Map<string, number[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;
  private baseUrl = '';

  private constructor(private readonly options: GraphStandInOptions) {
    this.clock = options.clock ?? systemClock;
    this.media = new MediaStore(this.clock, options.mediaUrlTtlMs ?? MEDIA_URL_TTL_MS);
    this.delays = { ...DEFAULT_DELAYS, ...options.statusDelaysMs };
    this.webhooks = new StatusWebhooks({
      appSecret: options.appSecret,
      deliver:
        options.deliverWebhook ?? (options.webhookUrl ? postTo(options.webhookUrl) : () => Promise.resolve()),
      clock: this.clock,
      businessAccountId: options.businessAccountId ?? '100000000000001',
      displayPhoneNumber: options.displayPhoneNumber ?? '15550000000',
    });
    this.server = createServer((request, response) => {
      const handling: Promise<void> = this.handle(request, response)
        .catch(() => this.answer(response, metaError(131000)))
        .finally(() => this.inFlight.delete(handling));
      this.inFlight.add(handling);
    });
  }

  static async start(options: GraphStandInOptions): Promise<GraphStandIn> {
    const standIn = new GraphStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(options.port ?? 0, '127.0.0.1', resolve));
    standIn.baseUrl = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`;
    return standIn;
  }

  /** The base URL to give the Graph client instead of `https://graph.facebook.com`. */
  get url(): string {
    return this.baseUrl;
  }

  /** A simulated user message opens (or resets) that user's 24 h window. */
  recordInbound(phoneNumberId: string, user: SimulatedUser, at: Date): void {
    this.windows.recordInbound(phoneNumberId, user, at);
  }

  /** Stores bytes as uploaded media; returns the media id for `GET /{media_id}`. */
  registerMedia(bytes: Uint8Array, mimeType: string): string {
    return this.media.register(bytes, mimeType);
  }

  /** Accepted messages, oldest first. `to` matches either identifier of a known user. */
  outbox(query: OutboxQuery = {}): OutboxEntry[] {
    const since = query.since === undefined ? undefined : new Date(query.since).getTime();
    const to = query.to;
    return this.entries
      .slice(since === undefined ? 0 : this.firstAcceptedAt(since))
      .filter((entry) => since === undefined || Date.parse(entry.at) >= since)
      .filter((entry) => to === undefined || entry.to === to || this.windows.partnerOf(entry.to) === to)
      .map((entry) => structuredClone(entry));
  }

  /**
   * Where entries accepted at or after `since` may start. A poller asks for what is new many times a
   * second, so while acceptance times only grow (a test clock may go back) this is a binary search.
   */
  private firstAcceptedAt(since: number): number {
    if (!this.acceptedInOrder) return 0;
    let low = 0;
    let high = this.acceptedAt.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.acceptedAt[middle]! < since) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Mark-as-read requests, oldest first. */
  reads(): ReadReceipt[] {
    return this.receipts.map((receipt) => ({ ...receipt }));
  }

  /** Status webhooks that could not be delivered after retries. */
  get webhookFailures(): readonly string[] {
    return this.webhooks.failures;
  }

  /** The next `count` Graph requests answer Meta's error for `metaCode` (or a bare status). */
  failNext(count: number, failure: InjectedFailure): void {
    for (let i = 0; i < count; i += 1) this.failures.push(failure);
  }

  /** The next `count` Graph requests wait `ms` before being handled. */
  delayNext(ms: number, count = 1): void {
    for (let i = 0; i < count; i += 1) this.slowdowns.push(ms);
  }

  /** The next `count` messages sent to `to` wait `ms` before being handled; other users' do not. */
  delayNextSendTo(to: string, ms: number, count = 1): void {
    this.sendSlowdowns.set(to, [...(this.sendSlowdowns.get(to) ?? []), ...Array<number>(count).fill(ms)]);
  }

  /** Resolves when every status webhook scheduled so far has been delivered. */
  settled(): Promise<void> {
    return this.webhooks.settled();
  }

  /** Stops listening, waits for requests in progress and webhooks being delivered; drops the rest. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    await Promise.all([...this.inFlight]);
    // Keep-alive sockets would otherwise hold `close` open for the client's idle timeout.
    this.server.closeAllConnections();
    await closed;
    await this.webhooks.close();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const method = request.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/local/outbox') {
      const query = {
        to: url.searchParams.get('to') ?? undefined,
        since: url.searchParams.get('since') ?? undefined,
      };
      if (query.since !== undefined && Number.isNaN(Date.parse(query.since))) {
        return this.json(response, 400, { error: 'since must be an ISO 8601 time' });
      }
      return this.json(response, 200, this.outbox(query));
    }
    const body = await readBody(request);
    const slowdown = this.slowdowns.shift() ?? this.sendSlowdownFor(body);
    if (slowdown !== undefined) await new Promise((resolve) => setTimeout(resolve, slowdown));
    const failure = this.failures.shift();
    if (failure) return this.answer(response, injected(failure));
    if (request.headers.authorization !== `Bearer ${this.options.accessToken}`) {
      return this.answer(response, metaError(190, { subcode: 463 }));
    }
    const messages = MESSAGES_PATH.exec(url.pathname);
    if (method === 'POST' && messages?.[1]) return this.answer(response, this.messages(messages[1], body));
    const node = NODE_PATH.exec(url.pathname);
    if (method === 'GET' && node?.[1]) return this.describeMedia(response, node[1]);
    if (method === 'GET' && url.pathname === MEDIA_DOWNLOAD_PATH) {
      const stored = this.media.download(url.searchParams.get('hash'));
      if (!stored) return this.json(response, 404, { error: 'Not Found' });
      response.writeHead(200, { 'content-type': stored.mimeType, 'content-length': stored.bytes.length });
      response.end(stored.bytes);
      return;
    }
    this.answer(response, metaError(2500, { message: `Unknown path components: ${url.pathname}` }));
  }

  private sendSlowdownFor(body: string): number | undefined {
    if (this.sendSlowdowns.size === 0) return undefined;
    const to = recipientOf(body);
    return to === undefined ? undefined : this.sendSlowdowns.get(to)?.shift();
  }

  /** `POST /{phone_number_id}/messages`: a message, or a mark-as-read (with typing). */
  private messages(phoneNumberId: string, raw: string): MetaErrorAnswer | { status: 200; body: object } {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return metaError(100, { details: 'The request body is not valid JSON' });
    }
    if (typeof json === 'object' && json !== null && 'status' in json) {
      const read = markReadSchema.safeParse(json);
      if (!read.success) return invalidRequest(read.error.issues);
      this.receipts.push({
        phoneNumberId,
        messageId: read.data.message_id,
        typing: read.data.typing_indicator !== undefined,
        at: this.clock.now().toISOString(),
      });
      return { status: 200, body: { success: true } };
    }
    const parsed = outboundMessageSchema.safeParse(json);
    if (!parsed.success) return invalidRequest(parsed.error.issues);
    return { status: 200, body: this.accept(phoneNumberId, parsed.data, json) };
  }

  private accept(phoneNumberId: string, message: OutboundMessage, body: unknown): object {
    const byPhone = message.to !== undefined;
    // The schema requires one of the two; Meta lets `to` win when both are present.
    const userKey = message.to?.replace(/^\+/, '') ?? message.recipient ?? '';
    const now = this.clock.now();
    const entry: OutboxEntry = {
      wamid: newWamid(userKey),
      phoneNumberId,
      to: userKey,
      type: message.type,
      body,
      at: now.toISOString(),
      status: 'accepted',
    };
    this.entries.push(entry);
    if (now.getTime() < (this.acceptedAt.at(-1) ?? 0)) this.acceptedInOrder = false;
    this.acceptedAt.push(now.getTime());
    const partner = this.windows.partnerOf(userKey);
    this.webhooks.schedule({
      wamid: entry.wamid,
      phoneNumberId,
      recipient: byPhone ? { waId: userKey, bsuid: partner } : { waId: partner, bsuid: userKey },
      steps: this.statusSteps(message, this.windows.isOpen(phoneNumberId, userKey, now)),
      onDelivered: (status) => {
        entry.status = status;
        if (status === 'failed') entry.errorCode = WINDOW_CLOSED_STATUS_ERROR.code;
      },
    });
    return {
      messaging_product: 'whatsapp',
      contacts: [
        { input: message.to ?? message.recipient, ...(byPhone ? { wa_id: userKey } : { user_id: userKey }) },
      ],
      messages: [{ id: entry.wamid, ...(message.type === 'template' && { message_status: 'accepted' }) }],
    };
  }

  private statusSteps(message: OutboundMessage, windowOpen: boolean): StatusStep[] {
    const template = message.type === 'template';
    if (!template && !windowOpen) {
      return [{ status: 'failed', delayMs: this.delays.sent, errors: [WINDOW_CLOSED_STATUS_ERROR] }];
    }
    // Pricing as v24+ reports it; in-window service replies are free, templates are charged.
    const pricing = template
      ? { type: 'regular', category: 'utility', pricing_model: PMP }
      : { type: 'free_customer_service', category: 'service', pricing_model: PMP };
    const sent: StatusStep = { status: 'sent', delayMs: this.delays.sent, pricing };
    // Reactions only ever report `sent`.
    if (message.type === 'reaction') return [sent];
    const delivered: StatusStep = { status: 'delivered', delayMs: this.delays.delivered, pricing };
    const read: StatusStep = { status: 'read', delayMs: this.delays.read, pricing };
    return this.options.emitRead === false ? [sent, delivered] : [sent, delivered, read];
  }

  private describeMedia(response: ServerResponse, mediaId: string): void {
    const description = this.media.describe(mediaId, this.baseUrl);
    if (description) return this.json(response, 200, description);
    this.answer(
      response,
      metaError(100, {
        subcode: 33,
        message: `Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      }),
    );
  }

  private answer(response: ServerResponse, answer: { status: number; body: object }): void {
    this.json(response, answer.status, answer.body);
  }

  private json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(JSON.stringify(body));
  }
}

const recipientOf = (raw: string): string | undefined => {
  try {
    const { to } = JSON.parse(raw) as { to?: unknown };
    return typeof to === 'string' ? to : undefined;
  } catch {
    return undefined;
  }
};

const injected = ({ status, metaCode, details }: InjectedFailure): MetaErrorAnswer =>
  metaError(metaCode ?? (status !== undefined && status >= 500 ? 131000 : 100), {
    ...(status !== undefined && { status }),
    ...(details !== undefined && { details }),
  });

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};
