import { type ReminderSchedule, type ReminderScheduler, scheduleNameFor } from '../../ports/scheduler';

/** Holds schedules in memory and fires them on demand; the local stack persists and times them. */
export class MemoryScheduler implements ReminderScheduler {
  private readonly schedules = new Map<string, ReminderSchedule>();

  schedule(reminder: ReminderSchedule): Promise<string> {
    const name = scheduleNameFor(reminder.reminderId);
    this.schedules.set(name, { ...reminder });
    return Promise.resolve(name);
  }

  cancel(scheduleName: string): Promise<void> {
    this.schedules.delete(scheduleName);
    return Promise.resolve();
  }

  /** Removes and returns every schedule due at or before `until`, earliest first. */
  takeDue(until: Date): ReminderSchedule[] {
    const due = [...this.schedules.entries()]
      .filter(([, schedule]) => schedule.dueAt.getTime() <= until.getTime())
      .sort(([, a], [, b]) => a.dueAt.getTime() - b.dueAt.getTime());
    for (const [name] of due) this.schedules.delete(name);
    return due.map(([, schedule]) => schedule);
  }

  pending(): ReminderSchedule[] {
    return [...this.schedules.values()];
  }
}
