import { isoUtc, localStamp, type UserClock } from './clock';
import { findDuration } from './dates';
import { cutAll, cutMatch, FILLER, remainder, type Masked } from './text';
import type { CreateEvent, Language } from './types';
import { findMoment, nextNineOClock } from './when';

/** A verb that creates an event, at the start of the message: "agenda …", "schedule …", "book …". */
export const EVENT_VERB =
  /^\s*(?:(?:crea(?:r)?|nuevo|nueva|anade|agrega(?:r)?|add|create|new)\s+(?:(?:un|una|an?)\s+)?(?:evento|event|cita|appointment|reunion|meeting)(?:\s+(?:de|para|for|to))?|agenda(?:r|me)?|programa(?:r|me)?|schedule|book|(?:pon(?:er)?|anota(?:r)?|add|put)(?=.*\b(?:calendario|calendar)\b))\b:?/;

/** An event named first, which becomes an event when a time follows: "cita con el médico el 5 …". */
export const EVENT_NOUN =
  /^\s*(?:cita|reunion|junta|llamada|evento|consulta|meeting|appointment|call|event)\b/;

const CALENDAR_PLACE =
  /\b(?:en|a|al|to|on|in|into)\s+(?:el\s+|mi\s+|my\s+|the\s+)?(?:calendario|agenda|calendar)\b/;

const LEADING = new Set('que de para for to a an the un una el la on at in'.split(' '));
const TRAILING = new Set('el la on at for para de a from desde the en in y and'.split(' '));
const EDGES = { leading: LEADING, trailing: TRAILING };

const DEFAULT_LENGTH_MINUTES = 60;

/**
 * An event from the message minus its verb (the noun stays: "cita con el médico" is the title).
 * It lasts an hour unless a range ("10-11am") or a length ("por 2 horas") says otherwise.
 */
export const planEvent = (
  masked: Masked,
  clock: UserClock,
  language: Language,
  verb?: RegExpExecArray,
): CreateEvent => {
  const body = cutAll(cutAll(verb === undefined ? masked : cutMatch(masked, verb), FILLER), CALENDAR_PLACE);
  const { masked: afterDuration, minutes } = findDuration(body);
  const { masked: rest, moment } = findMoment(afterDuration, clock, language, { ranges: true });
  const start = moment ?? nextNineOClock(clock);
  const end =
    start.end !== undefined && minutes === undefined
      ? start.end
      : start.at.plus({ minutes: minutes ?? DEFAULT_LENGTH_MINUTES });
  return {
    kind: 'create_event',
    title: remainder(rest, EDGES),
    startsAt: isoUtc(start.at),
    endsAt: isoUtc(end),
    localStart: localStamp(start.at),
    ...(start.ambiguity === undefined ? {} : { ambiguity: start.ambiguity }),
  };
};

/** Whether the message says when at all: a noun-led event needs it to be told from a plain remark. */
export const saysWhen = (masked: Masked, clock: UserClock, language: Language): boolean =>
  findMoment(masked, clock, language, { ranges: true }).moment !== undefined;
