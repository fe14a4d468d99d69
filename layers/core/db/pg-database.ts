import pg from 'pg';
import {
  type Database,
  type QueryResult,
  type Row,
  type SystemTx,
  type TenantScope,
  type Tx,
} from './database';
import { type DatabaseError, toDatabaseError } from './errors';
import { assertRoleName, runScopedTransaction, runSystemTransaction, type Session } from './transaction';

export interface PgDatabaseConfig {
  /** A connection string, or node-postgres pool settings (host, port, database, user, password, max, …). */
  readonly connection: string | pg.PoolConfig;
  /**
   * Require TLS with a verified server certificate. RDS Proxy presents an ACM certificate that Node trusts
   * out of the box; a direct connection to an RDS instance also needs the RDS CA bundle, which Lambda ships
   * and loads with `NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem`.
   */
  readonly ssl?: boolean;
  /**
   * Role to switch to in each scoped transaction. Leave unset when the login user already is a non-owner
   * member of the application role, as in production.
   */
  readonly applicationRole?: string;
  /** Told about failures of idle pooled connections; the pool has already discarded them. */
  readonly onIdleConnectionError?: (error: DatabaseError) => void;
}

// node-postgres waits forever for a connection by default; a Lambda would hang until its own timeout.
const CONNECT_TIMEOUT_MS = 10_000;

function clientSession(client: pg.PoolClient, markBroken: () => void): Session {
  return {
    query: async <T extends Row>(sql: string, params?: readonly unknown[]) => {
      try {
        const result = await client.query<T>(sql, params === undefined ? undefined : [...params]);
        return {
          rows: result.rows,
          rowCount: result.rowCount ?? result.rows.length,
          command: result.command,
        };
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
    exec: async (script) => {
      try {
        await client.query(script);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
    rollback: async () => {
      try {
        await client.query('ROLLBACK');
      } catch {
        // The connection is in an unknown state: the pool must destroy it instead of reusing it.
        markBroken();
      }
    },
  };
}

export class PgDatabase implements Database {
  readonly #pool: pg.Pool;
  readonly #applicationRole: string | undefined;

  constructor(config: PgDatabaseConfig) {
    if (config.applicationRole !== undefined) assertRoleName(config.applicationRole);
    this.#applicationRole = config.applicationRole;
    const settings =
      typeof config.connection === 'string' ? { connectionString: config.connection } : config.connection;
    this.#pool = new pg.Pool({
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...settings,
      ...(config.ssl === undefined ? {} : { ssl: config.ssl ? { rejectUnauthorized: true } : false }),
    });
    // Without a listener, an idle connection dropped by the server would crash the process.
    this.#pool.on('error', (error) => config.onIdleConnectionError?.(toDatabaseError(error)));
  }

  async query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    try {
      const result = await this.#pool.query<T>(sql, params === undefined ? undefined : [...params]);
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    } catch (error) {
      throw toDatabaseError(error);
    }
  }

  transaction<T>(scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#withSession((session) => runScopedTransaction(session, scope, this.#applicationRole, fn));
  }

  systemTransaction<T>(fn: (tx: SystemTx) => Promise<T>): Promise<T> {
    return this.#withSession((session) => runSystemTransaction(session, fn));
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #withSession<T>(body: (session: Session) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw toDatabaseError(error);
    }
    let broken = false;
    try {
      return await body(clientSession(client, () => (broken = true)));
    } finally {
      client.release(broken);
    }
  }
}

export function createPgDatabase(config: PgDatabaseConfig): Database {
  return new PgDatabase(config);
}
