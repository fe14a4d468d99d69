import { ChasquiError } from '../errors';

export type ProviderErrorReason =
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'aborted'
  | 'invalid_response'
  | 'unexpected'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found';

const RETRYABLE_REASONS: ReadonlySet<ProviderErrorReason> = new Set([
  'rate_limited',
  'overloaded',
  'server_error',
  'timeout',
  'network',
  'aborted',
  'invalid_response',
  'unexpected',
]);

/**
 * A provider call failed. Retryable failures (throttling, overload, 5xx, timeouts, network) say
 * the provider is unhealthy and count against its circuit breaker; permanent ones (400-class) are
 * the request's fault and do not.
 *
 * The message never carries the API key: vendor messages are cut short and scrubbed of anything
 * key-shaped (OpenAI's 401 quotes a partly masked key), and the SDK error is not kept as `cause`.
 */
export class ProviderError extends ChasquiError {
  readonly retryable: boolean;
  readonly httpStatus: number;
  readonly code: string;

  constructor(
    readonly provider: string,
    readonly reason: ProviderErrorReason,
    /** The vendor's HTTP status, when one was received. */
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`${provider} ${status ?? '-'} ${reason}: ${scrub(detail)}`);
    this.retryable = RETRYABLE_REASONS.has(reason);
    this.httpStatus = this.retryable ? 503 : 502;
    this.code = `llm_${reason}`;
  }
}

/** Anthropic's overloaded status; its error body says `overloaded_error`. */
const OVERLOADED_STATUS = 529;
const MAX_DETAIL_CHARS = 200;
const KEY_SHAPED = /\b(sk-[\w-]{4,}|[A-Za-z0-9_-]{32,})/g;

const scrub = (detail: string): string => detail.slice(0, MAX_DETAIL_CHARS).replace(KEY_SHAPED, '[redacted]');

/** Maps a vendor's HTTP error; `vendorType` is the error type in the body, e.g. `overloaded_error`. */
export const providerErrorFromStatus = (
  provider: string,
  status: number,
  vendorType: string | null | undefined,
  vendorMessage: string,
): ProviderError => {
  const detail = vendorType ? `${vendorType}: ${vendorMessage}` : vendorMessage;
  return new ProviderError(provider, reasonForStatus(status, vendorType), status, detail);
};

const reasonForStatus = (status: number, vendorType: string | null | undefined): ProviderErrorReason => {
  if (status === OVERLOADED_STATUS || vendorType === 'overloaded_error') return 'overloaded';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server_error';
  if (status === 401) return 'unauthorized';
  // 402 is Anthropic's billing error: like a revoked permission, retrying cannot fix it.
  if (status === 402 || status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  return 'bad_request';
};

/** What the router makes of anything a model threw: unknown errors count as retryable failures. */
export const asProviderError = (error: unknown, provider: string): ProviderError =>
  error instanceof ProviderError
    ? error
    : new ProviderError(
        provider,
        'unexpected',
        undefined,
        error instanceof Error ? error.name : 'non-error thrown',
      );
