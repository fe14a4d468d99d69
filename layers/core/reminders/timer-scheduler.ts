import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '../ports/clock';
import {
  type ReminderFire,
  type ReminderSchedule,
  type ReminderScheduler,
  scheduleNameFor,
} from '../ports/scheduler';
import { readSchedules, type StoredSchedule, writeSchedules } from './schedule-file';

/** Node fires a longer setTimeout at once (it holds a signed 32-bit delay); a far schedule is re-armed on the way. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** Like Lambda's asynchronous invocation: the first attempt and two retries. */
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_RETRY_DELAY_MS = 60_000;

export interface TimerSchedulerOptions<R> {
  /** Where `schedules.json` is kept; created if missing. */
  readonly directory: string;
  /** Invokes the reminder function with what EventBridge Scheduler would send it. */
  readonly fire: (input: ReminderFire) => Promise<R>;
  readonly clock?: Clock;
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  /** A fire that threw (kept for a retry unless `dropped`), or the schedule file could not be written. */
  readonly onError?: (error: unknown, schedule?: StoredSchedule, dropped?: boolean) => void;
}

export interface FiredSchedule<R> {
  readonly name: string;
  readonly reminderId: string;
  readonly version: number;
  readonly dueAt: Date;
  /** What `fire` returned, when it succeeded. */
  readonly result?: R;
  readonly error?: string;
}

const inputOf = (schedule: StoredSchedule): ReminderFire => ({
  reminderId: schedule.reminderId,
  version: schedule.version,
  tenantId: schedule.tenantId,
  userId: schedule.userId,
});

/**
 * The local stack's EventBridge Scheduler: one schedule per reminder, kept in a JSON file so a restart
 * loses none, fired by a timer for the nearest one or on demand (`fireDue`, for `POST
 * /local/scheduler/fire-due`). Like Scheduler it delivers at least once: a schedule leaves the file only
 * after its fire returned, so a crash mid-fire fires it again and the reminder function's version check
 * and send intent keep the user from hearing it twice.
 */
export class TimerScheduler<R = unknown> implements ReminderScheduler {
  private readonly schedules = new Map<string, StoredSchedule>();
  private readonly inFlight = new Set<string>();
  private readonly clock: Clock;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> = Promise.resolve();
  private writes: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly options: TimerSchedulerOptions<R>,
    private readonly file: string,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  static async open<R>(options: TimerSchedulerOptions<R>): Promise<TimerScheduler<R>> {
    await mkdir(options.directory, { recursive: true });
    const scheduler = new TimerScheduler(options, join(options.directory, 'schedules.json'));
    for (const schedule of await readSchedules(scheduler.file))
      scheduler.schedules.set(schedule.name, schedule);
    scheduler.arm();
    return scheduler;
  }

  /** Scheduling a reminder again replaces its schedule, as the AWS adapter's update does. */
  async schedule(reminder: ReminderSchedule): Promise<string> {
    const name = scheduleNameFor(reminder.reminderId);
    this.schedules.set(name, {
      name,
      reminderId: reminder.reminderId,
      version: reminder.version,
      tenantId: reminder.tenantId,
      userId: reminder.userId,
      dueAt: reminder.dueAt,
      timeZone: reminder.timeZone,
      attempts: 0,
      nextAttemptAt: reminder.dueAt,
    });
    await this.persist();
    return name;
  }

  /** A missing schedule is fine: it fired already, or never existed. */
  async cancel(scheduleName: string): Promise<void> {
    if (!this.schedules.delete(scheduleName)) return;
    await this.persist();
  }

  /** Fires every schedule due at or before `until`, earliest first, one at a time; returns what fired. */
  async fireDue(until: Date): Promise<FiredSchedule<R>[]> {
    const due = [...this.schedules.values()]
      .filter((schedule) => schedule.nextAttemptAt.getTime() <= until.getTime())
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
    const fired: FiredSchedule<R>[] = [];
    for (const schedule of due) {
      // Fired meanwhile by the timer or another call, or replaced or cancelled.
      if (this.inFlight.has(schedule.name) || this.schedules.get(schedule.name) !== schedule) continue;
      fired.push(await this.fireOne(schedule));
    }
    return fired;
  }

  pending(): StoredSchedule[] {
    return [...this.schedules.values()];
  }

  /** Stops the timer and waits for a fire in progress and for pending writes. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.ticking;
    await this.writes;
  }

  private async fireOne(schedule: StoredSchedule): Promise<FiredSchedule<R>> {
    const fired = {
      name: schedule.name,
      reminderId: schedule.reminderId,
      version: schedule.version,
      dueAt: schedule.dueAt,
    };
    this.inFlight.add(schedule.name);
    try {
      let result: R;
      try {
        result = await this.options.fire(inputOf(schedule));
      } catch (error) {
        await this.retryLater(schedule, error);
        return { ...fired, error: error instanceof Error ? error.message : String(error) };
      }
      // A recurring reminder re-arms itself while firing: only the schedule that fired is removed.
      if (this.schedules.get(schedule.name) === schedule) await this.cancel(schedule.name);
      return { ...fired, result };
    } finally {
      this.inFlight.delete(schedule.name);
      this.arm();
    }
  }

  private async retryLater(schedule: StoredSchedule, error: unknown): Promise<void> {
    const attempts = schedule.attempts + 1;
    const dropped = attempts >= (this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    if (this.schedules.get(schedule.name) === schedule) {
      if (dropped) this.schedules.delete(schedule.name);
      else {
        const retryAt = this.clock.now().getTime() + (this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
        this.schedules.set(schedule.name, { ...schedule, attempts, nextAttemptAt: new Date(retryAt) });
      }
      await this.persist();
    }
    this.options.onError?.(error, schedule, dropped);
  }

  /** Writes run one after another, each saving the state as it is when it runs. */
  private persist(): Promise<void> {
    const write = this.writes.then(() => writeSchedules(this.file, [...this.schedules.values()]));
    this.writes = write.catch(() => undefined);
    this.arm();
    return write;
  }

  /** One timer, for the nearest schedule not already firing. */
  private arm(): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    const waiting = [...this.schedules.values()].filter((schedule) => !this.inFlight.has(schedule.name));
    if (waiting.length === 0) return;
    const nearest = Math.min(...waiting.map((schedule) => schedule.nextAttemptAt.getTime()));
    const delay = Math.min(Math.max(nearest - this.clock.now().getTime(), 0), MAX_TIMER_DELAY_MS);
    this.timer = setTimeout(() => {
      this.ticking = this.fireDue(this.clock.now())
        .catch((error: unknown) => this.options.onError?.(error))
        // Also after a capped delay ran out with nothing due yet.
        .finally(() => this.arm());
    }, delay);
    // A pending reminder must not keep a test run or a stopped dev server alive.
    this.timer.unref();
  }
}
