import type { TurnModel } from '../../../layers/core/assistant/turn';
import {
  buttonsOf,
  type HarnessUser,
  OPERATOR_CONTACT,
  type ProcessorHarness,
  startProcessorHarness,
  textOf,
} from '../../support/processor-harness';
import { type ReminderHarness, startReminderHarness } from '../reminders/harness';

const NOW = new Date('2026-11-22T15:00:00Z'); // Sunday; 10:00 in Bogotá, 10:00 in New York
const HOUR = 3_600_000;
const later = (hours: number) => new Date(NOW.getTime() + hours * HOUR);

// The country code gives each user their language and zone: +57 Spanish, Bogotá; +1 English, New York.
const ana: HarnessUser = { waId: '573001112233', name: 'Ana' };
const bob: HarnessUser = { waId: '16505551234', name: 'Bob' };
const carla: HarnessUser = { waId: '573004445566', name: 'Carla' };
const dan: HarnessUser = { waId: '12125550199', name: 'Dan' };
const eva: HarnessUser = { waId: '573007778899', name: 'Eva' };

const lastSent = (harness: ProcessorHarness, user: HarnessUser) => harness.sent(user).at(-1)!;
const lastText = (harness: ProcessorHarness, user: HarnessUser) => textOf(lastSent(harness, user));

const userRow = async (harness: ProcessorHarness, user: HarnessUser) => {
  const { rows } = await harness.db.query<{
    id: string;
    tenant_id: string;
    name: string | null;
    consent_status: string;
  }>('SELECT id, tenant_id, name, consent_status FROM users WHERE wa_id = $1', [user.waId]);
  return rows[0]!;
};

/** Taps one of the buttons of the last message the user received. */
const tap = async (harness: ProcessorHarness, user: HarnessUser, title: string) => {
  const button = buttonsOf(lastSent(harness, user)).find((candidate) => candidate.title === title);
  if (!button) throw new Error(`no button "${title}" in ${JSON.stringify(lastSent(harness, user))}`);
  const event = harness.inbound(user, { type: 'interactive', reply: { kind: 'button', ...button } });
  const response = await harness.process([event]);
  expect(response.batchItemFailures).toEqual([]);
  return event;
};

/** A model that fails the test if anything asks it: commands must be answered without one. */
const noModel = (): TurnModel & { calls: number } => {
  const model = {
    calls: 0,
    complete: () => {
      model.calls += 1;
      return Promise.reject(new Error('a command reached the model'));
    },
  };
  return model;
};

describe('consent: opting out and back in', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await startReminderHarness({ now: NOW });
  });
  afterAll(async () => {
    await harness.close();
  });
  beforeEach(() => harness.setNow(NOW));

  const consentOf = async (user: HarnessUser) => (await userRow(harness, user)).consent_status;

  it.each([
    {
      user: ana,
      create: 'todos los días a las 9 recuérdame tomar la pastilla',
      optOut: 'Baja.',
      optedOut: /no te enviaré mensajes por mi cuenta.*\*ALTA\*/s,
      optIn: 'ALTA',
      optedIn: /Vuelves a recibir.*\*BAJA\*/s,
      reminder: 'tomar la pastilla',
    },
    {
      user: bob,
      create: 'remind me every day at 9 to take my vitamins',
      optOut: 'STOP',
      optedOut: /won't send you messages on my own.*\*START\*/s,
      optIn: 'start',
      optedIn: /You're back.*\*STOP\*/s,
      reminder: 'take my vitamins',
    },
  ])(
    '$optOut stops $user.name’s daily reminder at once, and $optIn brings it back',
    async ({ user, create, optOut, optedOut, optIn, optedIn, reminder }) => {
      // Prepare: a daily reminder, due tomorrow at 9:00 in the user's zone.
      await harness.say(user, create);
      const [daily] = await harness.reminders(user);
      expect(daily).toMatchObject({ text: reminder, status: 'pending' });

      // Act: opt out; the next occurrence comes due.
      await harness.say(user, optOut);
      const outReply = lastText(harness, user);
      const sentBefore = harness.sent(user).length;
      harness.setNow(later(24));
      const whileOut = await harness.fireDue(later(24));

      // Assess: confirmed, recorded, and nothing sent.
      expect(outReply).toMatch(optedOut);
      expect(await consentOf(user)).toBe('opted_out');
      expect(whileOut.map(({ result }) => result)).toEqual([
        expect.objectContaining({ outcome: 'opted_out' }),
      ]);
      expect(harness.sent(user)).toHaveLength(sentBefore);

      // Act: opt back in; the following occurrence comes due.
      await harness.say(user, optIn);
      const inReply = lastText(harness, user);
      harness.setNow(later(48));
      const whileIn = await harness.fireDue(later(48));

      // Assess: confirmed, recorded, and the reminder reaches the user again (as a template: the user last
      // wrote a day before).
      expect(inReply).toMatch(optedIn);
      expect(await consentOf(user)).toBe('opted_in');
      expect(whileIn.map(({ result }) => result)).toEqual([
        expect.objectContaining({ outcome: 'sent', channel: 'template' }),
      ]);
      expect(harness.sent(user)).toHaveLength(sentBefore + 2);
      expect(JSON.stringify(lastSent(harness, user))).toContain(reminder);
    },
  );

  it('keeps answering an opted-out user who writes, and says a new reminder will not reach them', async () => {
    // Prepare
    await harness.say(eva, 'PARAR');

    // Act
    await harness.say(eva, 'gasté 12.000 en taxi');
    const expenseReply = lastText(harness, eva);
    await harness.say(eva, 'recuérdame mañana a las 8 sacar la basura');
    const reminderReply = lastText(harness, eva);

    // Assess
    expect(expenseReply).toContain('12.000');
    expect(expenseReply).not.toContain('ALTA');
    expect(reminderReply).toContain('sacar la basura');
    expect(reminderReply).toContain('no te llegará hasta que escribas *ALTA*');
    expect(await consentOf(eva)).toBe('opted_out');
  });

  it('takes the configured words too, and keeps the first opt-out date when told twice', async () => {
    // Act
    await harness.say(carla, 'Desuscribir');
    const { rows: first } = await harness.db.query<{ opted_out_at: Date }>(
      'SELECT opted_out_at FROM users WHERE wa_id = $1',
      [carla.waId],
    );
    harness.setNow(later(1));
    await harness.say(carla, 'stop all');
    const { rows: second } = await harness.db.query<{ opted_out_at: Date }>(
      'SELECT opted_out_at FROM users WHERE wa_id = $1',
      [carla.waId],
    );
    await harness.say(carla, 'Reanudar');

    // Assess
    expect(second[0]!.opted_out_at).toEqual(first[0]!.opted_out_at);
    expect(await consentOf(carla)).toBe('opted_in');
  });
});

describe('consent, erasure and handoff need no model', () => {
  let harness: ProcessorHarness;
  const model = noModel();
  beforeAll(async () => {
    harness = await startProcessorHarness({ now: NOW, model });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('answers STOP, START, an erasure request and a request for a person while the model is down', async () => {
    // Act
    await harness.say(ana, 'STOP');
    const stop = lastText(harness, ana);
    await harness.say(ana, 'Alta');
    const start = lastText(harness, ana);
    await harness.say(ana, 'borrar mis datos');
    const erase = lastSent(harness, ana);
    await harness.say(bob, 'talk to a human');
    const human = lastText(harness, bob);

    // Assess
    expect(model.calls).toBe(0);
    expect(stop).toContain('*ALTA*');
    expect(start).toContain('*BAJA*');
    expect(buttonsOf(erase).map((button) => button.title)).toEqual(['Sí, borrar todo', 'No, cancelar']);
    expect(human).toContain(OPERATOR_CONTACT);
  });
});

describe('erasure', () => {
  let harness: ProcessorHarness;
  beforeAll(async () => {
    harness = await startProcessorHarness({ now: NOW });
  });
  afterAll(async () => {
    await harness.close();
  });
  beforeEach(() => harness.setNow(NOW));

  /** Tables with a user_id column, from the catalog: a new one is covered without editing this test. */
  const userOwnedTables = async (): Promise<string[]> => {
    const { rows } = await harness.db.query<{ table_name: string }>(
      `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
       WHERE c.table_schema = 'public' AND c.column_name = 'user_id' AND t.table_type = 'BASE TABLE'
       ORDER BY c.table_name`,
    );
    return rows.map((row) => row.table_name);
  };

  const rowCounts = async (user: HarnessUser): Promise<Record<string, number>> => {
    const { id } = await userRow(harness, user);
    const counts: Record<string, number> = {};
    for (const table of await userOwnedTables()) {
      const { rows } = await harness.db.query<{ count: number | string }>(
        `SELECT count(*) AS count FROM ${table} WHERE user_id = $1`,
        [id],
      );
      counts[table] = Number(rows[0]!.count);
    }
    return counts;
  };

  /** Gives the user at least one row in every table they can own, through the chat where it can. */
  const fillEveryTable = async (user: HarnessUser, spanish: boolean) => {
    const lines = spanish
      ? [
          'recuérdame mañana a las 8 pagar la luz',
          'gasté 20.000 en taxi',
          'agenda dentista el viernes a las 3pm',
          'quiero hablar con una persona',
        ]
      : [
          'remind me tomorrow at 8 to pay the power bill',
          'I spent $20 on a taxi',
          'schedule dentist Friday at 3pm',
          'talk to a human',
        ];
    for (const line of lines) await harness.say(user, line);
    // What the offline chat cannot create yet: a memory, a preference, a failed record.
    const { id, tenant_id: tenantId } = await userRow(harness, user);
    await harness.db.query(
      "INSERT INTO user_memory (tenant_id, user_id, kind, content) VALUES ($1, $2, 'fact', 'likes ceviche')",
      [tenantId, id],
    );
    await harness.db.query(
      `INSERT INTO preferences (tenant_id, user_id, key, value) VALUES ($1, $2, 'currency', '"COP"')`,
      [tenantId, id],
    );
    await harness.db.query(
      `INSERT INTO dead_letters (tenant_id, user_id, source, reason, payload, external_id)
       VALUES ($1, $2, 'processor', 'poison', '{"text":"private"}', $3)`,
      [tenantId, id, `sqs-${user.waId}`],
    );
    const counts = await rowCounts(user);
    expect(Object.entries(counts).filter(([, count]) => count === 0)).toEqual([]);
  };

  const schedulesOf = async (user: HarnessUser) => {
    const { id } = await userRow(harness, user);
    return harness.scheduler.pending().filter((schedule) => schedule.userId === id);
  };

  it('asks, then on "Sí, borrar todo" erases everything Carla owns and confirms, leaving others alone', async () => {
    // Prepare
    await fillEveryTable(carla, true);
    await fillEveryTable(ana, true);
    const anaBefore = await rowCounts(ana);
    const anaSchedules = await schedulesOf(ana);
    const carlaBefore = await userRow(harness, carla);
    expect(await schedulesOf(carla)).toHaveLength(1);

    // Act
    await harness.say(carla, 'Borrar mis datos');
    const question = lastSent(harness, carla);
    harness.setNow(new Date(NOW.getTime() + 2 * 60_000));
    const confirm = await tap(harness, carla, 'Sí, borrar todo');

    // Assess: the question, then the confirmation.
    expect(textOf(question)).toContain('¿Borro todos tus datos?');
    expect(buttonsOf(question).map((button) => button.title)).toEqual(['Sí, borrar todo', 'No, cancelar']);
    expect(lastText(harness, carla)).toContain('borré todos tus datos');
    // Nothing of Carla's is left but the confirming tap and its reply; her reminder's schedule is gone.
    const after = await rowCounts(carla);
    expect(Object.entries(after).filter(([table, count]) => table !== 'messages' && count > 0)).toEqual([]);
    const { rows: messages } = await harness.db.query<{ wamid: string | null; direction: string }>(
      'SELECT wamid, direction FROM messages WHERE user_id = $1 ORDER BY created_at',
      [carlaBefore.id],
    );
    expect(messages.map((message) => message.direction)).toEqual(['in', 'out']);
    expect(messages[0]!.wamid).toBe(confirm.wamid);
    expect(await schedulesOf(carla)).toEqual([]);
    // The identity stays, without the profile name, under the same id.
    expect(await userRow(harness, carla)).toMatchObject({ id: carlaBefore.id, name: null });
    // Ana's rows and schedules are untouched.
    expect(await rowCounts(ana)).toEqual(anaBefore);
    expect(await schedulesOf(ana)).toEqual(anaSchedules);
  });

  it('does nothing more when Meta redelivers the confirming tap, and Carla can start afresh', async () => {
    // Prepare: the tap once more, exactly as first delivered.
    await harness.say(carla, 'Borrar mis datos');
    harness.setNow(new Date(NOW.getTime() + 60_000));
    const confirm = await tap(harness, carla, 'Sí, borrar todo');
    const sentAfterErasure = harness.sent(carla).length;

    // Act
    const redelivered = await harness.process([confirm]);
    await harness.say(carla, 'gasté 5.000 en pan');

    // Assess
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(harness.sent(carla)).toHaveLength(sentAfterErasure + 1);
    expect(lastText(harness, carla)).toContain('5.000');
    expect((await rowCounts(carla)).expenses).toBe(1);
  });

  it('in English: "No, cancel" and an expired "Yes" delete nothing; a fresh "Yes, delete all" does', async () => {
    // Prepare
    await fillEveryTable(dan, false);
    const before = await rowCounts(dan);

    // Act: cancel.
    await harness.say(dan, 'Delete my data');
    const question = lastSent(harness, dan);
    await tap(harness, dan, 'No, cancel');
    const cancelled = lastText(harness, dan);
    // Act: tap the old question's "Yes" eleven minutes after it was asked.
    harness.setNow(new Date(NOW.getTime() + 11 * 60_000));
    const yes = buttonsOf(question).find((button) => button.title === 'Yes, delete all')!;
    await harness.process([harness.inbound(dan, { type: 'interactive', reply: { kind: 'button', ...yes } })]);
    const expired = lastText(harness, dan);
    const afterRefusals = await rowCounts(dan);

    // Assess
    expect(textOf(question)).toContain('Delete all your data?');
    expect(cancelled).toContain('Nothing was deleted');
    expect(expired).toContain('That button has expired');
    // The same rows, plus the messages of the exchange itself.
    expect({ ...afterRefusals, messages: 0 }).toEqual({ ...before, messages: 0 });
    expect(afterRefusals.messages).toBe(before.messages! + 6);
    expect(await schedulesOf(dan)).toHaveLength(1);

    // Act: ask again and confirm in time.
    await harness.say(dan, 'please delete all my data');
    await tap(harness, dan, 'Yes, delete all');

    // Assess
    expect(lastText(harness, dan)).toContain('I deleted all your data');
    expect(Object.entries(await rowCounts(dan)).filter(([, count]) => count > 0)).toEqual([['messages', 2]]);
    expect(await schedulesOf(dan)).toEqual([]);
  });
});

describe('asking for a person', () => {
  let harness: ProcessorHarness;
  beforeAll(async () => {
    harness = await startProcessorHarness({ now: NOW });
  });
  afterAll(async () => {
    await harness.close();
  });

  const handoffs = async (user: HarnessUser) => {
    const { rows } = await harness.db.query<{ message_wamid: string; last_message: string; status: string }>(
      `SELECT h.message_wamid, h.last_message, h.status FROM handoff_requests h
       JOIN users u ON u.id = h.user_id WHERE u.wa_id = $1 ORDER BY h.created_at`,
      [user.waId],
    );
    return rows;
  };

  it.each([
    { user: ana, text: 'Quiero hablar con una persona, por favor', reply: 'Te contactarán por' },
    { user: bob, text: 'can I talk to a human?', reply: "They'll contact you via" },
  ])('records $user.name’s request once and names the contact channel', async ({ user, text, reply }) => {
    // Act
    const event = await harness.say(user, text);
    const redelivered = await harness.process([event]);

    // Assess
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(lastText(harness, user)).toContain(`${reply} ${OPERATOR_CONTACT}`);
    expect(await handoffs(user)).toEqual([
      { message_wamid: event.wamid, last_message: text, status: 'open' },
    ]);
    const { rows: executions } = await harness.db.query(
      "SELECT 1 FROM tool_executions WHERE message_wamid = $1 AND tool = 'request_human'",
      [event.wamid],
    );
    expect(executions).toHaveLength(1);
  });

  it('leaves "remind me to talk to a person" a reminder', async () => {
    await harness.say(ana, 'recuérdame mañana a las 10 hablar con una persona de recursos humanos');
    expect(lastText(harness, ana)).toContain('te recordaré');
    expect(await handoffs(ana)).toHaveLength(1);
  });
});
