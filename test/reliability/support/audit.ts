import type { Database } from '../../../layers/core/db/database';
import type { FaultKind, Scenario } from './plan';
import type { World } from './world';

export interface Tally {
  messages: number;
  /** Replied to exactly once, and not parked. */
  answered: number;
  /** Parked with a reason after the reply had reached the user: they got it once, a human is told. */
  answeredThenParked: number;
  /** No reply, parked with a reason for a human. */
  parked: number;
  parkedReasons: Record<string, number>;
  /** Extra copies of replies users received. */
  duplicates: number;
  /** No reply and no dead letter: silently dropped. */
  lost: number;
  /** Users whose replies came in another order than their messages were accepted. */
  orderViolations: number;
  /** Messages that went through the queue's DLQ and a redrive (their order is not guaranteed). */
  redriven: number;
  halfWritten: Record<string, number>;
  /** Schedules left for reminders whose transaction rolled back: they fire as `not_found` and send nothing. */
  orphanSchedules: number;
  faultedMessages: number;
  faults: Partial<Record<FaultKind, number>>;
}

const count = async (db: Database, sql: string, params: unknown[] = []): Promise<number> =>
  Number((await db.query<{ n: string | number }>(sql, params)).rows[0]?.n ?? 0);

/**
 * Checks the end state from the database and Meta's sent log: each message answered once or parked
 * with a reason, replies in each user's order, and no row without its other half.
 */
export const audit = async (
  scenario: Scenario,
  world: World,
  db: Database,
  redrivenWamids: ReadonlySet<string>,
  /** Replies whose statuses were delivered: each must end `read`. */
  withStatuses: ReadonlySet<string>,
): Promise<Tally> => {
  const repliesTo = new Map<string, number>();
  for (const sent of world.meta.sent) {
    if (sent.replyTo) repliesTo.set(sent.replyTo, (repliesTo.get(sent.replyTo) ?? 0) + 1);
  }
  const { rows: letters } = await db.query<{ wamid: string; reason: string }>(
    `SELECT (payload->>'body')::jsonb->>'wamid' AS wamid, reason FROM dead_letters WHERE source = 'processor'`,
  );
  const parkedFor = new Map<string, string>();
  for (const letter of letters) parkedFor.set(letter.wamid, letter.reason);

  const tally: Tally = {
    messages: scenario.messages.length,
    answered: 0,
    answeredThenParked: 0,
    parked: 0,
    parkedReasons: {},
    duplicates: 0,
    lost: 0,
    orderViolations: 0,
    redriven: redrivenWamids.size,
    halfWritten: {},
    orphanSchedules: 0,
    faultedMessages: 0,
    faults: {},
  };
  for (const message of scenario.messages) {
    const replies = repliesTo.get(message.wamid) ?? 0;
    const reason = parkedFor.get(message.wamid);
    tally.duplicates += Math.max(0, replies - 1);
    if (reason !== undefined) tally.parkedReasons[reason] = (tally.parkedReasons[reason] ?? 0) + 1;
    if (replies >= 1 && reason === undefined) tally.answered += 1;
    else if (replies >= 1) tally.answeredThenParked += 1;
    else if (reason !== undefined) tally.parked += 1;
    else tally.lost += 1;
  }

  // Per user, replies in Meta's log follow the order the ingress queued the messages.
  for (const user of scenario.users) {
    const order = (world.accepted.get(user.waId) ?? []).filter((wamid) => !redrivenWamids.has(wamid));
    const replied = world.meta.sent
      .filter((sent) => sent.to === user.waId && sent.replyTo !== undefined)
      .map((sent) => sent.replyTo!)
      .filter((wamid) => !redrivenWamids.has(wamid));
    const expected = order.filter((wamid) => replied.includes(wamid));
    if (expected.join() !== [...new Set(replied)].join()) tally.orderViolations += 1;
  }

  const halfWritten: [string, string][] = [
    [
      'tool call ok without its expense',
      `SELECT count(*) AS n FROM tool_executions t WHERE t.tool = 'add_expense' AND t.status = 'ok'
       AND NOT EXISTS (SELECT 1 FROM expenses e WHERE e.source_wamid = t.message_wamid)`,
    ],
    [
      'expense without its tool call',
      `SELECT count(*) AS n FROM expenses e WHERE NOT EXISTS (SELECT 1 FROM tool_executions t
       WHERE t.message_wamid = e.source_wamid AND t.tool = 'add_expense' AND t.status = 'ok')`,
    ],
    [
      'tool call ok without its reminder',
      `SELECT count(*) AS n FROM tool_executions t WHERE t.tool = 'create_reminder' AND t.status = 'ok'
       AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.source_wamid = t.message_wamid)`,
    ],
    [
      'reminder without its tool call',
      `SELECT count(*) AS n FROM reminders r WHERE NOT EXISTS (SELECT 1 FROM tool_executions t
       WHERE t.message_wamid = r.source_wamid AND t.tool = 'create_reminder' AND t.status = 'ok')`,
    ],
    [
      'reminder without its schedule',
      `SELECT count(*) AS n FROM reminders WHERE status = 'pending' AND schedule_name IS NULL`,
    ],
    [
      'effect applied twice for one message',
      `SELECT count(*) AS n FROM (
         SELECT source_wamid FROM expenses WHERE source_wamid IS NOT NULL GROUP BY source_wamid HAVING count(*) > 1
         UNION ALL SELECT source_wamid FROM reminders WHERE source_wamid IS NOT NULL
         GROUP BY source_wamid HAVING count(*) > 1) twice`,
    ],
    [
      'inbound message stored twice',
      `SELECT count(*) AS n FROM (SELECT wamid FROM messages WHERE direction = 'in'
       GROUP BY wamid HAVING count(*) > 1) twice`,
    ],
    [
      'send intent pending with no wamid and no dead letter',
      `SELECT count(*) AS n FROM messages m WHERE m.direction = 'out' AND m.wamid IS NULL
       AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.reason = 'send_outcome_unknown'
         AND (d.payload->>'body')::jsonb->>'wamid' = m.context_wamid)`,
    ],
    [
      'model call recorded for no stored message',
      `SELECT count(*) AS n FROM ai_usage a WHERE NOT EXISTS
       (SELECT 1 FROM messages m WHERE m.wamid = a.message_wamid AND m.direction = 'in')`,
    ],
  ];
  for (const [name, sql] of halfWritten) {
    const found = await count(db, sql);
    if (found > 0) tally.halfWritten[name] = found;
  }
  // A reply Meta accepted must be on record with its wamid, unless its message was parked for not knowing.
  const recorded = new Set(
    (
      await db.query<{ wamid: string }>(
        "SELECT wamid FROM messages WHERE direction = 'out' AND wamid IS NOT NULL",
      )
    ).rows.map((row) => row.wamid),
  );
  const unrecorded = world.meta.sent.filter(
    (sent) => !recorded.has(sent.wamid) && parkedFor.get(sent.replyTo ?? '') !== 'send_outcome_unknown',
  ).length;
  if (unrecorded > 0) tally.halfWritten['reply sent but not on record'] = unrecorded;
  // Every reply whose statuses came ends `read`: they arrived shuffled and doubled, and none moved one back.
  const { rows: notRead } = await db.query<{ wamid: string }>(
    "SELECT wamid FROM messages WHERE direction = 'out' AND wamid IS NOT NULL AND status <> 'read'",
  );
  const behind = notRead.filter((row) => withStatuses.has(row.wamid)).length;
  if (behind > 0) tally.halfWritten['reply status not read after every status arrived'] = behind;

  const reminderIds = new Set(
    (await db.query<{ id: string }>('SELECT id FROM reminders')).rows.map((row) => row.id),
  );
  tally.orphanSchedules = world.scheduler
    .pending()
    .filter((schedule) => !reminderIds.has(schedule.reminderId)).length;

  for (const [, kinds] of world.injector.firedFaults()) {
    if (kinds.size > 0) tally.faultedMessages += 1;
    for (const kind of kinds) tally.faults[kind] = (tally.faults[kind] ?? 0) + 1;
  }
  return tally;
};
