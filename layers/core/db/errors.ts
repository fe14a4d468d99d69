/**
 * Driver errors translated into one hierarchy, so callers (the SQS processor above all) can tell a failure
 * worth retrying from one that will fail the same way every time.
 */
export class DatabaseError extends Error {
  override readonly name: string = 'DatabaseError';
  /** SQLSTATE, when the server answered; undefined for network failures and driver-side errors. */
  readonly code: string | undefined;
  readonly retryable: boolean;
  readonly constraint: string | undefined;
  readonly table: string | undefined;

  constructor(
    message: string,
    details: { code?: string; retryable: boolean; constraint?: string; table?: string },
  ) {
    super(message);
    this.code = details.code;
    this.retryable = details.retryable;
    this.constraint = details.constraint;
    this.table = details.table;
  }
}

/** The connection failed or was lost: the statement may not have run, and trying again may succeed. */
export class DatabaseConnectionError extends DatabaseError {
  override readonly name = 'DatabaseConnectionError';
}

/** A unique, foreign key, check or not-null constraint rejected the data: retrying cannot help. */
export class ConstraintViolationError extends DatabaseError {
  override readonly name = 'ConstraintViolationError';
}

// SQLSTATE classes and codes from https://www.postgresql.org/docs/current/errcodes-appendix.html
const CONNECTION_SQLSTATES = new Set(['53300', '57P01', '57P02', '57P03']);
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03']);
const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// node-postgres reports a lost or unreachable server with plain Errors that carry no code.
const DRIVER_CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /Client was closed/i,
];

interface DriverErrorFields {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Wraps whatever a driver threw. The driver's error is deliberately not kept as `cause`: it carries the
 * server's `detail` and (PGlite) the query parameters, both of which can hold personal data that must not
 * travel into logs with the error.
 */
export function toDatabaseError(error: unknown): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const fields: DriverErrorFields = typeof error === 'object' && error !== null ? error : {};
  const code = optionalString(fields.code);
  const constraint = optionalString(fields.constraint);
  const table = optionalString(fields.table);

  if (code !== undefined && NETWORK_ERRNOS.has(code)) {
    return new DatabaseConnectionError(message, { retryable: true });
  }
  if (code === undefined && DRIVER_CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) {
    return new DatabaseConnectionError(message, { retryable: true });
  }
  if (code?.startsWith('08') || (code !== undefined && CONNECTION_SQLSTATES.has(code))) {
    return new DatabaseConnectionError(message, { code, retryable: true });
  }
  if (code?.startsWith('23')) {
    return new ConstraintViolationError(message, { code, retryable: false, constraint, table });
  }
  const retryable = code !== undefined && TRANSIENT_SQLSTATES.has(code);
  return new DatabaseError(message, { code, retryable, constraint, table });
}
