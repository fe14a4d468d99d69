/**
 * The database port. Adapters: `pg-database.ts` (node-postgres Pool, production) and `pglite-database.ts`
 * (in-process Postgres for the local stack and tests). Nothing else in the core imports a driver.
 */

/** A row as the driver returns it; repositories validate it before use. */
export type Row = Record<string, unknown>;

export interface QueryResult<T extends Row = Row> {
  readonly rows: T[];
  /** Rows returned by a SELECT, or changed by an INSERT, UPDATE or DELETE. */
  readonly rowCount: number;
}

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

/** Whose rows a transaction may see: row-level security compares every row against these ids. */
export interface TenantScope {
  readonly tenantId: string;
  /** Without a user, no user-owned row is visible. */
  readonly userId?: string;
}

type QueryFunction = <T extends Row>(sql: string, params?: readonly unknown[]) => Promise<QueryResult<T>>;

/**
 * A transaction running under a tenant scope, with row-level security in force. It is a class with a private
 * field so that TypeScript treats it nominally: a `Database` cannot be passed where a `Tx` is required, which
 * keeps every repository call inside a scoped transaction.
 */
export class Tx implements Queryable {
  readonly #query: QueryFunction;

  constructor(query: QueryFunction) {
    this.#query = query;
  }

  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    return this.#query<T>(sql, params);
  }
}

/** An owner-level transaction (migrations, role management): no scope, and scripts of many statements. */
export interface SystemTx extends Queryable {
  exec(script: string): Promise<void>;
}

export interface Database extends Queryable {
  /**
   * BEGIN; set the scope with `set_config(..., true)`; switch to the application role if the adapter is
   * configured with one; run `fn`; COMMIT — or ROLLBACK and rethrow if anything fails.
   */
  transaction<T>(scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T>;
  systemTransaction<T>(fn: (tx: SystemTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The non-owner role that row-level security policies apply to; created by the first migration. */
export const APPLICATION_ROLE = 'chasqui_app';
