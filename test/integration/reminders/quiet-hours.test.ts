import { quietHoursEnd } from '../../../layers/core/assistant/user-preferences';
import type { HarnessUser } from '../../support/processor-harness';
import { type ReminderHarness, startReminderHarness } from './harness';

const NOW = new Date('2026-02-20T12:00:00Z'); // 07:00 in Bogotá
const bogota: HarnessUser = { waId: '573005550199', name: 'Bea' };
const lima: HarnessUser = { waId: '51987650001', name: 'Lucho' };

let harness: ReminderHarness;

/** The clock moves to `until`, and every schedule due by then fires, as Scheduler would fire them. */
const fireDueAt = (until: Date) => {
  harness.setNow(until);
  return harness.fireDue(until);
};

const reminderOf = async (user: HarnessUser, id: string) =>
  (await harness.reminders(user)).find((row) => row.id === id)!;

beforeAll(async () => {
  harness = await startReminderHarness({ now: NOW });
  await harness.say(bogota, 'hola');
  await harness.say(lima, 'hola');
});
afterAll(() => harness.close());

describe('reminder function: quiet hours', () => {
  it('holds a reminder due in the quiet hours until they end, then sends it once', async () => {
    // Prepare
    harness.setNow(NOW);
    await harness.createReminder(bogota, { text: 'sacar la basura', due_local: '2026-02-20T23:30' });
    await harness.db.query(
      `INSERT INTO preferences (tenant_id, user_id, key, value)
       SELECT tenant_id, id, 'quiet_hours', '"22:00-07:00"' FROM users WHERE wa_id = $1`,
      [bogota.waId],
    );
    const sentBefore = harness.sent(bogota).length;

    // Act
    const atNight = await fireDueAt(new Date('2026-02-21T04:30:00Z')); // 23:30 in Bogotá
    const sentAtNight = harness.sent(bogota).length - sentBefore;
    const inTheMorning = await fireDueAt(new Date('2026-02-21T12:00:00Z')); // 07:00 in Bogotá

    // Assess
    expect(atNight.map(({ result }) => result)).toEqual([
      { outcome: 'quiet_hours', nextDueAt: new Date('2026-02-21T12:00:00Z') },
    ]);
    expect(sentAtNight).toBe(0);
    expect(inTheMorning.map(({ result }) => result.outcome)).toEqual(['sent']);
    expect(harness.sent(bogota).length - sentBefore).toBe(1);
    const [{ reminderId }] = atNight as [(typeof atNight)[number]];
    expect(await reminderOf(bogota, reminderId)).toMatchObject({ status: 'sent', version: 2 });
  });

  it('sends a reminder due outside the quiet hours at once', async () => {
    // Prepare
    harness.setNow(NOW);
    await harness.db.query(
      `INSERT INTO preferences (tenant_id, user_id, key, value)
       SELECT tenant_id, id, 'quiet_hours', '"13:00-15:00"' FROM users WHERE wa_id = $1`,
      [lima.waId],
    );
    const reminder = await harness.createReminder(lima, {
      text: 'llamar a mamá',
      due_local: '2026-02-20T12:00',
    });

    // Act
    const fired = await fireDueAt(reminder.due_at);

    // Assess
    expect(fired).toEqual([
      { reminderId: reminder.id, result: expect.objectContaining({ outcome: 'sent' }) },
    ]);
  });

  it('keeps a daily reminder inside the quiet hours on its own time the next day', async () => {
    // Prepare
    harness.setNow(NOW);
    const reminder = await harness.createReminder(lima, {
      text: 'siesta',
      due_local: '2026-02-20T13:30',
      recurrence: { frequency: 'daily', time: '13:30' },
    });

    // Act
    const held = await fireDueAt(new Date('2026-02-20T18:30:00Z')); // 13:30 in Lima
    const sent = await fireDueAt(new Date('2026-02-20T20:00:00Z')); // 15:00 in Lima

    // Assess
    expect(held.map(({ result }) => result)).toEqual([
      { outcome: 'quiet_hours', nextDueAt: new Date('2026-02-20T20:00:00Z') },
    ]);
    expect(sent.map(({ result }) => result)).toEqual([
      expect.objectContaining({ outcome: 'sent', nextDueAt: new Date('2026-02-21T18:30:00Z') }),
    ]);
    expect(await reminderOf(lima, reminder.id)).toMatchObject({ status: 'pending', version: 3 });
  });
});

describe('quiet hours on the user’s clock', () => {
  const quiet = { start: '22:00', end: '07:00' };

  it.each([
    ['23:30 ends at 07:00 the next day', '2026-02-21T04:30:00Z', '2026-02-21T12:00:00Z'],
    ['06:00 ends at 07:00 the same day', '2026-02-21T11:00:00Z', '2026-02-21T12:00:00Z'],
    ['22:00 sharp is already quiet', '2026-02-21T03:00:00Z', '2026-02-21T12:00:00Z'],
  ])('over midnight: %s', (_, now, end) => {
    // Act
    const result = quietHoursEnd(quiet, new Date(now), 'America/Bogota');

    // Assess
    expect(result).toEqual(new Date(end));
  });

  it.each([
    ['07:00 sharp', '2026-02-21T12:00:00Z'],
    ['noon', '2026-02-21T17:00:00Z'],
  ])('is not quiet at %s', (_, now) => {
    // Act
    const result = quietHoursEnd(quiet, new Date(now), 'America/Bogota');

    // Assess
    expect(result).toBeUndefined();
  });

  it('ends on the wall clock across a daylight-saving change', () => {
    // Act: New York springs forward on 2026-03-08 at 02:00.
    const result = quietHoursEnd(quiet, new Date('2026-03-08T04:00:00Z'), 'America/New_York'); // 23:00 EST

    // Assess
    expect(result).toEqual(new Date('2026-03-08T11:00:00Z')); // 07:00 EDT
  });
});
