import * as z from 'zod/mini';
import {
  type CalendarEvent,
  cancelCalendarEvent,
  createCalendarEvent,
  findConflictingEvents,
  getCalendarEvent,
  listCalendarEvents,
  updateCalendarEvent,
} from '../db/repositories';
import {
  endOfLocalDay,
  instantOf,
  localDate,
  LOCAL_DATE_TIME,
  localDateTimeOf,
  startOfLocalDay,
} from './time';
import { matchOne } from './match';
import { defineTool, type ToolContext, ToolRefusal } from './tool';

const DEFAULT_EVENT_MINUTES = 60;
const localDateTime = z
  .string()
  .check(z.regex(LOCAL_DATE_TIME, 'must be yyyy-MM-ddTHH:mm on the user’s clock'));

export const eventView = (event: CalendarEvent, timeZone: string) => ({
  id: event.id,
  title: event.title,
  start_local: localDateTimeOf(event.startsAt, timeZone),
  end_local: localDateTimeOf(event.endsAt, timeZone),
  location: event.location,
});

const instant = (context: ToolContext, local: string): Date => {
  const value = instantOf(local, context.user.timeZone);
  if (!value) throw new ToolRefusal('invalid_time', `${local} is not a valid time`);
  return value;
};

export const createEventTool = defineTool({
  name: 'create_event',
  description:
    'Add an event to the user’s calendar (local wall-clock times; end defaults to one hour after start). ' +
    'The result lists events it overlaps, so you can warn the user.',
  input: z.object({
    title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    start_local: localDateTime,
    end_local: z.optional(localDateTime),
    location: z.optional(z.string().check(z.maxLength(200))),
    notes: z.optional(z.string().check(z.maxLength(1000))),
  }),
  async execute(context, input) {
    const startsAt = instant(context, input.start_local);
    const endsAt = input.end_local
      ? instant(context, input.end_local)
      : new Date(startsAt.getTime() + DEFAULT_EVENT_MINUTES * 60_000);
    if (endsAt <= startsAt) throw new ToolRefusal('invalid_range', 'The event must end after it starts');
    const conflicts = await findConflictingEvents(context.tx, { from: startsAt, to: endsAt });
    const event = await createCalendarEvent(context.tx, {
      title: input.title,
      startsAt,
      endsAt,
      ...(input.location && { location: input.location }),
      ...(input.notes && { notes: input.notes }),
      sourceWamid: context.messageWamid,
    });
    return {
      event: eventView(event, context.user.timeZone),
      conflicts: conflicts.map((conflict) => eventView(conflict, context.user.timeZone)),
    };
  },
});

export const listEventsTool = defineTool({
  name: 'list_events',
  description: 'List calendar events between two local dates (both included), by start time.',
  input: z.object({ from: localDate, to: localDate }),
  async execute(context, input) {
    const from = startOfLocalDay(input.from, context.user.timeZone);
    const to = endOfLocalDay(input.to, context.user.timeZone);
    if (!from || !to || to <= from)
      throw new ToolRefusal('invalid_range', `${input.from}..${input.to} is not valid`);
    const events = await listCalendarEvents(context.tx, { from, to });
    return { events: events.map((event) => eventView(event, context.user.timeZone)) };
  },
});

/** The one upcoming event a phrase refers to (title words), or a refusal listing the candidates. */
const matchEvent = async (context: ToolContext, query: string): Promise<CalendarEvent> => {
  const upcoming = await listCalendarEvents(context.tx, {
    from: context.now,
    to: new Date(context.now.getTime() + 366 * 24 * 3600 * 1000),
  });
  return matchOne(upcoming, query, {
    textOf: (event) => event.title,
    viewOf: (event) => eventView(event, context.user.timeZone),
    noun: 'upcoming event',
  });
};

export const cancelEventTool = defineTool({
  name: 'cancel_event',
  description: 'Remove an event from the calendar, by id or by words from its title.',
  input: z.object({
    event_id: z.optional(z.string().check(z.uuid())),
    query: z.optional(z.string().check(z.minLength(1))),
  }),
  async execute(context, input) {
    const id = input.event_id ?? (input.query ? (await matchEvent(context, input.query)).id : undefined);
    if (!id) throw new ToolRefusal('missing_target', 'Give event_id or query');
    const cancelled = await cancelCalendarEvent(context.tx, id);
    if (!cancelled) throw new ToolRefusal('not_found', `No active event with id ${id}`);
    return { cancelled: eventView(cancelled, context.user.timeZone) };
  },
});

export const updateEventTool = defineTool({
  name: 'update_event',
  description:
    'Change an event: its title, start, end or place (local wall-clock times). Moving the start keeps the ' +
    'duration unless a new end is given. The result lists events the new time overlaps.',
  input: z.object({
    event_id: z.string().check(z.uuid()),
    title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    start_local: z.optional(localDateTime),
    end_local: z.optional(localDateTime),
    location: z.optional(z.string().check(z.maxLength(200))),
  }),
  async execute(context, input) {
    const current = await getCalendarEvent(context.tx, input.event_id);
    if (!current || current.status === 'cancelled') {
      throw new ToolRefusal('not_found', `No active event with id ${input.event_id}`);
    }
    const startsAt = input.start_local ? instant(context, input.start_local) : current.startsAt;
    const duration = current.endsAt.getTime() - current.startsAt.getTime();
    const endsAt = input.end_local
      ? instant(context, input.end_local)
      : new Date(startsAt.getTime() + duration);
    if (endsAt <= startsAt) throw new ToolRefusal('invalid_range', 'The event must end after it starts');
    const updated = await updateCalendarEvent(context.tx, current.id, {
      ...(input.title && { title: input.title }),
      startsAt,
      endsAt,
      ...(input.location && { location: input.location }),
    });
    if (!updated) throw new ToolRefusal('not_found', `No active event with id ${input.event_id}`);
    const conflicts = await findConflictingEvents(context.tx, { from: startsAt, to: endsAt }, current.id);
    return {
      event: eventView(updated, context.user.timeZone),
      conflicts: conflicts.map((conflict) => eventView(conflict, context.user.timeZone)),
    };
  },
});

export const calendarTools = [createEventTool, listEventsTool, updateEventTool, cancelEventTool];
