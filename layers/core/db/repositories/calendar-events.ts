import * as z from 'zod/mini';
import { type Tx } from '../database';
import { parseFirstRow, parseRows, timestamp } from './rows';

export type CalendarEventStatus = 'confirmed' | 'tentative' | 'cancelled';

const calendarEventRow = z.object({
  id: z.string(),
  title: z.string(),
  startsAt: timestamp,
  endsAt: timestamp,
  location: z.nullable(z.string()),
  notes: z.nullable(z.string()),
  status: z.enum(['confirmed', 'tentative', 'cancelled']),
  sourceWamid: z.nullable(z.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type CalendarEvent = z.infer<typeof calendarEventRow>;

const EVENT_COLUMNS = `id, title, starts_at AS "startsAt", ends_at AS "endsAt", location, notes, status,
  source_wamid AS "sourceWamid", created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface NewCalendarEvent {
  readonly title: string;
  readonly startsAt: Date;
  /** After startsAt. */
  readonly endsAt: Date;
  readonly location?: string;
  readonly notes?: string;
  readonly status?: Exclude<CalendarEventStatus, 'cancelled'>;
  readonly sourceWamid?: string;
}

export async function createCalendarEvent(tx: Tx, event: NewCalendarEvent): Promise<CalendarEvent> {
  const { rows } = await tx.query(
    `INSERT INTO calendar_events (title, starts_at, ends_at, location, notes, status, source_wamid)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${EVENT_COLUMNS}`,
    [
      event.title,
      event.startsAt,
      event.endsAt,
      event.location ?? null,
      event.notes ?? null,
      event.status ?? 'confirmed',
      event.sourceWamid ?? null,
    ],
  );
  return calendarEventRow.parse(rows[0]);
}

/** A half-open interval [from, to). */
export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

// Two half-open intervals overlap when each starts before the other ends: back-to-back events do not clash.
const OVERLAPS = "status <> 'cancelled' AND starts_at < $2 AND ends_at > $1";

/** Events that are not cancelled and overlap the range, by start time. */
export async function listCalendarEvents(tx: Tx, range: TimeRange): Promise<CalendarEvent[]> {
  const { rows } = await tx.query(
    `SELECT ${EVENT_COLUMNS} FROM calendar_events WHERE ${OVERLAPS} ORDER BY starts_at, id`,
    [range.from, range.to],
  );
  return parseRows(calendarEventRow, rows);
}

/** Events that would clash with one in the range; `excludeId` leaves out the event being moved. */
export async function findConflictingEvents(
  tx: Tx,
  range: TimeRange,
  excludeId?: string,
): Promise<CalendarEvent[]> {
  const { rows } = await tx.query(
    `SELECT ${EVENT_COLUMNS} FROM calendar_events
     WHERE ${OVERLAPS} AND ($3::uuid IS NULL OR id <> $3)
     ORDER BY starts_at, id`,
    [range.from, range.to, excludeId ?? null],
  );
  return parseRows(calendarEventRow, rows);
}

export async function cancelCalendarEvent(tx: Tx, id: string): Promise<CalendarEvent | undefined> {
  const { rows } = await tx.query(
    `UPDATE calendar_events SET status = 'cancelled' WHERE id = $1 AND status <> 'cancelled'
     RETURNING ${EVENT_COLUMNS}`,
    [id],
  );
  return parseFirstRow(calendarEventRow, rows);
}

export async function getCalendarEvent(tx: Tx, id: string): Promise<CalendarEvent | undefined> {
  const { rows } = await tx.query(`SELECT ${EVENT_COLUMNS} FROM calendar_events WHERE id = $1`, [id]);
  return parseFirstRow(calendarEventRow, rows);
}

export interface CalendarEventChanges {
  readonly title?: string;
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  readonly location?: string;
}

/** Changes an event that is not cancelled; the table's check keeps the end after the start. */
export async function updateCalendarEvent(
  tx: Tx,
  id: string,
  changes: CalendarEventChanges,
): Promise<CalendarEvent | undefined> {
  const { rows } = await tx.query(
    `UPDATE calendar_events SET
       title = COALESCE($2, title),
       starts_at = COALESCE($3, starts_at),
       ends_at = COALESCE($4, ends_at),
       location = COALESCE($5, location)
     WHERE id = $1 AND status <> 'cancelled'
     RETURNING ${EVENT_COLUMNS}`,
    [id, changes.title ?? null, changes.startsAt ?? null, changes.endsAt ?? null, changes.location ?? null],
  );
  return parseFirstRow(calendarEventRow, rows);
}
