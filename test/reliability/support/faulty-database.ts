import { type Database, Tx } from '../../../layers/core/db/database';
import { DatabaseConnectionError } from '../../../layers/core/db/errors';
import { type FaultInjector, ProcessCrashed } from './injector';

/**
 * The real database, except that a statement inside a transaction can lose its connection when the plan
 * says so (the transaction rolls back, as the server would roll it back), and everything fails once the
 * simulated process has crashed.
 */
export class FaultyDatabase implements Database {
  constructor(
    private readonly inner: Database,
    private readonly injector: FaultInjector,
  ) {}

  query: Database['query'] = (sql, params) => {
    if (this.injector.crashed) return Promise.reject(new ProcessCrashed());
    return this.inner.query(sql, params);
  };

  transaction<T>(scope: Parameters<Database['transaction']>[0], fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.injector.crashed) return Promise.reject(new ProcessCrashed());
    return this.inner.transaction(scope, (tx) =>
      fn(
        new Tx((sql, params) => {
          if (this.injector.beforeStatement() === 'lose_connection') {
            return Promise.reject(
              new DatabaseConnectionError('Connection terminated unexpectedly', { retryable: true }),
            );
          }
          return tx.query(sql, params);
        }),
      ),
    );
  }

  systemTransaction: Database['systemTransaction'] = (fn) => {
    if (this.injector.crashed) return Promise.reject(new ProcessCrashed());
    return this.inner.systemTransaction(fn);
  };

  close(): Promise<void> {
    return this.inner.close();
  }
}
