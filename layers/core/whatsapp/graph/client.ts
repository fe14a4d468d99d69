import { createHash } from 'node:crypto';
import type * as z from 'zod/mini';
import { ChasquiError } from '../../errors';
import type { Clock } from '../../ports/clock';
import {
  certainlyNotSent,
  GraphPermanentError,
  graphErrorFromResponse,
  graphNetworkError,
  MediaTooLargeError,
  MediaUrlExpiredError,
} from './errors';
import { type OutboundMessage, parseOutboundMessage } from './outbound-schema';
import { defaultRetryDeps, defaultRetryPolicy, type RetryDeps, type RetryPolicy, withRetries } from './retry';
import {
  type MediaUrl,
  mediaUrlResponseSchema,
  sendMessageResponseSchema,
  successResponseSchema,
} from './schemas';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

/**
 * Meta serves media from its CDN hosts; the bearer token is sent to those and to the configured
 * base URL (the local stand-in), never to a URL from anywhere else.
 */
const MEDIA_HOST_SUFFIXES = ['.fbsbx.com', '.facebook.com', '.whatsapp.net', '.fbcdn.net'];

export interface GraphClientConfig {
  /** Pinned Graph API version, e.g. `v23.0`. */
  apiVersion: string;
  baseUrl?: string;
  /** Called before every request, so a rotated token is picked up; cache it in the getter. */
  accessToken: () => Promise<string>;
  fetch?: typeof fetch;
  /** Per attempt, including reading the body. */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  clock?: Clock;
}

export interface SendResult {
  wamid: string;
  /** The phone number Meta resolved the recipient to; absent for a BSUID-only send. */
  contactWaId?: string;
  contactUserId?: string;
}

export interface MediaFetchOptions {
  /** Refuse a larger file: before downloading when Meta reports its size, and while reading it. */
  maxBytes?: number;
  /** The `sha256` the webhook carried; the bytes must match it as well as the one `GET /{media_id}` reports. */
  expectedSha256?: string;
}

export interface DownloadedMedia {
  bytes: Uint8Array;
  mimeType: string;
  sha256: string;
  fileSize: number;
}

/** The Graph API as the core sees it: the port that handlers receive. */
export interface GraphApi {
  sendMessage(phoneNumberId: string, payload: OutboundMessage): Promise<SendResult>;
  /** Only show typing when a reply will follow: it stays up to 25 s or until we answer. */
  markRead(phoneNumberId: string, wamid: string, options: { typing: boolean }): Promise<void>;
  getMediaUrl(mediaId: string): Promise<MediaUrl>;
  downloadMedia(url: string, options?: Pick<MediaFetchOptions, 'maxBytes'>): Promise<Uint8Array>;
  fetchMedia(mediaId: string, options?: MediaFetchOptions): Promise<DownloadedMedia>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class GraphClient implements GraphApi {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly deps: RetryDeps;

  constructor(private readonly config: GraphClientConfig) {
    this.baseUrl = (config.baseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
    this.fetch = config.fetch ?? globalThis.fetch;
    this.timeoutMs = config.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.policy = { ...defaultRetryPolicy, ...config.retry };
    this.deps = {
      sleep: config.sleep ?? defaultRetryDeps.sleep,
      random: config.random ?? defaultRetryDeps.random,
      clock: config.clock ?? defaultRetryDeps.clock,
    };
  }

  async sendMessage(phoneNumberId: string, payload: OutboundMessage): Promise<SendResult> {
    const body = parseOutboundMessage(payload);
    // Not idempotent: only a failure that certainly sent nothing is tried again.
    const response = await this.call(
      this.graphUrl(phoneNumberId, 'messages'),
      sendMessageResponseSchema,
      body,
      certainlyNotSent,
    );
    const contact = response.contacts?.[0];
    return {
      wamid: response.messages[0].id,
      ...(contact?.wa_id && { contactWaId: contact.wa_id }),
      ...(contact?.user_id && { contactUserId: contact.user_id }),
    };
  }

  async markRead(phoneNumberId: string, wamid: string, { typing }: { typing: boolean }): Promise<void> {
    await this.call(this.graphUrl(phoneNumberId, 'messages'), successResponseSchema, {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: wamid,
      ...(typing && { typing_indicator: { type: 'text' } }),
    });
  }

  async getMediaUrl(mediaId: string): Promise<MediaUrl> {
    const { url, mime_type, sha256, file_size } = await this.call(
      this.graphUrl(mediaId),
      mediaUrlResponseSchema,
    );
    return { url, mime_type, sha256, file_size };
  }

  async downloadMedia(url: string, options: Pick<MediaFetchOptions, 'maxBytes'> = {}): Promise<Uint8Array> {
    if (!this.isTrustedMediaUrl(url)) {
      throw new GraphPermanentError(
        'graph_media_host_untrusted',
        'Refusing to send the access token to that host',
      );
    }
    return withRetries(
      () =>
        this.attempt(
          url,
          undefined,
          (response) => readAtMost(response, options.maxBytes ?? Number.POSITIVE_INFINITY),
          (response) => (response.status === 404 ? new MediaUrlExpiredError(response.status) : undefined),
        ),
      this.policy,
      this.deps,
    );
  }

  /**
   * Both steps, asking once more for a fresh URL if the first one expired; refuses a file over
   * `maxBytes` and bytes that do not match their sha256.
   */
  async fetchMedia(mediaId: string, options: MediaFetchOptions = {}): Promise<DownloadedMedia> {
    const { maxBytes } = options;
    const describe = async () => {
      const media = await this.getMediaUrl(mediaId);
      if (maxBytes !== undefined && media.file_size > maxBytes) throw new MediaTooLargeError(maxBytes);
      return media;
    };
    let media = await describe();
    let bytes: Uint8Array;
    try {
      bytes = await this.downloadMedia(media.url, { ...(maxBytes !== undefined && { maxBytes }) });
    } catch (error) {
      if (!(error instanceof MediaUrlExpiredError)) throw error;
      media = await describe();
      bytes = await this.downloadMedia(media.url, { ...(maxBytes !== undefined && { maxBytes }) });
    }
    const expected = [media.sha256, ...(options.expectedSha256 ? [options.expectedSha256] : [])];
    if (!expected.every((sha256) => matchesSha256(bytes, sha256))) {
      throw new GraphPermanentError('graph_media_corrupt', `Media ${mediaId} does not match its sha256`);
    }
    return { bytes, mimeType: media.mime_type, sha256: media.sha256, fileSize: media.file_size };
  }

  private graphUrl(...segments: string[]): string {
    return [this.baseUrl, this.config.apiVersion, ...segments.map(encodeURIComponent)].join('/');
  }

  private isTrustedMediaUrl(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.origin === new URL(this.baseUrl).origin) return true;
    return (
      parsed.protocol === 'https:' && MEDIA_HOST_SUFFIXES.some((suffix) => parsed.hostname.endsWith(suffix))
    );
  }

  /** A JSON call (POST when there is a body) validated with `schema`, retried per the policy. */
  private call<S extends z.ZodMiniType>(
    url: string,
    schema: S,
    body?: unknown,
    retryIf?: (error: unknown) => boolean,
  ): Promise<z.infer<S>> {
    return withRetries(
      () =>
        this.attempt(url, body, async (response) => {
          const parsed = schema.safeParse(await response.json().catch(() => undefined));
          if (parsed.success) return parsed.data;
          // Not retried: the request may well have worked, and a retry would send it twice.
          throw new GraphPermanentError(
            'graph_unexpected_response',
            `Graph API answered HTTP ${response.status} with an unexpected body`,
            { status: response.status },
          );
        }),
      this.policy,
      this.deps,
      retryIf,
    );
  }

  private async attempt<T>(
    url: string,
    body: unknown,
    read: (response: Response) => Promise<T>,
    failure?: (response: Response) => Error | undefined,
  ): Promise<T> {
    const token = await this.config.accessToken();
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await this.fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal,
      });
      if (response.ok) return await read(response);
      throw (
        failure?.(response) ??
        graphErrorFromResponse(response.status, await response.json().catch(() => undefined), token)
      );
    } catch (error) {
      if (error instanceof ChasquiError) throw error;
      throw graphNetworkError(error, signal.aborted, token);
    }
  }
}

/** The body, read in chunks and abandoned as soon as it passes `maxBytes`, so a huge file never fills memory. */
const readAtMost = async (response: Response, maxBytes: number): Promise<Uint8Array> => {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new MediaTooLargeError(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.byteLength;
    // Leaving the loop cancels the stream.
    if (total > maxBytes) throw new MediaTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
};

/** Meta documents a sha256 per media file; it has been seen base64-encoded, so accept either form. */
const matchesSha256 = (bytes: Uint8Array, expected: string): boolean => {
  const digest = createHash('sha256').update(bytes).digest();
  return expected === digest.toString('base64') || expected.toLowerCase() === digest.toString('hex');
};
