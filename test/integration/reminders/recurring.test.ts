import { MemoryScheduler } from '../../../layers/core/adapters/local/memory-scheduler';
import type { ReminderSchedule } from '../../../layers/core/ports/scheduler';
import type { HarnessUser } from '../../support/processor-harness';
import { type ReminderHarness, startReminderHarness } from './harness';

const NOW = new Date('2026-02-20T12:00:00Z');
const DAILY_AT_9 = { frequency: 'daily', time: '09:00' } as const;

/** Can refuse its next schedules, as EventBridge Scheduler might during an outage. */
class FlakyScheduler extends MemoryScheduler {
  private failures = 0;

  failNext(count: number): void {
    this.failures = count;
  }

  override schedule(reminder: ReminderSchedule): Promise<string> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('Scheduler unavailable'));
    }
    return super.schedule(reminder);
  }
}

let harness: ReminderHarness;
const scheduler = new FlakyScheduler();
// The country code gives each user their zone: +1 New York, +34 Madrid, +57 Bogotá.
const newYork: HarnessUser = { waId: '12125550142', name: 'Nora' };
const madrid: HarnessUser = { waId: '34612345678', name: 'Mateo' };
const bogota: HarnessUser = { waId: '573005550199', name: 'Bea' };

/** Fires the reminder's current schedule at its due time; returns the result and the reminder after. */
const fireCurrent = async (user: HarnessUser, reminderId: string) => {
  const reminder = (await harness.reminders(user)).find((row) => row.id === reminderId)!;
  harness.setNow(reminder.due_at);
  const result = await harness.fire(await harness.fireOf(user, reminder));
  return { firedAt: reminder.due_at, result };
};

beforeAll(async () => {
  harness = await startReminderHarness({ now: NOW, scheduler });
  for (const user of [newYork, madrid, bogota]) await harness.say(user, 'hola');
});
afterAll(async () => {
  await harness.close();
});

describe('reminder function: recurring reminders', () => {
  it('re-arms a daily reminder for the next day once it has fired, under a new version', async () => {
    // Prepare
    harness.setNow(NOW);
    const reminder = await harness.createReminder(
      bogota,
      { text: 'tomar la pastilla', due_local: '2026-02-21T09:00', recurrence: DAILY_AT_9 },
      scheduler,
    );

    // Act
    const { result } = await fireCurrent(bogota, reminder.id);

    // Assess
    expect(result).toEqual(
      expect.objectContaining({ outcome: 'sent', nextDueAt: new Date('2026-02-22T14:00:00Z') }),
    );
    expect((await harness.reminders(bogota)).find((row) => row.id === reminder.id)).toMatchObject({
      status: 'pending',
      version: 2,
      due_at: new Date('2026-02-22T14:00:00Z'),
    });
    expect(scheduler.pending()).toContainEqual(
      expect.objectContaining({ reminderId: reminder.id, version: 2, timeZone: 'America/Bogota' }),
    );
  });

  it.each([
    {
      user: newYork,
      change: 'spring forward (2026-03-08)',
      first: '2026-03-07T09:00',
      fires: ['2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', '2026-03-09T13:00:00Z'],
    },
    {
      user: newYork,
      change: 'fall back (2026-11-01)',
      first: '2026-10-31T09:00',
      fires: ['2026-10-31T13:00:00Z', '2026-11-01T14:00:00Z', '2026-11-02T14:00:00Z'],
    },
    {
      user: madrid,
      change: 'spring forward (2026-03-29)',
      first: '2026-03-28T09:00',
      fires: ['2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z', '2026-03-30T07:00:00Z'],
    },
    {
      user: madrid,
      change: 'fall back (2026-10-25)',
      first: '2026-10-24T09:00',
      fires: ['2026-10-24T07:00:00Z', '2026-10-25T08:00:00Z', '2026-10-26T08:00:00Z'],
    },
  ])('keeps a daily 9:00 reminder at 9:00 for $user.name across $change', async ({ user, first, fires }) => {
    // Prepare
    harness.setNow(NOW);
    const reminder = await harness.createReminder(
      user,
      { text: `estirar ${first}`, due_local: first, recurrence: DAILY_AT_9 },
      scheduler,
    );

    // Act
    const fired = [];
    for (let occurrence = 0; occurrence < 3; occurrence += 1)
      fired.push(await fireCurrent(user, reminder.id));

    // Assess
    expect(fired.map(({ firedAt }) => firedAt.toISOString())).toEqual(
      fires.map((instant) => new Date(instant).toISOString()),
    );
    expect(fired.map(({ result }) => result.outcome)).toEqual(['sent', 'sent', 'sent']);
  });

  it('re-arms on the retry when the re-arm failed after the send, and sends nothing twice', async () => {
    // Prepare
    harness.setNow(NOW);
    const reminder = await harness.createReminder(
      bogota,
      { text: 'regar el huerto', due_local: '2026-02-21T09:00', recurrence: DAILY_AT_9 },
      scheduler,
    );
    const fire = await harness.fireOf(bogota, reminder);
    harness.setNow(reminder.due_at);
    const before = harness.sent(bogota).length;

    // Act
    scheduler.failNext(1);
    await expect(harness.fire(fire)).rejects.toThrow('Scheduler unavailable');
    const retried = await harness.fire(fire);

    // Assess
    expect(retried).toEqual({ outcome: 'duplicate', nextDueAt: new Date('2026-02-22T14:00:00Z') });
    expect(harness.sent(bogota).length).toBe(before + 1);
    expect((await harness.reminders(bogota)).find((row) => row.id === reminder.id)).toMatchObject({
      version: 2,
    });
  });

  it('skips occurrences a late fire missed instead of sending a burst', async () => {
    // Prepare
    harness.setNow(NOW);
    const reminder = await harness.createReminder(
      bogota,
      { text: 'revisar el correo', due_local: '2026-02-21T09:00', recurrence: DAILY_AT_9 },
      scheduler,
    );

    // Act: Scheduler and its retries were down for three days.
    harness.setNow(new Date('2026-02-24T16:00:00Z'));
    const result = await harness.fire(await harness.fireOf(bogota, reminder));

    // Assess
    expect(result).toEqual(
      expect.objectContaining({ outcome: 'sent', nextDueAt: new Date('2026-02-25T14:00:00Z') }),
    );
  });
});
