import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReminderHandler, type ReminderHandlerResult } from '../../../functions/reminder/reminder';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../../layers/core/outbound/templates';
import { TimerScheduler } from '../../../layers/core/reminders/timer-scheduler';
import { lambdaContext } from '../../../local/lambda-context';
import { type ProcessorHarness, startProcessorHarness, textOf } from '../../support/processor-harness';

const NOW = new Date('2026-11-22T15:00:00Z'); // Sunday 10:00 in Bogotá
const DUE = new Date('2026-11-23T14:00:00Z'); // Monday 9:00 in Bogotá
const ana = { waId: '573001112299', name: 'Ana' };

let harness: ProcessorHarness;
let directory: string;
const timers: { current?: TimerScheduler<ReminderHandlerResult> } = {};

/** The timer scheduler as the local stack wires it: it fires the real reminder handler. */
const openTimers = async () => {
  const handler = createReminderHandler({
    db: harness.db,
    graph: harness.deps.graph,
    clock: harness.deps.clock,
    logger: harness.deps.logger,
    metrics: harness.metrics,
    schedulerFor: () => timers.current!,
    config: { templates: DEFAULT_MESSAGE_TEMPLATES },
  });
  timers.current = await TimerScheduler.open({
    directory,
    clock: harness.deps.clock,
    fire: (input) => handler(input, lambdaContext('chasqui-local-reminder')),
  });
  // The processor schedules where the reminder function fires from.
  harness.deps.scheduler = timers.current;
  return timers.current;
};

beforeAll(async () => {
  harness = await startProcessorHarness({ now: NOW });
  directory = await mkdtemp(join(tmpdir(), 'chasqui-reminders-'));
});
afterAll(async () => {
  await timers.current?.close();
  await harness.close();
  await rm(directory, { recursive: true, force: true });
});

describe('reminders on the local timer scheduler', () => {
  it('keeps a reminder created by chat across a restart, and fire-due sends it exactly once', async () => {
    // Prepare
    const before = await openTimers();
    await harness.say(ana, 'recuérdame mañana a las 9 llamar a Juan');
    expect(before.pending()).toEqual([expect.objectContaining({ dueAt: DUE, timeZone: 'America/Bogota' })]);
    await before.close();
    const after = await openTimers();

    // Act
    harness.setNow(DUE);
    const fired = await after.fireDue(DUE);
    const firedAgain = await after.fireDue(DUE);

    // Assess
    expect(fired).toEqual([
      expect.objectContaining({ dueAt: DUE, result: expect.objectContaining({ outcome: 'sent' }) }),
    ]);
    expect(firedAgain).toEqual([]);
    const reminders = harness.sent(ana).filter((body) => textOf(body).startsWith('⏰ Recordatorio'));
    expect(reminders.map(textOf)).toEqual(['⏰ Recordatorio: llamar a Juan']);
    expect(after.pending()).toEqual([]);
  });
});
