import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { parse, PGlite, protocol, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import {
  APPLICATION_ROLE,
  type Database,
  type QueryResult,
  type Row,
  type SystemTx,
  type TenantScope,
  type Tx,
} from './database';
import { toDatabaseError } from './errors';
import { assertRoleName, runScopedTransaction, runSystemTransaction, type Session } from './transaction';

export interface PgliteDatabaseConfig {
  /** Directory to persist the database in; in memory when absent. */
  readonly dataDir?: string;
  /**
   * Role to switch to in each scoped transaction. PGlite's only user is a superuser, and superusers bypass
   * row-level security, so this defaults to the application role.
   */
  readonly applicationRole?: string;
}

/**
 * Opens PGlite with pgvector. A data dir must always be reopened with the same extensions. `'memory://'`
 * rather than `undefined`: `new PGlite(undefined, options)` silently drops the options.
 */
export function openPglite(dataDir?: string): Promise<PGlite> {
  return PGlite.create(dataDir ?? 'memory://', { extensions: { vector } });
}

/**
 * A parameter in text format with its type left to the server, as node-postgres sends it: the local
 * database then reads parameters exactly as production's does.
 */
const asText = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(',')}}`;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      return JSON.stringify(value);
  }
};

const arrayElement = (value: unknown): string => {
  const text = asText(value);
  return text === null ? 'NULL' : Array.isArray(value) ? text : `"${text.replace(/(["\\])/g, '\\$1')}"`;
};

/**
 * Parse, bind, describe, execute and sync in one exchange with the backend. PGlite's own `query` makes one
 * exchange per protocol message (it asks for the parameter types first), and at some thirty statements a
 * message that cost the local stack a good share of its time.
 */
const extendedQuery = (sql: string, params: readonly unknown[]): Uint8Array => {
  const parts = [
    protocol.serialize.parse({ text: sql }),
    protocol.serialize.bind({ values: params.map(asText) }),
    protocol.serialize.describe({ type: 'P' }),
    protocol.serialize.execute({}),
    protocol.serialize.sync(),
  ];
  const message = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
};

function pgliteSession(pglite: PGlite): Session {
  return {
    query: async <T extends Row>(sql: string, params: readonly unknown[] = []) => {
      // PGlite does no I/O: its promises settle as microtasks, so without this a whole transaction, and the
      // turn around it, ran without letting the event loop in, and webhooks waited hundreds of ms for an ACK.
      await nextMacrotask();
      try {
        const { messages } = await pglite.execProtocol(extendedQuery(sql, params), { throwOnError: true });
        const [result] = parse.parseResults(messages, types.parsers);
        const rows = (result?.rows ?? []) as T[];
        return {
          rows,
          rowCount: result?.rowCount ?? result?.affectedRows ?? rows.length,
          command: result?.command ?? '',
        };
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
    exec: async (script) => {
      // As in query: a transaction opens with an exec, so it too waits for the event loop's turn.
      await nextMacrotask();
      try {
        await pglite.exec(script);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
    rollback: async () => {
      // In process there is no connection to lose; a failed ROLLBACK leaves nothing better to report than
      // the error that caused it.
      await pglite.query('ROLLBACK').catch(() => undefined);
    },
  };
}

/**
 * PGlite is a single backend: statements from two transactions would interleave inside one. Every call
 * therefore takes a turn on a queue, and a whole transaction is one turn.
 *
 * Do not serve the same instance over the socket server while using this adapter: the socket server queues
 * its clients separately and could run their statements inside one of these transactions.
 */
export class PgliteDatabase implements Database {
  readonly #pglite: PGlite;
  readonly #session: Session;
  readonly #applicationRole: string | undefined;
  readonly #ownsInstance: boolean;
  readonly #turn = new AsyncLocalStorage<true>();
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * @param ownsInstance whether `close()` closes the PGlite instance; leave false when the caller opened it
   * and will close it.
   */
  constructor(pglite: PGlite, options: { applicationRole?: string; ownsInstance?: boolean } = {}) {
    const applicationRole = options.applicationRole ?? APPLICATION_ROLE;
    assertRoleName(applicationRole);
    this.#pglite = pglite;
    this.#session = pgliteSession(pglite);
    this.#applicationRole = applicationRole;
    this.#ownsInstance = options.ownsInstance ?? false;
  }

  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    return this.#exclusive(() => this.#session.query<T>(sql, params));
  }

  transaction<T>(scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#exclusive(() => runScopedTransaction(this.#session, scope, this.#applicationRole, fn));
  }

  systemTransaction<T>(fn: (tx: SystemTx) => Promise<T>): Promise<T> {
    return this.#exclusive(() => runSystemTransaction(this.#session, fn));
  }

  async close(): Promise<void> {
    await this.#queue;
    if (this.#ownsInstance) await this.#pglite.close();
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.#turn.getStore()) {
      // Waiting for our own turn would hang forever.
      return Promise.reject(
        new Error(
          'PGlite has a single connection: inside a transaction, query through its tx, not the database',
        ),
      );
    }
    const run = this.#queue.then(() => this.#turn.run(true, work));
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

export async function createPgliteDatabase(config: PgliteDatabaseConfig = {}): Promise<Database> {
  const pglite = await openPglite(config.dataDir);
  return new PgliteDatabase(pglite, { applicationRole: config.applicationRole, ownsInstance: true });
}
