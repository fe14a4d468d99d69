import type { Database } from '../../layers/core/db/database';
import { runMigrations } from '../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../layers/core/db/pglite-database';
import { audit, type Tally } from './support/audit';
import { planScenario, type Scenario } from './support/plan';
import { SeededRandom } from '../support/random';
import { buildWorld, type StatusUpdate, type World } from './support/world';

const SEED = 20261122;
const USERS = 50;
const MESSAGES_PER_USER = 20;

let database: Database;
let scenario: Scenario;
let world: World;
let tally: Tally;

/**
 * For a sixth of the replies, their sent, delivered and read, shuffled, a fifth of them twice: Meta keeps
 * no order. That is plenty to meet every order; all of them would only make the run longer.
 */
const shuffledStatuses = (): StatusUpdate[] => {
  const random = new SeededRandom(SEED + 1);
  const updates = world.meta.sent
    .filter(() => random.chance(1 / 6))
    .flatMap((sent) =>
      (['sent', 'delivered', 'read'] as const).map((status) => ({
        wamid: sent.wamid,
        recipient: sent.to,
        status,
      })),
    );
  return random.shuffle([...updates, ...updates.filter(() => random.chance(0.2))]);
};

beforeAll(async () => {
  database = await createPgliteDatabase();
  await runMigrations(database);
  scenario = planScenario({ seed: SEED, users: USERS, messagesPerUser: MESSAGES_PER_USER, faultRate: 0.18 });
  world = buildWorld(scenario, database);

  const started = performance.now();
  const { ticks, refusedDeliveries } = await world.run();
  const deadLettered = new Set(world.queue.deadLetterMessages().map((letter) => letter.deduplicationId));
  const recovery = await world.recover();
  const statuses = shuffledStatuses();
  const statusesRefused = await world.deliverStatuses(statuses, 3);
  tally = await audit(
    scenario,
    world,
    database,
    deadLettered,
    new Set(statuses.map((status) => status.wamid)),
  );
  const { invocations, crashes } = world.stats();

  console.log(
    [
      `Fault injection, seed ${SEED}: ${tally.messages} messages from ${USERS} users, ` +
        `${tally.faultedMessages} (${((100 * tally.faultedMessages) / tally.messages).toFixed(0)}%) hit by a fault`,
      `  answered ${tally.answered}, answered then parked ${tally.answeredThenParked}, parked ${tally.parked}, ` +
        `duplicates ${tally.duplicates}, lost ${tally.lost}, order violations ${tally.orderViolations}`,
      `  parked reasons ${JSON.stringify(tally.parkedReasons)}; half-written rows ${JSON.stringify(tally.halfWritten)}`,
      `  faults ${JSON.stringify(tally.faults)}`,
      `  ${ticks} ticks, ${invocations} invocations (${crashes} crashed), ${refusedDeliveries} webhook deliveries ` +
        `refused and redelivered, ${statusesRefused} status webhooks refused, DLQ ${deadLettered.size} ` +
        `(redrive: ${recovery ? JSON.stringify(recovery) : 'not needed'}), orphan schedules ${tally.orphanSchedules}, ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    ].join('\n'),
  );
}, 180_000);

afterAll(() => database.close());

describe('fault injection: 1,000 messages from 50 users, about 30% of them hit by faults', () => {
  it('injects every kind of fault the plan holds', () => {
    expect(Object.keys(tally.faults).sort()).toEqual(
      [
        'crash_after_send',
        'db_connection_lost',
        'duplicate_delivery',
        'graph_429',
        'graph_5xx',
        'graph_timeout',
        'late_redelivery',
        'llm_all_down',
        'llm_primary_down',
        'mark_read_5xx',
        'out_of_order',
        'queue_send_failure',
      ].sort(),
    );
    expect(tally.faultedMessages / tally.messages).toBeGreaterThan(0.25);
  });

  it('answers every message exactly once, or parks it with its reason: none lost, none doubled', () => {
    expect(tally.lost).toBe(0);
    expect(tally.duplicates).toBe(0);
    expect(tally.answered + tally.answeredThenParked + tally.parked).toBe(tally.messages);
    expect(Object.keys(tally.parkedReasons)).toEqual(
      Object.keys(tally.parkedReasons).length === 0 ? [] : ['send_outcome_unknown'],
    );
  });

  it("keeps each user's replies in the order their messages were accepted", () => {
    expect(tally.orderViolations).toBe(0);
  });

  it('leaves no half-written rows', () => {
    expect(tally.halfWritten).toEqual({});
  });
});
