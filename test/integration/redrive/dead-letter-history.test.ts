import { type Queryable } from '../../../layers/core/db/database';
import {
  DLQ_SOURCE,
  hasBeenRedriven,
  messageKey,
  recordParked,
  recordRedrive,
} from '../../../layers/core/redrive/dead-letter-history';
import type { DeadLetteredMessage } from '../../../layers/core/redrive/ports';
import { type MigratedPglite, openMigratedPglite } from '../db/support';

const stay = (messageId: string, body = '{"eventId":"wamid.A"}'): DeadLetteredMessage => ({
  messageId,
  receiptHandle: `receipt-${messageId}`,
  groupId: '106540352242922:51999000111',
  body,
  receiveCount: 6,
  lastError: 'database unavailable',
});

describe('dead letter history', () => {
  let database: MigratedPglite;

  beforeAll(async () => {
    database = await openMigratedPglite();
  });
  afterAll(async () => {
    await database.pglite.close();
  });

  /** As the Lambda connects in production: the application role, no scope, row-level security in force. */
  const asApplication = <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> =>
    database.db.systemTransaction(async (tx) => {
      await tx.exec('SET LOCAL ROLE chasqui_app');
      return fn(tx);
    });

  const rowsOf = async (key: string) =>
    (
      await database.db.query<{
        externalId: string;
        status: string;
        redriveCount: number;
        receiveCount: number;
      }>(
        `SELECT external_id AS "externalId", status, redrive_count AS "redriveCount", receive_count AS "receiveCount"
         FROM dead_letters WHERE source = $1 AND external_id LIKE $2 ORDER BY created_at, external_id`,
        [DLQ_SOURCE, `${key}#%`],
      )
    ).rows;

  it('keys a message by its group and body, so a moved copy with a new id keeps its history', () => {
    // Act
    const first = messageKey(stay('m-1'));
    const moved = messageKey(stay('m-2'));
    const other = messageKey(stay('m-3', '{"eventId":"wamid.B"}'));

    // Assess
    expect(moved).toBe(first);
    expect(other).not.toBe(first);
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('counts redrives one row at a time as the application role, which cannot read the rows back', async () => {
    // Prepare
    const key = messageKey(stay('m-10', '{"eventId":"wamid.count"}'));

    // Act
    const numbers = await asApplication(async (tx) => [
      await recordRedrive(tx, stay('m-10'), key, 3),
      await recordRedrive(tx, stay('m-11'), key, 3),
      await recordRedrive(tx, stay('m-12'), key, 3),
      await recordRedrive(tx, stay('m-13'), key, 3),
    ]);
    const visibleToApplication = await asApplication(
      async (tx) => (await tx.query('SELECT 1 FROM dead_letters WHERE source = $1', [DLQ_SOURCE])).rowCount,
    );

    // Assess
    expect(numbers).toEqual([1, 2, 3, undefined]);
    expect(visibleToApplication).toBe(0);
    expect(await rowsOf(key)).toEqual([
      { externalId: `${key}#1`, status: 'redriven', redriveCount: 1, receiveCount: 6 },
      { externalId: `${key}#2`, status: 'redriven', redriveCount: 2, receiveCount: 6 },
      { externalId: `${key}#3`, status: 'redriven', redriveCount: 3, receiveCount: 6 },
    ]);
  });

  it('tells whether a message has had its redrives without writing anything', async () => {
    // Prepare
    const key = messageKey(stay('m-20', '{"eventId":"wamid.probe"}'));
    await asApplication((tx) => recordRedrive(tx, stay('m-20'), key, 2));

    // Act
    const afterOne = await asApplication((tx) => hasBeenRedriven(tx, key, 2));
    await asApplication((tx) => recordRedrive(tx, stay('m-21'), key, 2));
    const afterTwo = await asApplication((tx) => hasBeenRedriven(tx, key, 2));

    // Assess
    expect([afterOne, afterTwo]).toEqual([false, true]);
    expect((await rowsOf(key)).map((row) => row.externalId)).toEqual([`${key}#1`, `${key}#2`]);
  });

  it('parks a message once, with its reason, last error and the redrives it had', async () => {
    // Prepare
    const key = messageKey(stay('m-30', '{"eventId":"wamid.park"}'));

    // Act
    const first = await asApplication((tx) => recordParked(tx, stay('m-30'), key, 3));
    const again = await asApplication((tx) => recordParked(tx, stay('m-30'), key, 3));

    // Assess
    expect([first, again]).toEqual([true, false]);
    const { rows } = await database.db.query(
      `SELECT status, reason, last_error AS "lastError", redrive_count AS "redriveCount", payload
       FROM dead_letters WHERE source = $1 AND external_id = $2`,
      [DLQ_SOURCE, `${key}#parked`],
    );
    expect(rows).toEqual([
      {
        status: 'parked',
        reason: 'dead-lettered again after 3 redrives',
        lastError: 'database unavailable',
        redriveCount: 3,
        payload: { messageId: 'm-30', groupId: '106540352242922:51999000111', body: '{"eventId":"wamid.A"}' },
      },
    ]);
  });
});
