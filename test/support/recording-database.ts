import { type Database, Tx } from '../../layers/core/db/database';

/**
 * The real database, keeping the statements of each scoped transaction in order, and counting the
 * statements run outside one. Whitespace in a statement is collapsed, so a test can match it on one line.
 */
export const recordingDatabase = (inner: Database) => {
  const transactions: string[][] = [];
  let unscoped = 0;
  let open = 0;
  const db: Database = {
    query: (sql, params) => {
      unscoped++;
      return inner.query(sql, params);
    },
    transaction: (scope, fn) => {
      const statements: string[] = [];
      transactions.push(statements);
      return inner.transaction(scope, async (tx) => {
        open++;
        try {
          return await fn(
            new Tx((sql, params) => {
              statements.push(sql.replace(/\s+/g, ' '));
              return tx.query(sql, params);
            }),
          );
        } finally {
          open--;
        }
      });
    },
    systemTransaction: (fn) => inner.systemTransaction(fn),
    close: () => inner.close(),
  };
  return {
    db,
    transactions,
    /**
     * Trips to the server since the last reset: a scoped transaction costs one to open (BEGIN and its
     * settings go as one script, see db/transaction.ts), one per statement and one to commit.
     */
    roundTrips: () => unscoped + transactions.reduce((trips, statements) => trips + statements.length + 2, 0),
    /** Scoped transactions open at this moment. */
    openTransactions: () => open,
    reset: () => {
      transactions.length = 0;
      unscoped = 0;
    },
  };
};

export type RecordingDatabase = ReturnType<typeof recordingDatabase>;

/** The processor's statements that store an inbound message and read what a turn needs, as recorded. */
export const STORES_INBOUND = /INSERT INTO messages .* VALUES \(\$1, 'in'/;
export const READS_PREFERENCES = /FROM preferences ORDER BY key/;
export const READS_HISTORY = /SELECT wamid, direction, body FROM/;
