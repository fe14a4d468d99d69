import { PermanentError, TransientError } from '../../errors';
import { maskPhoneNumbersIn } from '../../logging';
import { PAIR_RATE_LIMIT_DELAY_MS } from './limits';
import { metaErrorResponseSchema } from './schemas';

/**
 * The one place that decides what a Graph API failure means: retry, wait, switch to a template
 * or give up. Codes: Meta's Cloud API error-code reference (FACTS.md "Sending (Graph API)").
 */

/** What Meta said about a failure, kept on the error for logs and support tickets. */
export interface GraphErrorInfo {
  /** `error.code` in Meta's body; absent for network failures and timeouts. */
  metaCode?: number;
  metaSubcode?: number;
  /** Meta's request id: what their support asks for. */
  fbtraceId?: string;
  /** HTTP status; absent when no response arrived. */
  status?: number;
  /** No connection was ever made (refused, no such host): Meta cannot have seen the request. */
  unreached?: boolean;
}

export class GraphTransientError extends TransientError {
  readonly metaCode: number | undefined;
  readonly metaSubcode: number | undefined;
  readonly fbtraceId: string | undefined;
  readonly status: number | undefined;
  readonly unreached: boolean;
  constructor(code: string, message: string, info: GraphErrorInfo = {}, options?: { cause?: unknown }) {
    super(code, message, options);
    ({
      metaCode: this.metaCode,
      metaSubcode: this.metaSubcode,
      fbtraceId: this.fbtraceId,
      status: this.status,
    } = info);
    this.unreached = info.unreached ?? false;
  }
}

export class GraphPermanentError extends PermanentError {
  readonly metaCode: number | undefined;
  readonly metaSubcode: number | undefined;
  readonly fbtraceId: string | undefined;
  readonly status: number | undefined;
  constructor(code: string, message: string, info: GraphErrorInfo = {}) {
    super(code, message);
    ({
      metaCode: this.metaCode,
      metaSubcode: this.metaSubcode,
      fbtraceId: this.fbtraceId,
      status: this.status,
    } = info);
  }
}

export type GraphError = GraphTransientError | GraphPermanentError;

/** Meta's code for a free-form message sent outside the 24 h window (FACTS.md). */
export const WINDOW_CLOSED_CODE = 131047;

/** 131047: the 24 h window is closed. Not retryable: only a template reaches the user now. */
export class WindowClosedError extends GraphPermanentError {
  constructor(message: string, info: GraphErrorInfo) {
    super('graph_window_closed', message, info);
  }
}

/** 131056: too many messages to this one user. Others are unaffected; wait, then retry. */
export class PairRateLimitError extends GraphTransientError {
  readonly retryAfterMs = PAIR_RATE_LIMIT_DELAY_MS;
  constructor(message: string, info: GraphErrorInfo) {
    super('graph_pair_rate_limited', message, info);
  }
}

/** A media URL lives five minutes; a 404 means ask `GET /{media_id}` for a fresh one. */
export class MediaUrlExpiredError extends GraphPermanentError {
  constructor(status: number) {
    super('graph_media_url_expired', 'Media URL expired or unknown; request a fresh one', { status });
  }
}

/** The file is larger than we accept for its kind: refused before or while downloading it. */
export class MediaTooLargeError extends GraphPermanentError {
  constructor(readonly maxBytes: number) {
    super('graph_media_too_large', `Media is larger than ${maxBytes} bytes`);
  }
}

export interface ValidationIssue {
  /** Where in the request body, e.g. `interactive.action.buttons.0.reply.title`. */
  path: string;
  message: string;
}

/** A message our builders refused before any request: it would break one of Meta's limits. */
export class MessageValidationError extends PermanentError {
  override readonly httpStatus = 400;
  /** Never Meta's: nothing was sent. Present so every send error has the same fields. */
  readonly metaCode = undefined;
  readonly fbtraceId = undefined;
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(
      'message_invalid',
      `Invalid WhatsApp message: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
}

/**
 * True when a request certainly had no effect, so sending it again cannot deliver a message twice: Meta
 * answered it with an error status, our own checks refused it before any request, or no connection was
 * ever made. A timeout, a dropped connection or a 2xx with a body we could not read may all have sent it.
 */
export const certainlyNotSent = (error: unknown): boolean => {
  if (error instanceof MessageValidationError) return true;
  if (error instanceof GraphTransientError && error.unreached) return true;
  return (
    (error instanceof GraphTransientError || error instanceof GraphPermanentError) &&
    error.status !== undefined &&
    error.status >= 400
  );
};

type ErrorFactory = (message: string, info: GraphErrorInfo) => GraphError;
const transient =
  (code: string): ErrorFactory =>
  (message, info) =>
    new GraphTransientError(code, message, info);
const permanent =
  (code: string): ErrorFactory =>
  (message, info) =>
    new GraphPermanentError(code, message, info);

const BY_META_CODE = new Map<number, ErrorFactory>([
  [WINDOW_CLOSED_CODE, (message, info) => new WindowClosedError(message, info)],
  [131056, (message, info) => new PairRateLimitError(message, info)],
  // Throughput: 80 msg/s per number by default; 4 and 80007 are the app and account limits.
  [130429, transient('graph_throughput_limited')],
  [4, transient('graph_app_rate_limited')],
  [80007, transient('graph_account_rate_limited')],
  // The number is being migrated or upgraded: it comes back within minutes.
  [131057, transient('graph_account_maintenance')],
  [131026, permanent('graph_undeliverable')],
  [131051, permanent('graph_unsupported_type')],
  [100, permanent('graph_invalid_parameter')],
  [131008, permanent('graph_missing_parameter')],
  [131009, permanent('graph_invalid_parameter')],
  // A token does not heal by retrying; an alarm on this code tells someone to rotate it.
  [190, permanent('graph_token_invalid')],
  [368, permanent('graph_policy_blocked')],
]);

const TEMPLATE_ERRORS = { from: 132000, to: 132999 };

/**
 * Codes not listed (131000 "Something went wrong" among them) are judged by the HTTP status:
 * Meta answers its own outages with 5xx, and throttling or a slow upstream with 429 or 408.
 */
const byStatus = (status: number): ErrorFactory =>
  status >= 500 || status === 429 || status === 408
    ? transient('graph_unavailable')
    : permanent('graph_rejected');

const factoryFor = (metaCode: number | undefined, status: number): ErrorFactory => {
  if (metaCode === undefined) return byStatus(status);
  if (metaCode >= TEMPLATE_ERRORS.from && metaCode <= TEMPLATE_ERRORS.to)
    return permanent('graph_template_error');
  return BY_META_CODE.get(metaCode) ?? byStatus(status);
};

/** Error text goes to logs: never the token, and phone numbers only masked. */
const scrub = (text: string, secret: string | undefined): string =>
  maskPhoneNumbersIn(secret ? text.replaceAll(secret, '[redacted]') : text);

/** The error for a non-2xx answer. `secret` (the access token) is removed from any text kept. */
export const graphErrorFromResponse = (status: number, body: unknown, secret?: string): GraphError => {
  const parsed = metaErrorResponseSchema.safeParse(body);
  if (!parsed.success) return byStatus(status)(`Graph API answered HTTP ${status}`, { status });
  const { code, error_subcode, fbtrace_id, message, error_data } = parsed.data.error;
  const info: GraphErrorInfo = { metaCode: code, status };
  if (error_subcode !== undefined) info.metaSubcode = error_subcode;
  if (fbtrace_id !== undefined) info.fbtraceId = fbtrace_id;
  const text = [message ?? 'no message', error_data?.details].filter(Boolean).join(' — ');
  return factoryFor(code, status)(scrub(`Graph API error ${code} (HTTP ${status}): ${text}`, secret), info);
};

/** No answer: connection refused or reset, DNS, or our own timeout. Always worth a retry. */
export const graphNetworkError = (
  cause: unknown,
  timedOut: boolean,
  secret?: string,
): GraphTransientError => {
  if (timedOut)
    return new GraphTransientError('graph_timeout', 'Graph API did not answer in time', {}, { cause });
  // undici reports "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND…) on its cause.
  const reason = [cause, fieldOf(cause, 'cause')]
    .map((value) => fieldOf(value, 'message'))
    .filter((message): message is string => typeof message === 'string')
    .join(': ');
  const errno = [cause, fieldOf(cause, 'cause')].map((value) => fieldOf(value, 'code')).find(Boolean);
  return new GraphTransientError(
    'graph_network',
    scrub(`Graph API unreachable: ${reason}`, secret),
    { unreached: typeof errno === 'string' && CONNECT_ERRNOS.has(errno) },
    { cause },
  );
};

/** Failures to connect at all: the request never left this machine. */
const CONNECT_ERRNOS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Duck-typed: errors from fetch may come from another realm, where `instanceof Error` fails. */
const fieldOf = (value: unknown, field: 'cause' | 'message' | 'code'): unknown =>
  typeof value === 'object' && value !== null && field in value
    ? (value as Record<string, unknown>)[field]
    : undefined;
