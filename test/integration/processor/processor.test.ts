import { MetricNames } from '../../../layers/core/observability/metric-names';
import {
  buttonsOf,
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
  textOf,
} from '../../support/processor-harness';

const NOW = new Date('2026-11-22T15:00:00Z'); // Sunday; 10:00 in Bogotá, 10:00 in New York
const ana: HarnessUser = { waId: '573001112233', name: 'Ana' };
const bob: HarnessUser = { waId: '16505551234', name: 'Bob' };

let harness: ProcessorHarness;

const rows = async (table: string, waId: string) => {
  const { rows: found } = await harness.db.query<Record<string, unknown>>(
    `SELECT t.* FROM ${table} t JOIN users u ON u.id = t.user_id WHERE u.wa_id = $1 ORDER BY t.created_at`,
    [waId],
  );
  return found;
};

const lastReply = (user: HarnessUser) => {
  const sent = harness.sent(user);
  return sent[sent.length - 1]!;
};

beforeAll(async () => {
  harness = await startProcessorHarness({ now: NOW });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.setNow(NOW));

describe('processor: reminders', () => {
  it('creates a reminder from Spanish, schedules it for 9:00 local tomorrow, and confirms with buttons', async () => {
    await harness.say(ana, 'recuérdame mañana a las 9 llamar a Juan');
    const [reminder] = await rows('reminders', ana.waId);
    expect(reminder).toMatchObject({ text: 'llamar a Juan', time_zone: 'America/Bogota', status: 'pending' });
    expect((reminder!.due_at as Date).toISOString()).toBe('2026-11-23T14:00:00.000Z');
    expect(harness.scheduler.pending()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reminderId: reminder!.id, timeZone: 'America/Bogota' }),
      ]),
    );
    const reply = lastReply(ana);
    expect(textOf(reply)).toContain('llamar a Juan');
    expect(textOf(reply)).toContain('mañana a las 09:00');
    expect(buttonsOf(reply).map((button) => button.title)).toEqual(['Deshacer', 'Mis recordatorios']);
  });

  it('creates a reminder from English relative to now, in the user’s zone', async () => {
    await harness.say(bob, 'remind me in 2 hours to stretch');
    const [reminder] = await rows('reminders', bob.waId);
    expect(reminder).toMatchObject({ text: 'stretch', time_zone: 'America/New_York' });
    expect((reminder!.due_at as Date).toISOString()).toBe('2026-11-22T17:00:00.000Z');
    expect(textOf(lastReply(bob))).toMatch(/I'll remind you to \*stretch\* today at 12:00 PM/);
  });

  it('lists reminders in both languages', async () => {
    await harness.say(bob, 'what are my reminders?');
    expect(textOf(lastReply(bob))).toContain('*stretch*');
    await harness.say(ana, '¿cuáles son mis recordatorios?');
    expect(textOf(lastReply(ana))).toContain('Tus recordatorios');
  });

  it('undoes a reminder when its button is tapped, without a model, and removes its schedule', async () => {
    const created = await harness.say(ana, 'recuérdame el viernes a las 3pm pagar el arriendo');
    const undo = buttonsOf(lastReply(ana)).find((button) => button.title === 'Deshacer')!;
    const tap = harness.inbound(
      ana,
      { type: 'interactive', reply: { kind: 'button', id: undo.id, title: undo.title } },
      { contextWamid: created.wamid },
    );
    expect((await harness.process([tap])).batchItemFailures).toEqual([]);
    const reminders = await rows('reminders', ana.waId);
    expect(reminders.find((reminder) => reminder.text === 'pagar el arriendo')).toMatchObject({
      status: 'cancelled',
    });
    expect(textOf(lastReply(ana))).toContain('Cancelé el recordatorio *pagar el arriendo*');
    const { rows: usage } = await harness.db.query('SELECT * FROM ai_usage WHERE message_wamid = $1', [
      tap.wamid,
    ]);
    expect(usage).toEqual([]);
  });

  it('cancels a reminder by its words', async () => {
    await harness.say(ana, 'cancela el recordatorio de llamar a Juan');
    const reminder = (await rows('reminders', ana.waId)).find(
      (candidate) => candidate.text === 'llamar a Juan',
    );
    expect(reminder).toMatchObject({ status: 'cancelled' });
    expect(harness.scheduler.pending().some((schedule) => schedule.reminderId === reminder!.id)).toBe(false);
  });

  it('asks about a time that has passed instead of scheduling it, offering tomorrow', async () => {
    await harness.say(ana, 'recuérdame hoy a las 8 regar las plantas');
    const reply = lastReply(ana);
    expect(textOf(reply)).toContain('ya pasó');
    expect(buttonsOf(reply)).toEqual([expect.objectContaining({ title: 'Sí, mañana' })]);
    expect(
      (await rows('reminders', ana.waId)).some((reminder) => reminder.text === 'regar las plantas'),
    ).toBe(false);
  });
});

describe('processor: expenses and calendar', () => {
  it('records expenses in Spanish and English with their currency and category', async () => {
    await harness.say(ana, 'gasté 45.000 en almuerzo');
    await harness.say(bob, 'I spent $12.50 on coffee');
    expect(await rows('expenses', ana.waId)).toEqual([
      expect.objectContaining({ amount: expect.anything(), currency: 'COP', category: 'food' }),
    ]);
    expect(Number((await rows('expenses', ana.waId))[0]!.amount)).toBe(45000);
    expect(await rows('expenses', bob.waId)).toEqual([
      expect.objectContaining({ currency: 'USD', category: 'food' }),
    ]);
    expect(Number((await rows('expenses', bob.waId))[0]!.amount)).toBe(12.5);
    expect(textOf(lastReply(bob))).toContain('$12.50');
  });

  it('sums spending for a period', async () => {
    await harness.say(ana, '¿cuánto gasté esta semana?');
    expect(textOf(lastReply(ana))).toMatch(/Gastaste \*\$\s?45\.000/);
    await harness.say(bob, 'how much did I spend this week?');
    expect(textOf(lastReply(bob))).toContain('You spent *$12.50*');
  });

  it('adds a calendar event and lists it', async () => {
    await harness.say(ana, 'agenda dentista el viernes 3pm');
    const [event] = await rows('calendar_events', ana.waId);
    expect(event).toMatchObject({ title: 'dentista' });
    expect((event!.starts_at as Date).toISOString()).toBe('2026-11-27T20:00:00.000Z');
    await harness.say(ana, '¿qué tengo el viernes?');
    expect(textOf(lastReply(ana))).toContain('*dentista*');
  });
});

describe('processor: delivery semantics', () => {
  it("answers the users of one batch at once: one user's slow send holds back only that user's later messages", async () => {
    // Prepare: Meta is slow to take Carla's first reply (as its pair rate limit makes it), not Dan's
    const carla: HarnessUser = { waId: '573004445566', name: 'Carla' };
    const dan: HarnessUser = { waId: '16505557788', name: 'Dan' };
    harness.standIn.delayNextSendTo(carla.waId, 1_500);
    const first = harness.inbound(carla, { type: 'text', text: 'hola' });
    const second = harness.inbound(carla, { type: 'text', text: 'gasté 5.000 en pan' });
    const other = harness.inbound(dan, { type: 'text', text: 'hi' });
    // Act: one batch, Dan's message last in it
    const response = await harness.process([first, second, other]);
    // Assess: Dan was answered while Carla's first reply waited, and Carla's replies kept her order
    expect(response.batchItemFailures).toEqual([]);
    const answered = harness.standIn
      .outbox()
      .map((entry) => (entry.body as { context?: { message_id?: string } }).context?.message_id)
      .filter((wamid) => [first.wamid, second.wamid, other.wamid].includes(wamid ?? ''));
    expect(answered).toEqual([other.wamid, first.wamid, second.wamid]);
  });

  it('answers a redelivered record once', async () => {
    const event = harness.inbound(bob, { type: 'text', text: 'I spent 3 dollars on gum' });
    const before = harness.sent(bob).length;
    await harness.process([event]);
    await harness.process([event], 2);
    expect(harness.sent(bob).length).toBe(before + 1);
    expect((await rows('expenses', bob.waId)).filter((expense) => Number(expense.amount) === 3)).toHaveLength(
      1,
    );
  });

  it('never moves a status backwards: read then delivered stays read', async () => {
    const event = await harness.say(bob, 'hi');
    const {
      rows: [reply],
    } = await harness.db.query<{ wamid: string }>(
      "SELECT wamid FROM messages WHERE context_wamid = $1 AND direction = 'out'",
      [event.wamid],
    );
    await harness.process([harness.status(reply!.wamid, bob, 'read')]);
    await harness.process([
      harness.status(reply!.wamid, bob, 'delivered', {
        pricing: { category: 'service', type: 'free_customer_service' },
      }),
    ]);
    const {
      rows: [stored],
    } = await harness.db.query('SELECT status, pricing_category FROM messages WHERE wamid = $1', [
      reply!.wamid,
    ]);
    expect(stored).toEqual({ status: 'read', pricing_category: 'service' });
  });

  it('acknowledges a status for a message it never sent, without retrying or dead-lettering it', async () => {
    const response = await harness.process([harness.status('wamid.SENT_BY_ANOTHER_APP', bob, 'delivered')]);
    expect(response.batchItemFailures).toEqual([]);
    const { rows: letters } = await harness.db.query(
      "SELECT 1 FROM dead_letters WHERE payload::text LIKE '%SENT_BY_ANOTHER_APP%'",
    );
    expect(letters).toEqual([]);
    expect(harness.metrics.total(MetricNames.statusUpdates, { outcome: 'unknown_message' })).toBe(1);
  });

  it('keeps a poison record as a dead letter with its reason, and acknowledges it', async () => {
    const response = await harness.processRaw('{"kind":"message","wamid":42}');
    expect(response.batchItemFailures).toEqual([]);
    const { rows: letters } = await harness.db.query<{ source: string; reason: string }>(
      "SELECT source, reason FROM dead_letters WHERE reason LIKE 'queue body%'",
    );
    expect(letters).toEqual([
      { source: 'processor', reason: expect.stringContaining('not a webhook event') },
    ]);
  });

  it('retries a reply the Graph API refused, and sends it once when the API is back', async () => {
    const event = harness.inbound(ana, { type: 'text', text: 'hola' });
    harness.standIn.failNext(10, { status: 500, metaCode: 1 });
    const failed = await harness.process([event]);
    expect(failed.batchItemFailures).toHaveLength(1);
    const before = harness.sent(ana).length;
    const retried = await harness.process([event], 2);
    expect(retried.batchItemFailures).toEqual([]);
    expect(harness.sent(ana).length).toBe(before + 1);
  });
});

describe('processor: odd input', () => {
  it('answers 10 KB of text and a message of only emoji sensibly', async () => {
    await harness.say(bob, 'blah '.repeat(2048));
    expect(textOf(lastReply(bob))).toContain('I can help with');
    await harness.say(ana, '😀😀😀');
    expect(textOf(lastReply(ana)).length).toBeGreaterThan(10);
  });

  it('tells the user plainly that a voice note cannot be heard offline', async () => {
    const note = harness.inbound(ana, {
      type: 'media',
      mediaType: 'audio',
      mediaId: '123',
      mimeType: 'audio/ogg; codecs=opus',
      voice: true,
    });
    await harness.process([note]);
    expect(textOf(lastReply(ana))).toContain('notas de voz');
  });
});
