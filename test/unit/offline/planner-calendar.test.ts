import { planMessage, type Intent, type Language } from '../../../layers/core/assistant/offline';
import { CONTEXTS, type ContextName } from './contexts';

type Case = [utterance: string, context: ContextName, language: Language, intent: Intent];

const plan = (utterance: string, context: ContextName) => planMessage(utterance, CONTEXTS[context]);

describe('offline planner: calendar', () => {
  const created: Case[] = [
    [
      'agenda dentista el viernes 3pm',
      'bogota',
      'es',
      {
        kind: 'create_event',
        title: 'dentista',
        startsAt: '2026-11-20T20:00:00.000Z',
        endsAt: '2026-11-20T21:00:00.000Z',
        localStart: '2026-11-20T15:00',
      },
    ],
    [
      'cita con el médico el 5 de diciembre a las 4',
      'bogota',
      'es',
      {
        kind: 'create_event',
        title: 'cita con el médico',
        startsAt: '2026-12-05T21:00:00.000Z',
        endsAt: '2026-12-05T22:00:00.000Z',
        localStart: '2026-12-05T16:00',
      },
    ],
    [
      'agéndame una reunión con Ana el jueves de 3 a 4 de la tarde',
      'bogota',
      'es',
      {
        kind: 'create_event',
        title: 'reunión con Ana',
        startsAt: '2026-11-19T20:00:00.000Z',
        endsAt: '2026-11-19T21:00:00.000Z',
        localStart: '2026-11-19T15:00',
      },
    ],
    [
      'agenda almuerzo con papá el sábado',
      'madrid',
      'es',
      {
        kind: 'create_event',
        title: 'almuerzo con papá',
        startsAt: '2026-11-21T08:00:00.000Z',
        endsAt: '2026-11-21T09:00:00.000Z',
        localStart: '2026-11-21T09:00',
        ambiguity: 'no_time',
      },
    ],
    [
      'schedule meeting with Ana tomorrow 10-11am',
      'newYork',
      'en',
      {
        kind: 'create_event',
        title: 'meeting with Ana',
        startsAt: '2026-11-19T15:00:00.000Z',
        endsAt: '2026-11-19T16:00:00.000Z',
        localStart: '2026-11-19T10:00',
      },
    ],
    [
      'book a haircut on Saturday at 11 for 30 minutes',
      'newYork',
      'en',
      {
        kind: 'create_event',
        title: 'haircut',
        startsAt: '2026-11-21T16:00:00.000Z',
        endsAt: '2026-11-21T16:30:00.000Z',
        localStart: '2026-11-21T11:00',
      },
    ],
    [
      'add dinner with Sam to my calendar friday at 7pm',
      'newYork',
      'en',
      {
        kind: 'create_event',
        title: 'dinner with Sam',
        startsAt: '2026-11-21T00:00:00.000Z',
        endsAt: '2026-11-21T01:00:00.000Z',
        localStart: '2026-11-20T19:00',
      },
    ],
  ];

  it.each(created)(
    'creates an event with title and times from "%s" (%s)',
    (utterance, context, language, intent) => {
      // Act
      const result = plan(utterance, context);

      // Assess
      expect(result).toEqual({ language, intent });
    },
  );

  const listed: Case[] = [
    [
      '¿qué tengo mañana?',
      'bogota',
      'es',
      { kind: 'list_events', from: '2026-11-19T05:00:00.000Z', to: '2026-11-20T05:00:00.000Z' },
    ],
    [
      'que tengo el viernes',
      'bogota',
      'es',
      { kind: 'list_events', from: '2026-11-20T05:00:00.000Z', to: '2026-11-21T05:00:00.000Z' },
    ],
    [
      "what's on my calendar this week?",
      'newYork',
      'en',
      { kind: 'list_events', from: '2026-11-16T05:00:00.000Z', to: '2026-11-23T05:00:00.000Z' },
    ],
    [
      'what do I have today',
      'kolkata',
      'en',
      { kind: 'list_events', from: '2026-11-17T18:30:00.000Z', to: '2026-11-18T18:30:00.000Z' },
    ],
    [
      '¿qué tengo mañana?',
      'newYorkBeforeSpringForward',
      'es',
      // A 23-hour day: midnight is EST, the next midnight EDT.
      { kind: 'list_events', from: '2026-03-08T05:00:00.000Z', to: '2026-03-09T04:00:00.000Z' },
    ],
    [
      '¿qué tengo mañana?',
      'madridBeforeFallBack',
      'es',
      // A 25-hour day: midnight is CEST, the next midnight CET.
      { kind: 'list_events', from: '2026-10-24T22:00:00.000Z', to: '2026-10-25T23:00:00.000Z' },
    ],
    [
      'my calendar',
      'newYorkBeforeFallBack',
      'en',
      // With no period named: today and the six days after, across the fall-back night.
      { kind: 'list_events', from: '2026-10-31T04:00:00.000Z', to: '2026-11-07T05:00:00.000Z' },
    ],
  ];

  it.each(listed)('lists the events of the period in "%s" (%s)', (utterance, context, language, intent) => {
    // Act
    const result = plan(utterance, context);

    // Assess
    expect(result).toEqual({ language, intent });
  });

  const cancelled: Case[] = [
    ['cancela la cita con el médico', 'bogota', 'es', { kind: 'cancel_event', query: 'médico' }],
    ['cancel the meeting with Ana', 'newYork', 'en', { kind: 'cancel_event', query: 'Ana' }],
    ['cancel my dentist appointment', 'newYork', 'en', { kind: 'cancel_event', query: 'dentist' }],
  ];

  it.each(cancelled)('cancels the event "%s" names (%s)', (utterance, context, language, intent) => {
    // Act
    const result = plan(utterance, context);

    // Assess
    expect(result).toEqual({ language, intent });
  });
});
