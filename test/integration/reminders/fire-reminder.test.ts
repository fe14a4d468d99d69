import { setConsent } from '../../../layers/core/db/repositories';
import { buttonsOf, type HarnessUser, textOf } from '../../support/processor-harness';
import { type ReminderHarness, startReminderHarness } from './harness';

// Sunday 10:00 in Bogotá (UTC-5, no daylight saving).
const NOW = new Date('2026-11-22T15:00:00Z');
const TOMORROW_9 = new Date('2026-11-23T14:00:00Z');

let harness: ReminderHarness;
let users = 0;

/** A new user who wrote "hola" at `at`, which opened their 24 h window. */
const newUser = async (at: Date = NOW): Promise<HarnessUser> => {
  users += 1;
  const user = { waId: `5730011100${String(users).padStart(2, '0')}`, name: `User ${users}` };
  harness.setNow(at);
  await harness.say(user, 'hola');
  return user;
};

const sentCount = (user: HarnessUser) => harness.sent(user).length;
const lastSent = (user: HarnessUser) => harness.sent(user).at(-1)!;

const outboundOf = async (reminderId: string) => {
  const { rows } = await harness.db.query<{ type: string; wamid: string | null; body: string }>(
    'SELECT type, wamid, body FROM messages WHERE idempotency_key LIKE $1 ORDER BY created_at',
    [`reminder:${reminderId}:%`],
  );
  return rows;
};

beforeAll(async () => {
  harness = await startReminderHarness({ now: NOW });
});
afterAll(async () => {
  await harness.close();
});

describe('reminder function: delivery', () => {
  it('sends a due reminder inside the window as an interactive message with snooze and done buttons', async () => {
    // Prepare
    const user = await newUser();
    await harness.say(user, 'recuérdame mañana a las 9 llamar a Juan');
    const [reminder] = await harness.reminders(user);
    expect(reminder!.due_at).toEqual(TOMORROW_9);
    const before = sentCount(user);

    // Act
    harness.setNow(TOMORROW_9);
    const results = await harness.fireDue(TOMORROW_9);

    // Assess
    expect(results).toEqual([
      {
        reminderId: reminder!.id,
        result: expect.objectContaining({ outcome: 'sent', channel: 'interactive' }),
      },
    ]);
    expect(sentCount(user)).toBe(before + 1);
    expect(textOf(lastSent(user))).toBe('⏰ Recordatorio: llamar a Juan');
    expect(buttonsOf(lastSent(user))).toEqual([
      { id: `v1:rem:snooze:${reminder!.id}:10m`, title: '10 min' },
      { id: `v1:rem:snooze:${reminder!.id}:1h`, title: '1 hora' },
      { id: `v1:rem:done:${reminder!.id}`, title: 'Hecho' },
    ]);
    expect((await harness.reminders(user))[0]).toMatchObject({ status: 'sent', version: 1 });
    expect(await outboundOf(reminder!.id)).toEqual([
      {
        type: 'interactive',
        wamid: expect.stringMatching(/^wamid\./),
        body: '⏰ Recordatorio: llamar a Juan',
      },
    ]);
  });

  it('labels the buttons in English for an English-speaking user', async () => {
    // Prepare
    const bob = { waId: '16505550101', name: 'Bob' };
    harness.setNow(NOW);
    await harness.say(bob, 'hello');
    const reminder = await harness.createReminder(bob, { text: 'stretch', due_local: '2026-11-22T12:00' });

    // Act
    harness.setNow(reminder.due_at);
    await harness.fire(await harness.fireOf(bob, reminder));

    // Assess
    expect(textOf(lastSent(bob))).toBe('⏰ Reminder: stretch');
    expect(buttonsOf(lastSent(bob)).map((button) => button.title)).toEqual(['10 min', '1 h', 'Done']);
  });

  it('sends nothing for a duplicate invocation', async () => {
    // Prepare
    const user = await newUser();
    const reminder = await harness.createReminder(user, {
      text: 'pagar la luz',
      due_local: '2026-11-22T12:00',
    });
    const fire = await harness.fireOf(user, reminder);
    harness.setNow(reminder.due_at);
    await harness.fire(fire);
    const before = sentCount(user);

    // Act
    const duplicate = await harness.fire(fire);

    // Assess
    expect(duplicate).toEqual({ outcome: 'duplicate' });
    expect(sentCount(user)).toBe(before);
    expect(await outboundOf(reminder.id)).toHaveLength(1);
  });

  it('never fires a cancelled reminder', async () => {
    // Prepare
    const user = await newUser();
    await harness.say(user, 'recuérdame mañana a las 9 regar las plantas');
    await harness.say(user, 'cancela el recordatorio de regar las plantas');
    const [reminder] = await harness.reminders(user);
    expect(reminder).toMatchObject({ status: 'cancelled' });
    const before = sentCount(user);

    // Act
    harness.setNow(TOMORROW_9);
    const result = await harness.fire(await harness.fireOf(user, reminder!));

    // Assess
    expect(result).toEqual({ outcome: 'finished' });
    expect(sentCount(user)).toBe(before);
    expect(await outboundOf(reminder!.id)).toEqual([]);
  });

  it('moves the schedule when the user taps “10 min”: the old fire is stale, the new one sends once', async () => {
    // Prepare
    const user = await newUser();
    const reminder = await harness.createReminder(user, {
      text: 'sacar la ropa',
      due_local: '2026-11-22T12:00',
    });
    const firstFire = await harness.fireOf(user, reminder);
    harness.setNow(reminder.due_at);
    await harness.fire(firstFire);
    const [snooze] = buttonsOf(lastSent(user));

    // Act
    await harness.tap(user, snooze!);
    const stale = await harness.fire(firstFire);
    const [snoozed] = await harness
      .reminders(user)
      .then((rows) => rows.filter((row) => row.id === reminder.id));
    const before = sentCount(user);
    harness.setNow(snoozed!.due_at);
    const moved = await harness.fireDue(snoozed!.due_at);

    // Assess
    expect(snoozed).toMatchObject({ version: 2, due_at: new Date(reminder.due_at.getTime() + 10 * 60_000) });
    expect(stale).toEqual({ outcome: 'stale' });
    expect(moved).toContainEqual({
      reminderId: reminder.id,
      result: expect.objectContaining({ outcome: 'sent' }),
    });
    expect(sentCount(user)).toBe(before + 1);
    expect(textOf(lastSent(user))).toBe('⏰ Recordatorio: sacar la ropa');
  });

  it('sends a reminder due 30 hours after the user’s last message as the approved template', async () => {
    // Prepare
    const user = await newUser(NOW);
    const reminder = await harness.createReminder(user, {
      text: 'renovar el pasaporte',
      due_local: '2026-11-23T16:00', // 21:00 UTC the next day: 30 h after "hola"
    });
    expect(reminder.due_at.getTime() - NOW.getTime()).toBe(30 * 60 * 60_000);

    // Act
    harness.setNow(reminder.due_at);
    const result = await harness.fire(await harness.fireOf(user, reminder));

    // Assess
    expect(result).toEqual(expect.objectContaining({ outcome: 'sent', channel: 'template' }));
    expect(lastSent(user)).toMatchObject({
      type: 'template',
      template: {
        name: 'reminder_es',
        language: { code: 'es' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'renovar el pasaporte' }] }],
      },
    });
  });

  it('switches to the template once when Meta answers that the window has closed', async () => {
    // Prepare
    const user = await newUser();
    const reminder = await harness.createReminder(user, {
      text: 'llamar al banco',
      due_local: '2026-11-22T12:00',
    });
    harness.standIn.failNext(1, { metaCode: 131047 });

    // Act
    harness.setNow(reminder.due_at);
    const result = await harness.fire(await harness.fireOf(user, reminder));

    // Assess
    expect(result).toEqual(expect.objectContaining({ outcome: 'sent', channel: 'template' }));
    expect(lastSent(user)).toMatchObject({ type: 'template' });
    expect(await outboundOf(reminder.id)).toEqual([
      expect.objectContaining({ type: 'template', wamid: expect.stringMatching(/^wamid\./) }),
    ]);
  });

  it('re-sends a reminder once as its template when its status fails with 131047, and sends the next one as a template', async () => {
    // Prepare: an interactive reminder that Meta later reports as outside the window.
    const user = await newUser();
    const first = await harness.createReminder(user, { text: 'pagar la luz', due_local: '2026-11-22T12:00' });
    const second = await harness.createReminder(user, {
      text: 'pagar el gas',
      due_local: '2026-11-22T13:00',
    });
    harness.setNow(first.due_at);
    await harness.fire(await harness.fireOf(user, first));
    const [interactive] = await outboundOf(first.id);
    const failed = harness.status(interactive!.wamid!, user, 'failed', {
      errors: [{ code: 131047, title: 'Re-engagement message' }],
    });

    // Act
    await harness.process([failed]);
    await harness.process([failed], 2);
    harness.setNow(second.due_at);
    const next = await harness.fire(await harness.fireOf(user, second));

    // Assess
    expect((await outboundOf(first.id)).map((row) => row.type)).toEqual(['interactive', 'template']);
    expect(harness.sent(user).slice(-2)).toEqual([
      expect.objectContaining({
        type: 'template',
        template: expect.objectContaining({
          name: 'reminder_es',
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'pagar la luz' }] }],
        }),
      }),
      expect.objectContaining({ type: 'template' }),
    ]);
    expect(next).toEqual(expect.objectContaining({ outcome: 'sent', channel: 'template' }));
  });

  it('sends nothing proactive to a user who opted out', async () => {
    // Prepare
    const user = await newUser();
    const reminder = await harness.createReminder(user, {
      text: 'tomar agua',
      due_local: '2026-11-22T12:00',
    });
    const fire = await harness.fireOf(user, reminder);
    await harness.db.transaction({ tenantId: fire.tenantId, userId: fire.userId }, (tx) =>
      setConsent(tx, 'opted_out', NOW),
    );
    const before = sentCount(user);

    // Act
    harness.setNow(reminder.due_at);
    const result = await harness.fire(fire);

    // Assess
    expect(result).toEqual({ outcome: 'opted_out' });
    expect(sentCount(user)).toBe(before);
  });
});

describe('reminder function: failures', () => {
  it('throws on a Graph 500 so the invocation is retried, and the retry sends once', async () => {
    // Prepare: the Graph client's own four attempts all fail.
    const user = await newUser();
    const reminder = await harness.createReminder(user, {
      text: 'enviar el informe',
      due_local: '2026-11-22T12:00',
    });
    const fire = await harness.fireOf(user, reminder);
    harness.setNow(reminder.due_at);
    harness.standIn.failNext(4, { status: 500, metaCode: 131000 });
    const before = sentCount(user);

    // Act
    const failed = harness.fire(fire);
    await expect(failed).rejects.toMatchObject({ retryable: true });
    const retried = await harness.fire(fire);
    const again = await harness.fire(fire);

    // Assess
    expect(retried).toEqual(expect.objectContaining({ outcome: 'sent' }));
    expect(again).toEqual({ outcome: 'duplicate' });
    expect(sentCount(user)).toBe(before + 1);
    expect(await outboundOf(reminder.id)).toHaveLength(1);
    expect(harness.metrics.total('RemindersFired', { outcome: 'retry' })).toBeGreaterThanOrEqual(1);
  });

  it('keeps a reminder Meta refuses for good as a dead letter, and does not throw', async () => {
    // Prepare
    const user = await newUser();
    const reminder = await harness.createReminder(user, {
      text: 'ver al médico',
      due_local: '2026-11-22T12:00',
    });
    const fire = await harness.fireOf(user, reminder);
    harness.setNow(reminder.due_at);
    harness.standIn.failNext(1, { metaCode: 131026 });

    // Act
    const result = await harness.fire(fire);

    // Assess
    expect(result).toEqual({ outcome: 'dead_letter', reason: 'graph_undeliverable' });
    const { rows } = await harness.db.query(
      'SELECT source, reason, payload, external_id FROM dead_letters WHERE external_id = $1',
      [`reminder:${reminder.id}:v1`],
    );
    expect(rows).toEqual([
      {
        source: 'reminder',
        reason: 'graph_undeliverable',
        payload: fire,
        external_id: `reminder:${reminder.id}:v1`,
      },
    ]);
    expect(await outboundOf(reminder.id)).toEqual([]);
  });

  it('keeps input that is not a reminder fire as a dead letter, and acknowledges it', async () => {
    // Prepare
    const input = { reminderId: 'not-a-uuid', version: 0 };

    // Act
    const result = await harness.fire(input);

    // Assess
    expect(result).toEqual({ outcome: 'invalid_input' });
    const { rows } = await harness.db.query<{ reason: string; payload: unknown }>(
      "SELECT reason, payload FROM dead_letters WHERE source = 'reminder' AND payload ? 'input'",
    );
    expect(rows).toEqual([
      {
        reason: 'invalid scheduler input: reminderId, version, tenantId, userId',
        payload: { input },
      },
    ]);
  });
});
