/**
 * One error hierarchy for the whole pipeline. Each error knows whether retrying can help
 * (SQS/Scheduler redelivery) and which HTTP status it maps to at the edge.
 */
export abstract class ChasquiError extends Error {
  /** True when the same input may succeed later: a dependency was down, throttled or timed out. */
  abstract readonly retryable: boolean;
  abstract readonly httpStatus: number;
  /** Stable, machine-readable reason for logs, metrics and dead letters. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A dependency (queue, database, provider, Graph API) is unavailable or throttling us. */
export class TransientError extends ChasquiError {
  readonly retryable = true;
  readonly httpStatus = 503;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The input can never succeed as it is; retrying only wastes money. Kept as a dead letter. */
export class PermanentError extends ChasquiError {
  readonly retryable = false;
  readonly httpStatus: number = 422;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class InvalidSignatureError extends PermanentError {
  override readonly httpStatus = 401;
  constructor(message = 'Webhook signature does not match the body') {
    super('invalid_signature', message);
  }
}

export class PayloadTooLargeError extends PermanentError {
  override readonly httpStatus = 413;
  constructor(bytes: number, limit: number) {
    super('payload_too_large', `Body of ${bytes} bytes exceeds the ${limit}-byte limit`);
  }
}

export class ValidationError extends PermanentError {
  override readonly httpStatus = 400;
  constructor(message: string, options?: { cause?: unknown }) {
    super('validation_failed', message, options);
  }
}

/** A caller that proved nothing, e.g. a webhook subscription check with the wrong verify token. */
export class ForbiddenError extends PermanentError {
  override readonly httpStatus = 403;
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class MethodNotAllowedError extends PermanentError {
  override readonly httpStatus = 405;
  constructor(method: string) {
    super('method_not_allowed', `Method ${method} is not allowed here`);
  }
}

/**
 * Whether trying again may help. Errors that say so themselves (ours, and the database layer's)
 * are believed; unknown errors are treated as retryable: losing a message is worse than one more
 * attempt, and the queue's receive limit bounds the attempts.
 */
export const isRetryable = (error: unknown): boolean => {
  if (error instanceof ChasquiError) return error.retryable;
  const declared = (error as { retryable?: unknown } | null)?.retryable;
  return typeof declared === 'boolean' ? declared : true;
};

/**
 * What an edge (an HTTP endpoint) answers for an error: the status it declares, else 500. A 5xx tells the
 * caller (Meta) to deliver again later; a 4xx says delivering again cannot help.
 */
export const httpStatusOf = (error: unknown): number =>
  error instanceof ChasquiError ? error.httpStatus : 500;

export const errorCode = (error: unknown): string =>
  error instanceof ChasquiError ? error.code : error instanceof Error ? error.name : 'unknown';
