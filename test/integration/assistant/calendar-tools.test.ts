import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import { MemoryScheduler } from '../../../layers/core/adapters/local/memory-scheduler';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import type { Database } from '../../../layers/core/db/database';
import { runMigrations } from '../../../layers/core/db/migrate';
import { createPgliteDatabase } from '../../../layers/core/db/pglite-database';
import { resolveUser, upsertTenant } from '../../../layers/core/db/repositories';
import { runToolCall } from '../../../layers/core/tools/registry';

const NOW = new Date('2026-11-22T15:00:00Z');

describe('calendar tools', () => {
  let db: Database;
  let scope: { tenantId: string; userId: string };
  let call = 0;

  beforeAll(async () => {
    db = await createPgliteDatabase();
    await runMigrations(db);
    const tenantId = await upsertTenant(db, { phoneNumberId: '1', displayPhoneNumber: '1' });
    const userId = await resolveUser(db, {
      tenantId,
      waId: '34612345678',
      defaults: { locale: 'es', timeZone: 'Europe/Madrid' },
    });
    scope = { tenantId, userId };
  });
  afterAll(() => db.close());

  const run = (name: string, input: Record<string, unknown>) =>
    runToolCall(db, scope, { id: `c${++call}`, name, input }, 0, {
      user: {
        id: scope.userId,
        tenantId: scope.tenantId,
        timeZone: 'Europe/Madrid',
        locale: 'es',
        currency: 'EUR',
      },
      now: NOW,
      messageWamid: `wamid.CAL${call}`,
      scheduler: new MemoryScheduler(),
      operatorContact: 'soporte@chasqui.test',
      metrics: new MemoryMetrics(),
      embedder: new LexicalEmbedder(),
    });

  it('moves an event keeping its duration, and reports what the new time overlaps', async () => {
    const dentist = await run('create_event', {
      title: 'dentista',
      start_local: '2026-11-27T15:00',
      end_local: '2026-11-27T16:30',
    });
    await run('create_event', { title: 'reunión', start_local: '2026-11-28T10:00' });
    const eventId = (dentist.output.event as { id: string }).id;
    const moved = await run('update_event', { event_id: eventId, start_local: '2026-11-28T09:30' });
    expect(moved.status).toBe('ok');
    expect(moved.output.event).toMatchObject({
      start_local: '2026-11-28T09:30',
      end_local: '2026-11-28T11:00',
    });
    expect(moved.output.conflicts).toEqual([expect.objectContaining({ title: 'reunión' })]);
  });

  it('refuses to move a cancelled event or to end it before it starts', async () => {
    const created = await run('create_event', { title: 'yoga', start_local: '2026-11-29T08:00' });
    const eventId = (created.output.event as { id: string }).id;
    expect(
      (await run('update_event', { event_id: eventId, end_local: '2026-11-29T07:00' })).output,
    ).toMatchObject({ error: 'invalid_range' });
    await run('cancel_event', { event_id: eventId });
    expect((await run('update_event', { event_id: eventId, title: 'pilates' })).output).toMatchObject({
      error: 'not_found',
    });
  });
});
