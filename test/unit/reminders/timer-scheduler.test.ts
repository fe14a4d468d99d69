import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReminderFire, ReminderSchedule } from '../../../layers/core/ports/scheduler';
import { TimerScheduler, type TimerSchedulerOptions } from '../../../layers/core/reminders/timer-scheduler';

const TENANT_ID = '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const USER_ID = '9c8b7a6d-5e4f-4321-8fed-cba987654321';
const NOW = new Date('2026-11-22T15:00:00Z');

const schedule = (reminderId: string, dueAt: string, version = 1): ReminderSchedule => ({
  reminderId,
  version,
  tenantId: TENANT_ID,
  userId: USER_ID,
  dueAt: new Date(dueAt),
  timeZone: 'America/Bogota',
});

let directory: string;
const open: TimerScheduler[] = [];

/** A scheduler on `directory` whose far-future timer never fires on its own during a test. */
const openScheduler = async (options: Partial<TimerSchedulerOptions<string>> = {}) => {
  const fired: ReminderFire[] = [];
  const scheduler = await TimerScheduler.open<string>({
    directory,
    clock: { now: () => NOW },
    fire: (input) => {
      fired.push(input);
      return Promise.resolve(`fired ${input.reminderId} v${input.version}`);
    },
    ...options,
  });
  open.push(scheduler);
  return { scheduler, fired };
};

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'chasqui-timer-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((scheduler) => scheduler.close()));
  await rm(directory, { recursive: true, force: true });
});

describe('timer scheduler', () => {
  it('keeps its schedules across a restart, and fires each due one exactly once', async () => {
    // Prepare
    const { scheduler: before } = await openScheduler();
    await before.schedule(schedule('b', '2026-11-23T14:00:00Z'));
    await before.schedule(schedule('a', '2026-11-23T13:00:00Z'));
    await before.schedule(schedule('later', '2026-12-01T13:00:00Z'));
    await before.close();

    // Act
    const { scheduler: after, fired } = await openScheduler();
    const first = await after.fireDue(new Date('2026-11-24T00:00:00Z'));
    const second = await after.fireDue(new Date('2026-11-24T00:00:00Z'));

    // Assess
    expect(first).toEqual([
      {
        name: 'reminder-a',
        reminderId: 'a',
        version: 1,
        dueAt: new Date('2026-11-23T13:00:00Z'),
        result: 'fired a v1',
      },
      {
        name: 'reminder-b',
        reminderId: 'b',
        version: 1,
        dueAt: new Date('2026-11-23T14:00:00Z'),
        result: 'fired b v1',
      },
    ]);
    expect(fired).toEqual([
      { reminderId: 'a', version: 1, tenantId: TENANT_ID, userId: USER_ID },
      { reminderId: 'b', version: 1, tenantId: TENANT_ID, userId: USER_ID },
    ]);
    expect(second).toEqual([]);
    const { scheduler: reopened } = await openScheduler();
    expect(reopened.pending().map((pending) => pending.name)).toEqual(['reminder-later']);
  });

  it('fires a schedule once when two fire-due calls overlap', async () => {
    // Prepare
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const { scheduler } = await openScheduler({
      fire: async () => {
        calls += 1;
        await gate;
        return 'ok';
      },
    });
    await scheduler.schedule(schedule('a', '2026-11-23T13:00:00Z'));

    // Act
    const both = Promise.all([
      scheduler.fireDue(new Date('2026-11-24T00:00:00Z')),
      scheduler.fireDue(new Date('2026-11-24T00:00:00Z')),
    ]);
    release();
    const [first, second] = await both;

    // Assess
    expect(calls).toBe(1);
    expect([...first, ...second]).toHaveLength(1);
  });

  it('replaces a reminder’s schedule when it is scheduled again', async () => {
    // Prepare
    const { scheduler, fired } = await openScheduler();
    await scheduler.schedule(schedule('a', '2026-11-23T13:00:00Z'));

    // Act
    await scheduler.schedule(schedule('a', '2026-11-23T13:10:00Z', 2));
    const atOldTime = await scheduler.fireDue(new Date('2026-11-23T13:05:00Z'));
    const atNewTime = await scheduler.fireDue(new Date('2026-11-23T13:10:00Z'));

    // Assess
    expect(atOldTime).toEqual([]);
    expect(atNewTime.map((entry) => entry.version)).toEqual([2]);
    expect(fired.map((input) => input.version)).toEqual([2]);
  });

  it('cancels a schedule for good, and treats cancelling a missing one as done', async () => {
    // Prepare
    const { scheduler } = await openScheduler();
    await scheduler.schedule(schedule('a', '2026-11-23T13:00:00Z'));

    // Act
    await scheduler.cancel('reminder-a');
    await scheduler.cancel('reminder-never-scheduled');
    await scheduler.close();

    // Assess
    const { scheduler: reopened, fired } = await openScheduler();
    expect(await reopened.fireDue(new Date('2027-01-01T00:00:00Z'))).toEqual([]);
    expect(fired).toEqual([]);
  });

  it('keeps the schedule a recurring reminder re-arms while it fires', async () => {
    // Prepare
    const holder: { scheduler?: TimerScheduler<string> } = {};
    const { scheduler } = await openScheduler({
      fire: async (input) => {
        await holder.scheduler!.schedule(
          schedule(input.reminderId, '2026-11-24T13:00:00Z', input.version + 1),
        );
        return 're-armed';
      },
    });
    holder.scheduler = scheduler;
    await scheduler.schedule(schedule('daily', '2026-11-23T13:00:00Z'));

    // Act
    await scheduler.fireDue(new Date('2026-11-23T13:00:00Z'));

    // Assess
    expect(scheduler.pending()).toEqual([
      expect.objectContaining({
        name: 'reminder-daily',
        version: 2,
        dueAt: new Date('2026-11-24T13:00:00Z'),
      }),
    ]);
  });

  it('retries a fire that threw after the retry delay, and drops it after the last attempt', async () => {
    // Prepare
    const errors: { dropped: boolean | undefined }[] = [];
    let now = NOW;
    const { scheduler } = await openScheduler({
      clock: { now: () => now },
      fire: () => Promise.reject(new Error('database unavailable')),
      maxAttempts: 2,
      retryDelayMs: 60_000,
      onError: (_error, _schedule, dropped) => errors.push({ dropped }),
    });
    const due = new Date('2026-11-23T13:00:00Z');
    await scheduler.schedule(schedule('a', due.toISOString()));

    // Act
    now = due;
    const first = await scheduler.fireDue(due);
    const tooEarly = await scheduler.fireDue(new Date(due.getTime() + 59_000));
    const retried = await scheduler.fireDue(new Date(due.getTime() + 60_000));

    // Assess
    expect(first).toEqual([expect.objectContaining({ reminderId: 'a', error: 'database unavailable' })]);
    expect(tooEarly).toEqual([]);
    expect(retried).toEqual([expect.objectContaining({ reminderId: 'a', error: 'database unavailable' })]);
    expect(errors).toEqual([{ dropped: false }, { dropped: true }]);
    expect(scheduler.pending()).toEqual([]);
  });

  it('fires a due schedule on its own timer', async () => {
    // Prepare
    let delivered: (input: ReminderFire) => void = () => undefined;
    const fired = new Promise<ReminderFire>((resolve) => (delivered = resolve));
    const scheduler = await TimerScheduler.open({
      directory,
      fire: (input) => {
        delivered(input);
        return Promise.resolve();
      },
    });
    open.push(scheduler);

    // Act
    await scheduler.schedule(schedule('soon', new Date(Date.now() + 30).toISOString()));

    // Assess
    await expect(fired).resolves.toEqual(expect.objectContaining({ reminderId: 'soon' }));
  });

  it('writes its file atomically, leaving no temporary files behind', async () => {
    // Prepare
    const { scheduler } = await openScheduler();

    // Act
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((id, index) =>
        scheduler.schedule(schedule(id, `2026-11-2${index + 3}T13:00:00Z`)),
      ),
    );
    await scheduler.cancel('reminder-b');

    // Assess
    expect(await readdir(directory)).toEqual(['schedules.json']);
    const saved = JSON.parse(await readFile(join(directory, 'schedules.json'), 'utf8')) as {
      schedules: { name: string }[];
    };
    expect(saved.schedules.map((entry) => entry.name).sort()).toEqual([
      'reminder-a',
      'reminder-c',
      'reminder-d',
    ]);
  });

  it('refuses to start from a schedule file it cannot read, rather than forget its schedules', async () => {
    // Prepare
    await writeFile(join(directory, 'schedules.json'), '{"version":1,"schedules":[{"name":');

    // Act
    const opening = TimerScheduler.open({ directory, fire: () => Promise.resolve() });

    // Assess
    await expect(opening).rejects.toThrow(SyntaxError);
  });
});
