import {
  ConstraintViolationError,
  DatabaseConnectionError,
  toDatabaseError,
} from '../../../layers/core/db/errors';
import {
  errorCode,
  ForbiddenError,
  httpStatusOf,
  InvalidSignatureError,
  isRetryable,
  MethodNotAllowedError,
  PayloadTooLargeError,
  PermanentError,
  TransientError,
  ValidationError,
} from '../../../layers/core/errors';
import { providerErrorFromStatus } from '../../../layers/core/llm/provider-error';
import { SendOutcomeUnknownError } from '../../../layers/core/outbound/send-once';
import {
  certainlyNotSent,
  graphErrorFromResponse,
  graphNetworkError,
  MessageValidationError,
  WindowClosedError,
} from '../../../layers/core/whatsapp/graph/errors';

const metaError = (code: number) => ({ error: { message: 'x', type: 'OAuthException', code } });
const driverError = (code: string) => Object.assign(new Error(`driver said ${code}`), { code });

describe('error taxonomy', () => {
  it.each([
    ['a dependency that is down', true, 503, new TransientError('queue_unavailable', 'x')],
    ['input that can never succeed', false, 422, new PermanentError('bad_input', 'x')],
    ['a forged webhook', false, 401, new InvalidSignatureError()],
    ['a body over the limit', false, 413, new PayloadTooLargeError(4, 3)],
    ['an unreadable request', false, 400, new ValidationError('x')],
    ['a wrong verify token', false, 403, new ForbiddenError('verify_token_mismatch', 'x')],
    ['a method the edge does not serve', false, 405, new MethodNotAllowedError('PUT')],
    ['Graph API 500', true, 503, graphErrorFromResponse(500, metaError(131000))],
    ['Graph API throughput limit (130429)', true, 503, graphErrorFromResponse(429, metaError(130429))],
    ['Graph API window closed (131047)', false, 422, graphErrorFromResponse(400, metaError(131047))],
    ['Graph API timeout', true, 503, graphNetworkError(new Error('aborted'), true)],
    ['an LLM provider overloaded', true, 503, providerErrorFromStatus('anthropic', 529, null, 'x')],
    ['an LLM provider refusing the request', false, 502, providerErrorFromStatus('openai', 400, null, 'x')],
    ['a reply whose outcome is unknown', false, 422, new SendOutcomeUnknownError('reply:wamid.X:0')],
    ['a lost database connection', true, 500, toDatabaseError(driverError('ECONNRESET'))],
    ['a constraint violation', false, 500, toDatabaseError(driverError('23505'))],
    ['anything unexpected', true, 500, new Error('boom')],
  ])('classifies %s: retryable %s, HTTP %i at the edge', (_case, retryable, status, error) => {
    expect(isRetryable(error)).toBe(retryable);
    expect(httpStatusOf(error)).toBe(status);
  });

  it('names a stable reason for logs, metrics and dead letters', () => {
    expect(errorCode(new SendOutcomeUnknownError('reply:wamid.X:0'))).toBe('send_outcome_unknown');
    expect(errorCode(graphErrorFromResponse(400, metaError(131047)))).toBe('graph_window_closed');
    expect(errorCode(toDatabaseError(driverError('57P01')))).toBe('DatabaseConnectionError');
    expect(errorCode('thrown string')).toBe('unknown');
  });

  it('keeps the database errors in step with the hierarchy through `retryable`', () => {
    expect(toDatabaseError(driverError('08006'))).toBeInstanceOf(DatabaseConnectionError);
    expect(toDatabaseError(driverError('23503'))).toBeInstanceOf(ConstraintViolationError);
    expect(isRetryable(toDatabaseError(driverError('40001')))).toBe(true);
  });
});

describe('whether a failed send may have reached Meta', () => {
  const refused = Object.assign(new Error('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
  const reset = Object.assign(new Error('fetch failed'), {
    cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
  });

  it.each([
    ['Meta answered 500', true, graphErrorFromResponse(500, metaError(131000))],
    ['Meta answered 429', true, graphErrorFromResponse(429, metaError(130429))],
    ['Meta refused the message (400)', true, graphErrorFromResponse(400, metaError(131026))],
    ['our builders refused it before any request', true, new MessageValidationError([])],
    ['no connection was made', true, graphNetworkError(refused, false)],
    ['the connection dropped mid-request', false, graphNetworkError(reset, false)],
    ['it timed out', false, graphNetworkError(new Error('aborted'), true)],
    ['anything else (a crash, the database)', false, new Error('boom')],
  ])('%s: certainly not sent = %s', (_case, notSent, error) => {
    expect(certainlyNotSent(error)).toBe(notSent);
  });

  it('treats a window-closed refusal as not sent, so the template may follow', () => {
    const error = graphErrorFromResponse(400, metaError(131047));
    expect(error).toBeInstanceOf(WindowClosedError);
    expect(certainlyNotSent(error)).toBe(true);
  });
});
