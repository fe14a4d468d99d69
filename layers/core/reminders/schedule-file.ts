import { randomUUID } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import * as z from 'zod/mini';
import type { ReminderSchedule } from '../ports/scheduler';

/** A schedule as the local timer keeps it: the reminder's, plus its delivery attempts. */
export interface StoredSchedule extends ReminderSchedule {
  readonly name: string;
  /** Fires that threw; the schedule is retried until it succeeds or runs out of attempts. */
  readonly attempts: number;
  /** The due time, or later after a failed attempt. */
  readonly nextAttemptAt: Date;
}

const instant = z.pipe(
  z.iso.datetime(),
  z.transform((value: string) => new Date(value)),
);

const fileSchema = z.object({
  version: z.literal(1),
  schedules: z.array(
    z.object({
      name: z.string(),
      reminderId: z.string(),
      version: z.number().check(z.int()),
      tenantId: z.string(),
      userId: z.string(),
      dueAt: instant,
      timeZone: z.string(),
      attempts: z.number().check(z.int(), z.nonnegative()),
      nextAttemptAt: instant,
    }),
  ),
});

/** The schedules in `file`; none when it does not exist yet. A file that does not parse is an error, never an empty list. */
export const readSchedules = async (file: string): Promise<StoredSchedule[]> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = fileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a schedule file: ${parsed.error.message}`);
  return parsed.data.schedules;
};

/**
 * Replaces `file` atomically: a crash leaves the old file or the new one, never half of either. The
 * temporary file is flushed to disk before the rename, so the rename never publishes an empty file.
 */
export const writeSchedules = async (file: string, schedules: readonly StoredSchedule[]): Promise<void> => {
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify({ version: 1, schedules }, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
};
