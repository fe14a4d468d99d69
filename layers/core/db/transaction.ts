import { DatabaseError } from './errors';
import { type QueryResult, type Row, type SystemTx, type TenantScope, Tx } from './database';

/** One connection as an adapter exposes it to the shared transaction logic; errors already translated. */
export interface Session {
  readonly query: <T extends Row = Row>(
    sql: string,
    params?: readonly unknown[],
  ) => Promise<SessionResult<T>>;
  readonly exec: (script: string) => Promise<void>;
  /** Must not throw: the error that caused the rollback is the one worth reporting. */
  readonly rollback: () => Promise<void>;
}

export interface SessionResult<T extends Row = Row> extends QueryResult<T> {
  /** The command tag, e.g. `COMMIT`; Postgres answers `ROLLBACK` to a COMMIT of a failed transaction. */
  readonly command: string;
}

/**
 * BEGIN, the scope and the role (when one is set) in one round trip instead of two or three: every
 * transaction pays for its opening, and a message runs several. Per-transaction settings
 * (`is_local = true`) rather than a session-level SET: RDS Proxy pins a connection for good after a SET,
 * but only for the transaction after a local setting (FACTS.md, RDS Proxy). The values are spliced in,
 * because a script of several statements cannot take parameters; that is safe only because assertScope
 * and assertRoleName admit nothing but UUIDs and plain identifiers.
 */
const openScopedTransaction = (scope: TenantScope, applicationRole: string | undefined): string =>
  [
    'BEGIN',
    `SELECT set_config('app.tenant_id', '${scope.tenantId}', true), set_config('app.user_id', '${scope.userId ?? ''}', true)`,
    ...(applicationRole === undefined ? [] : [`SET LOCAL ROLE ${applicationRole}`]),
  ].join('; ');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checked once when an adapter is built, because the name is spliced into `SET LOCAL ROLE`. */
export function assertRoleName(role: string): void {
  if (!ROLE_NAME.test(role)) throw new TypeError(`Invalid application role name: ${JSON.stringify(role)}`);
}

function assertScope(scope: TenantScope): void {
  if (!UUID.test(scope.tenantId)) throw new TypeError('Transaction scope: tenantId must be a UUID');
  if (scope.userId !== undefined && !UUID.test(scope.userId)) {
    throw new TypeError('Transaction scope: userId must be a UUID');
  }
}

/**
 * Runs `body` between `opening` (BEGIN and the settings the transaction needs) and COMMIT on one session.
 * The session handed to `body` stops working when the transaction ends, so a leaked Tx cannot run a
 * statement on a pooled connection that by then belongs to another user's transaction.
 */
async function inTransaction<T>(
  session: Session,
  opening: string,
  body: (session: Session) => Promise<T>,
): Promise<T> {
  try {
    await session.exec(opening);
  } catch (error) {
    // BEGIN may have run before a later statement of the opening failed.
    await session.rollback();
    throw error;
  }
  let open = true;
  const whileOpen = (): void => {
    if (!open) throw new Error('This transaction has already ended; start a new one');
  };
  const leased: Session = {
    query: async <R extends Row>(sql: string, params?: readonly unknown[]) => {
      whileOpen();
      return session.query<R>(sql, params);
    },
    exec: async (script) => {
      whileOpen();
      return session.exec(script);
    },
    rollback: () => session.rollback(),
  };

  let result: T;
  try {
    result = await body(leased);
  } catch (error) {
    open = false;
    await session.rollback();
    throw error;
  }
  open = false;
  const commit = await session.query('COMMIT');
  if (commit.command === 'ROLLBACK') {
    // A statement failed and its error was caught inside the transaction: nothing was saved.
    throw new DatabaseError('COMMIT rolled back: a statement in the transaction had failed', {
      code: '25P02',
      retryable: false,
    });
  }
  return result;
}

export function runScopedTransaction<T>(
  session: Session,
  scope: TenantScope,
  applicationRole: string | undefined,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  assertScope(scope);
  return inTransaction(session, openScopedTransaction(scope, applicationRole), (leased) =>
    fn(new Tx(leased.query)),
  );
}

export function runSystemTransaction<T>(session: Session, fn: (tx: SystemTx) => Promise<T>): Promise<T> {
  return inTransaction(session, 'BEGIN', (leased) => fn({ query: leased.query, exec: leased.exec }));
}
