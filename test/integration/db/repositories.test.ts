import { ConstraintViolationError } from '../../../layers/core/db/errors';
import { type PgliteDatabase } from '../../../layers/core/db/pglite-database';
import {
  addExpense,
  assignOutboundWamid,
  attachSchedule,
  cancelCalendarEvent,
  createCalendarEvent,
  createReminder,
  deleteExpense,
  deletePreference,
  findConflictingEvents,
  finishReminder,
  getCurrentUser,
  getPreference,
  insertInboundMessage,
  listDeadLetters,
  listExpenses,
  listPreferences,
  listRecentTurns,
  listReminders,
  markReminderSent,
  recordAiUsage,
  recordDeadLetter,
  recordInboundActivity,
  recordOutboundMessage,
  recordToolExecution,
  rescheduleReminder,
  resolveUser,
  type ReminderStatus,
  setConsent,
  setDeadLetterStatus,
  setInboundBody,
  setPreference,
  summarizeExpenses,
  updateMessageStatus,
  updateProfile,
  closeServiceWindow,
  recordMessageCost,
  sumMessageCostsByDay,
  upsertTenant,
  type OutboundStatus,
} from '../../../layers/core/db/repositories';
import {
  createTestUser,
  databaseErrorFrom,
  type MigratedPglite,
  openMigratedPglite,
  type TestUser,
  unique,
} from './support';

const HOUR_MS = 3_600_000;
const at = (iso: string): Date => new Date(iso);

describe('repositories', () => {
  let database: MigratedPglite;
  let db: PgliteDatabase;
  let user: TestUser;

  beforeAll(async () => {
    database = await openMigratedPglite();
    db = database.db;
  });

  beforeEach(async () => {
    user = await createTestUser(db);
  });

  afterAll(async () => {
    await database.pglite.close();
  });

  describe('identity', () => {
    it('returns the same tenant for the same phone number id, keeping its display number current', async () => {
      // Prepare
      const phoneNumberId = unique('1');

      // Act
      const first = await upsertTenant(db, { phoneNumberId, displayPhoneNumber: '+51 1 555 0100' });
      const again = await upsertTenant(db, { phoneNumberId, displayPhoneNumber: '+51 1 555 0199' });

      // Assess
      expect(again).toBe(first);
      const { rows } = await db.query('SELECT display_phone_number FROM tenants WHERE id = $1', [first]);
      expect(rows).toEqual([{ display_phone_number: '+51 1 555 0199' }]);
    });

    it('finds a user first seen by bsuid when it later arrives with a wa_id too, and fills the wa_id in', async () => {
      // Prepare
      const bsuid = unique('PE.');
      const waId = unique('51');
      const defaults = { locale: 'es', timeZone: 'America/Lima', country: 'PE' };

      // Act
      const byBsuid = await resolveUser(db, { tenantId: user.tenantId, bsuid, defaults });
      const byBoth = await resolveUser(db, {
        tenantId: user.tenantId,
        waId,
        bsuid,
        profileName: 'Rosa',
        defaults,
      });
      const byWaId = await resolveUser(db, { tenantId: user.tenantId, waId, defaults });

      // Assess
      expect([byBoth, byWaId]).toEqual([byBsuid, byBsuid]);
      const { rows } = await db.query('SELECT wa_id, bsuid, name FROM users WHERE id = $1', [byBsuid]);
      expect(rows).toEqual([{ wa_id: waId, bsuid, name: 'Rosa' }]);
    });

    it('refuses a user with neither a wa_id nor a bsuid', async () => {
      // Act
      const error = await databaseErrorFrom(
        resolveUser(db, { tenantId: user.tenantId, defaults: { locale: 'es', timeZone: 'UTC' } }),
      );

      // Assess
      expect(error).toBeInstanceOf(ConstraintViolationError);
    });
  });

  describe('users', () => {
    it('opens a 24-hour service window on an inbound message, and an older message never shortens it', async () => {
      // Act
      const [first, older] = await db.transaction(user, async (tx) => [
        await recordInboundActivity(tx, at('2026-03-01T10:00:00Z')),
        await recordInboundActivity(tx, at('2026-03-01T08:00:00Z')),
      ]);

      // Assess
      expect(older.user.lastInboundAt).toEqual(at('2026-03-01T10:00:00Z'));
      expect(older.user.windowExpiresAt).toEqual(at('2026-03-02T10:00:00Z'));
      expect(first.previousInboundAt).toBeNull();
      expect(older.previousInboundAt).toEqual(at('2026-03-01T10:00:00Z'));
    });

    it('closes the window when Meta says a message found it closed, unless the user wrote after that message', async () => {
      // Act
      const [closed, user2] = await db.transaction(user, async (tx) => {
        await recordInboundActivity(tx, at('2026-03-01T10:00:00Z'));
        return [await closeServiceWindow(tx, at('2026-03-01T12:00:00Z')), await getCurrentUser(tx)] as const;
      });
      const other = await createTestUser(db);
      const keptOpen = await db.transaction(other, async (tx) => {
        await recordInboundActivity(tx, at('2026-03-01T13:00:00Z'));
        return closeServiceWindow(tx, at('2026-03-01T12:00:00Z'));
      });

      // Assess
      expect(closed).toBe(true);
      expect(user2?.windowExpiresAt).toEqual(at('2026-03-01T12:00:00Z'));
      expect(keptOpen).toBe(false);
    });

    it('records an opt-out with its time, and updates only the profile fields given', async () => {
      // Act
      const current = await db.transaction(user, async (tx) => {
        await setConsent(tx, 'opted_out', at('2026-03-01T12:00:00Z'));
        await updateProfile(tx, { timeZone: 'Europe/Madrid' });
        return getCurrentUser(tx);
      });

      // Assess
      expect(current).toMatchObject({
        consentStatus: 'opted_out',
        optedOutAt: at('2026-03-01T12:00:00Z'),
        timeZone: 'Europe/Madrid',
        locale: 'es',
        country: 'PE',
      });
    });

    it('rejects a time zone the zone database does not know', async () => {
      // Act
      const outcome = db.transaction(user, (tx) => updateProfile(tx, { timeZone: 'Mars/Olympus_Mons' }));

      // Assess
      await expect(outcome).rejects.toThrow(RangeError);
    });
  });

  describe('messages', () => {
    const inbound = (wamid: string) => ({
      wamid,
      type: 'text',
      body: 'recuérdame pagar la luz',
      payload: { text: { body: 'recuérdame pagar la luz' } },
      occurredAt: at('2026-03-01T10:00:00Z'),
    });

    it('stores an inbound message once, however often Meta delivers it', async () => {
      // Prepare
      const wamid = unique('wamid.');
      const store = () =>
        db.transaction(user, (tx) => insertInboundMessage(tx, inbound(wamid), `reply:${wamid}`));

      // Act
      const first = await store();
      const redelivery = await store();

      // Assess
      expect(first).toEqual({ isNew: true });
      expect(redelivery).toEqual({ isNew: false, body: 'recuérdame pagar la luz', reply: 'none' });
      const { rowCount } = await db.query('SELECT 1 FROM messages WHERE wamid = $1', [wamid]);
      expect(rowCount).toBe(1);
    });

    it("tells a redelivery the body stored since and whether its reply's send intent went out", async () => {
      // Prepare: a transcript stored after the first delivery; a reply recorded, then given a wamid by Meta.
      const wamid = unique('wamid.');
      const replyKey = `reply:${wamid}`;
      const store = () => db.transaction(user, (tx) => insertInboundMessage(tx, inbound(wamid), replyKey));
      await store();
      await db.transaction(user, async (tx) => {
        await setInboundBody(tx, wamid, 'transcrito');
        await recordOutboundMessage(tx, {
          idempotencyKey: replyKey,
          type: 'text',
          body: 'listo',
          payload: {},
        });
      });

      // Act
      const whileSending = await store();
      await db.transaction(user, (tx) => assignOutboundWamid(tx, replyKey, unique('wamid.out.')));
      const afterSending = await store();

      // Assess
      expect(whileSending).toEqual({ isNew: false, body: 'transcrito', reply: 'unknown' });
      expect(afterSending).toEqual({ isNew: false, body: 'transcrito', reply: 'sent' });
    });

    async function outboundWithStatuses(...statuses: OutboundStatus[]) {
      const wamid = unique('wamid.out.');
      return db.transaction(user, async (tx) => {
        await recordOutboundMessage(tx, { wamid, type: 'text', body: 'listo', payload: {} });
        const results = [];
        for (const [index, status] of statuses.entries()) {
          results.push(
            await updateMessageStatus(tx, { wamid, status, at: new Date(Date.UTC(2026, 2, 1, 10, index)) }),
          );
        }
        return results;
      });
    }

    it('never moves a status backwards: read followed by a late delivered stays read', async () => {
      // Act
      const results = await outboundWithStatuses('sent', 'read', 'delivered');

      // Assess
      expect(results.map((result) => result && { status: result.status, advanced: result.advanced })).toEqual(
        [
          { status: 'sent', advanced: true },
          { status: 'read', advanced: true },
          { status: 'read', advanced: false },
        ],
      );
    });

    it('treats failed as terminal, and does not let a late failure undo a read', async () => {
      // Act
      const afterFailure = await outboundWithStatuses('sent', 'failed', 'delivered', 'read');
      const afterRead = await outboundWithStatuses('read', 'failed');

      // Assess
      expect(afterFailure.map((result) => result?.status)).toEqual(['sent', 'failed', 'failed', 'failed']);
      expect(afterRead.map((result) => result?.status)).toEqual(['read', 'read']);
    });

    it('keeps pricing and the failure details whatever order the statuses arrive in', async () => {
      // Prepare
      const wamid = unique('wamid.out.');

      // Act
      const stored = await db.transaction(user, async (tx) => {
        await recordOutboundMessage(tx, { wamid, type: 'template', body: null, payload: {} });
        await updateMessageStatus(tx, { wamid, status: 'failed', at: new Date(), error: [{ code: 131047 }] });
        const late = await updateMessageStatus(tx, {
          wamid,
          status: 'sent',
          at: new Date(),
          pricingCategory: 'utility',
          pricingType: 'regular',
        });
        return late?.message;
      });

      // Assess
      expect(stored).toMatchObject({
        status: 'failed',
        error: [{ code: 131047 }],
        pricingCategory: 'utility',
      });
    });

    it('stores a message’s cost once and sums costs per user and UTC day', async () => {
      // Prepare
      const sent = async (wamid: string) =>
        db.transaction(user, (tx) =>
          recordOutboundMessage(tx, { wamid, type: 'template', body: null, payload: {} }),
        );
      const [first, second, free] = [unique('wamid.c1.'), unique('wamid.c2.'), unique('wamid.c3.')];
      for (const wamid of [first, second, free]) await sent(wamid);

      // Act
      const stored = await db.transaction(user, async (tx) => [
        await recordMessageCost(tx, first, 0.0008),
        await recordMessageCost(tx, first, 0.5),
        await recordMessageCost(tx, second, 0.0125),
        await recordMessageCost(tx, free, 0),
      ]);
      const today = new Date();
      const day = today.toISOString().slice(0, 10);
      const sums = await db.transaction(user, (tx) =>
        sumMessageCostsByDay(tx, {
          from: new Date(Date.parse(`${day}T00:00:00Z`)),
          to: new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS),
        }),
      );

      // Assess
      expect(stored).toEqual([true, false, true, true]);
      expect(sums).toEqual([{ userId: user.userId, day, costUsd: 0.0133, messages: 3 }]);
    });

    it('reports an unknown wamid instead of inventing a message, and rejects an unknown status', async () => {
      // Act
      const unknown = await db.transaction(user, (tx) =>
        updateMessageStatus(tx, { wamid: unique('wamid.none.'), status: 'read', at: new Date() }),
      );
      const bogus = await databaseErrorFrom(outboundWithStatuses('bogus' as OutboundStatus));

      // Assess
      expect(unknown).toBeUndefined();
      expect(bogus).toBeInstanceOf(ConstraintViolationError);
      expect(bogus.retryable).toBe(false);
    });

    it('finds a retried send intent by its idempotency key, and later stores the wamid Meta assigned', async () => {
      // Prepare
      const idempotencyKey = unique('reply:');
      const intent = { idempotencyKey, type: 'text', body: 'hecho', payload: { text: { body: 'hecho' } } };
      const wamid = unique('wamid.');

      // Act
      const first = await db.transaction(user, (tx) => recordOutboundMessage(tx, intent));
      const retry = await db.transaction(user, (tx) => recordOutboundMessage(tx, intent));
      const sent = await db.transaction(user, (tx) => assignOutboundWamid(tx, idempotencyKey, wamid));

      // Assess
      expect(first.isNew).toBe(true);
      expect(retry).toEqual({ message: first.message, isNew: false });
      expect(sent).toMatchObject({ id: first.message.id, wamid, status: 'pending' });
    });

    it('lists the latest messages oldest first, in the order they were recorded, with who said what', async () => {
      // Prepare
      const wamids = [unique('wamid.'), unique('wamid.'), unique('wamid.')];

      // Act
      const recent = await db.transaction(user, async (tx) => {
        for (const [index, body] of ['uno', 'dos', 'tres'].entries()) {
          await insertInboundMessage(tx, { ...inbound(wamids[index]!), body }, `reply:${wamids[index]}`);
          // PGlite's clock ticks in milliseconds (Postgres's in microseconds): let it tick between messages.
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        return listRecentTurns(tx, 2);
      });

      // Assess
      expect(recent).toEqual([
        { wamid: wamids[1], direction: 'in', body: 'dos' },
        { wamid: wamids[2], direction: 'in', body: 'tres' },
      ]);
    });
  });

  describe('reminders', () => {
    it('fires a reminder once per version: a schedule left over from before a reschedule does nothing', async () => {
      // Act
      const outcome = await db.transaction(user, async (tx) => {
        const reminder = await createReminder(tx, {
          text: 'pagar la luz',
          dueAt: at('2026-03-02T14:00:00Z'),
          timeZone: 'America/Lima',
        });
        await attachSchedule(tx, reminder.id, unique('reminder-'));
        const moved = await rescheduleReminder(tx, reminder.id, {
          dueAt: at('2026-03-02T15:00:00Z'),
          expectedVersion: reminder.version,
        });
        return {
          stale: await markReminderSent(tx, reminder.id, reminder.version),
          current: await markReminderSent(tx, reminder.id, moved!.version),
          duplicate: await markReminderSent(tx, reminder.id, moved!.version),
          listed: await listReminders(tx, { status: 'sent' }),
        };
      });

      // Assess
      expect(outcome).toMatchObject({ stale: false, current: true, duplicate: false });
      expect(outcome.listed).toHaveLength(1);
      expect(outcome.listed[0]).toMatchObject({ version: 2, dueAt: at('2026-03-02T15:00:00Z') });
    });

    it('leaves a finished reminder as it is, and rejects a status outside the allowed ones', async () => {
      // Act
      const outcome = await db.transaction(user, async (tx) => {
        const reminder = await createReminder(tx, { text: 'x', dueAt: new Date(), timeZone: 'UTC' });
        return {
          cancelled: await finishReminder(tx, reminder.id, 'cancelled'),
          doneAfterCancel: await finishReminder(tx, reminder.id, 'done'),
        };
      });
      const bogus = await databaseErrorFrom(
        db.transaction(user, async (tx) => {
          const pending = await createReminder(tx, { text: 'y', dueAt: new Date(), timeZone: 'UTC' });
          return finishReminder(tx, pending.id, 'snoozed' as Extract<ReminderStatus, 'done'>);
        }),
      );

      // Assess
      expect(outcome.cancelled?.status).toBe('cancelled');
      expect(outcome.doneAfterCancel).toBeUndefined();
      expect(bogus).toBeInstanceOf(ConstraintViolationError);
    });
  });

  describe('calendar events', () => {
    it('finds the events a new one would clash with, ignoring back-to-back and cancelled ones', async () => {
      // Act
      const conflicts = await db.transaction(user, async (tx) => {
        const meeting = await createCalendarEvent(tx, {
          title: 'reunión',
          startsAt: at('2026-03-02T15:00:00Z'),
          endsAt: at('2026-03-02T16:00:00Z'),
        });
        await createCalendarEvent(tx, {
          title: 'almuerzo',
          startsAt: at('2026-03-02T13:00:00Z'),
          endsAt: at('2026-03-02T14:00:00Z'),
        });
        const cancelled = await createCalendarEvent(tx, {
          title: 'gimnasio',
          startsAt: at('2026-03-02T14:30:00Z'),
          endsAt: at('2026-03-02T15:30:00Z'),
        });
        await cancelCalendarEvent(tx, cancelled.id);
        const range = { from: at('2026-03-02T14:00:00Z'), to: at('2026-03-02T15:30:00Z') };
        return {
          found: await findConflictingEvents(tx, range),
          excludingMeeting: await findConflictingEvents(tx, range, meeting.id),
        };
      });

      // Assess
      expect(conflicts.found.map((event) => event.title)).toEqual(['reunión']);
      expect(conflicts.excludingMeeting).toEqual([]);
    });

    it('rejects an event that ends before it starts', async () => {
      // Act
      const error = await databaseErrorFrom(
        db.transaction(user, (tx) =>
          createCalendarEvent(tx, {
            title: 'x',
            startsAt: new Date(Date.now() + HOUR_MS),
            endsAt: new Date(),
          }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(ConstraintViolationError);
      expect(error.constraint).toBe('calendar_events_ends_after_start');
    });
  });

  describe('expenses', () => {
    it('sums a period by category and currency, never adding different currencies', async () => {
      // Act
      const totals = await db.transaction(user, async (tx) => {
        const march = (day: number) => new Date(Date.UTC(2026, 2, day, 12));
        await addExpense(tx, { amount: 12.5, currency: 'PEN', category: 'food', occurredAt: march(1) });
        await addExpense(tx, { amount: 7.25, currency: 'PEN', category: 'food', occurredAt: march(2) });
        await addExpense(tx, { amount: 30, currency: 'PEN', category: 'taxi', occurredAt: march(3) });
        await addExpense(tx, { amount: 4, currency: 'USD', category: 'food', occurredAt: march(3) });
        await addExpense(tx, {
          amount: 99,
          currency: 'PEN',
          category: 'food',
          occurredAt: new Date(Date.UTC(2026, 3, 1)),
        });
        return summarizeExpenses(tx, { from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') });
      });

      // Assess
      expect(totals).toEqual([
        { category: 'taxi', currency: 'PEN', total: 30, count: 1 },
        { category: 'food', currency: 'PEN', total: 19.75, count: 2 },
        { category: 'food', currency: 'USD', total: 4, count: 1 },
      ]);
    });

    it('lists newest first, filtered by category, and deletes one', async () => {
      // Act
      const outcome = await db.transaction(user, async (tx) => {
        const older = await addExpense(tx, {
          amount: 1,
          currency: 'PEN',
          category: 'food',
          occurredAt: at('2026-03-01T00:00:00Z'),
        });
        const newer = await addExpense(tx, {
          amount: 2,
          currency: 'PEN',
          category: 'food',
          occurredAt: at('2026-03-02T00:00:00Z'),
        });
        await addExpense(tx, {
          amount: 3,
          currency: 'PEN',
          category: 'taxi',
          occurredAt: at('2026-03-03T00:00:00Z'),
        });
        const listed = await listExpenses(tx, { category: 'food' });
        const deleted = await deleteExpense(tx, { id: older.id });
        return {
          listed: listed.map((expense) => expense.id),
          newer,
          older,
          deleted,
          remaining: await listExpenses(tx),
        };
      });

      // Assess
      expect(outcome.listed).toEqual([outcome.newer.id, outcome.older.id]);
      expect(outcome.deleted).toMatchObject({ id: outcome.older.id, amount: outcome.older.amount });
      expect(outcome.remaining).toHaveLength(2);
    });

    it.each([
      ['a zero amount', { amount: 0, currency: 'PEN' }, 'expenses_amount_check'],
      ['a lower-case currency', { amount: 5, currency: 'pen' }, 'expenses_currency_check'],
      ['a two-letter currency', { amount: 5, currency: 'PE' }, 'expenses_currency_check'],
    ])('rejects %s with a permanent constraint error', async (_case, fields, constraint) => {
      // Act
      const error = await databaseErrorFrom(
        db.transaction(user, (tx) => addExpense(tx, { ...fields, category: 'food', occurredAt: new Date() })),
      );

      // Assess
      expect(error).toBeInstanceOf(ConstraintViolationError);
      expect(error).toMatchObject({ code: '23514', retryable: false, constraint });
    });
  });

  describe('preferences', () => {
    it('sets, overwrites, lists and deletes a preference', async () => {
      // Act
      const outcome = await db.transaction(user, async (tx) => {
        await setPreference(tx, 'reply.language', 'es');
        await setPreference(tx, 'reply.language', 'en');
        await setPreference(tx, 'summary_hour', { hour: 20, days: ['mon', 'fri'] });
        const listed = await listPreferences(tx);
        const deleted = await deletePreference(tx, 'reply.language');
        return { listed, deleted, afterDelete: await getPreference(tx, 'reply.language') };
      });

      // Assess
      expect(outcome).toEqual({
        listed: { 'reply.language': 'en', summary_hour: { hour: 20, days: ['mon', 'fri'] } },
        deleted: true,
        afterDelete: undefined,
      });
    });
  });

  describe('AI usage and tool executions', () => {
    it('records a model call with its tokens and cost', async () => {
      // Act
      const usage = await db.transaction(user, (tx) =>
        recordAiUsage(tx, {
          provider: 'anthropic',
          model: 'claude-sonnet',
          inputTokens: 1200,
          outputTokens: 150,
          cacheReadTokens: 1000,
          costUsd: 0.004125,
          latencyMs: 912.4,
          outcome: 'ok',
        }),
      );

      // Assess
      expect(usage).toMatchObject({
        inputTokens: 1200,
        cacheReadTokens: 1000,
        cacheWriteTokens: 0,
        costUsd: 0.004125,
        latencyMs: 912,
      });
    });

    it('records a tool call once per message, returning the first execution on a replay', async () => {
      // Prepare
      const call = {
        messageWamid: unique('wamid.'),
        tool: 'add_expense',
        callIndex: 0,
        input: { amount: 12 },
        status: 'ok' as const,
        durationMs: 4,
      };

      // Act
      const first = await db.transaction(user, (tx) =>
        recordToolExecution(tx, { ...call, output: { id: 'e1' } }),
      );
      const replay = await db.transaction(user, (tx) =>
        recordToolExecution(tx, { ...call, output: { id: 'e2' } }),
      );

      // Assess
      expect(first.isNew).toBe(true);
      expect(replay).toEqual({ execution: first.execution, isNew: false });
      expect(replay.execution.output).toEqual({ id: 'e1' });
    });
  });

  describe('dead letters', () => {
    it("records a failure once per queue message, in the user's scope or in none", async () => {
      // Prepare
      const failure = { source: 'processor', reason: 'poison', payload: { body: '{}' }, receiveCount: 5 };
      const externalId = unique('sqs-');

      // Act
      const outcome = await db.transaction(user, async (tx) => {
        const scoped = await recordDeadLetter(tx, { ...failure, externalId });
        const duplicate = await recordDeadLetter(tx, { ...failure, externalId });
        const redriven = await setDeadLetterStatus(tx, scoped.id, 'redriven');
        return { scoped, duplicate, redriven, visible: await listDeadLetters(tx) };
      });
      const unscoped = await recordDeadLetter(db, { ...failure, externalId: unique('sqs-') });
      const { rows } = await db.query('SELECT tenant_id, user_id FROM dead_letters WHERE id = $1', [
        unscoped.id,
      ]);

      // Assess
      expect(outcome.scoped.isNew).toBe(true);
      expect(outcome.duplicate.isNew).toBe(false);
      expect(outcome.redriven).toMatchObject({ status: 'redriven', redriveCount: 1, userId: user.userId });
      expect(outcome.visible.map((letter) => letter.id)).toEqual([outcome.scoped.id]);
      expect(rows).toEqual([{ tenant_id: null, user_id: null }]);
    });
  });
});
