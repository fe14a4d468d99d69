import { planMessage, type Intent, type Language } from '../../../layers/core/assistant/offline';
import { CONTEXTS, type ContextName } from './contexts';

type Case = [utterance: string, context: ContextName, language: Language, intent: Intent];

const plan = (utterance: string, context: ContextName) => planMessage(utterance, CONTEXTS[context]);

describe('offline planner: reminders', () => {
  const oneOff: Case[] = [
    [
      'recuérdame mañana a las 9 llamar a Juan',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a Juan',
        dueAt: '2026-11-19T14:00:00.000Z',
        localTime: '2026-11-19T09:00',
      },
    ],
    [
      'Recuerdame manana a las 9 llamar a Juan',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a Juan',
        dueAt: '2026-11-19T14:00:00.000Z',
        localTime: '2026-11-19T09:00',
      },
    ],
    [
      '   recuérdame    mañana a las 9,     llamar a Juan 🙏  ',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a Juan 🙏',
        dueAt: '2026-11-19T14:00:00.000Z',
        localTime: '2026-11-19T09:00',
      },
    ],
    [
      'recuérdame mañana a las 9 llamar a Juan',
      'madrid',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a Juan',
        dueAt: '2026-11-19T08:00:00.000Z',
        localTime: '2026-11-19T09:00',
      },
    ],
    [
      'recuérdame el viernes a las 3pm pagar el arriendo',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'pagar el arriendo',
        dueAt: '2026-11-20T20:00:00.000Z',
        localTime: '2026-11-20T15:00',
      },
    ],
    [
      'recuérdame a las 5 llamar a mamá',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a mamá',
        dueAt: '2026-11-18T22:00:00.000Z',
        localTime: '2026-11-18T17:00',
      },
    ],
    [
      'recuérdame en 20 minutos apagar el horno',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'apagar el horno',
        dueAt: '2026-11-18T15:20:00.000Z',
        localTime: '2026-11-18T10:20',
      },
    ],
    [
      'recuérdame pasado mañana a las 8 y media de la noche llamar a Pedro',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a Pedro',
        dueAt: '2026-11-21T01:30:00.000Z',
        localTime: '2026-11-20T20:30',
      },
    ],
    [
      'recuérdame que mañana tengo cita a las 3',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'tengo cita',
        dueAt: '2026-11-19T20:00:00.000Z',
        localTime: '2026-11-19T15:00',
      },
    ],
    [
      'recuerda comprar leche mañana a las 6',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'comprar leche',
        dueAt: '2026-11-19T23:00:00.000Z',
        localTime: '2026-11-19T18:00',
      },
    ],
    [
      'remind me in 2 hours to stretch',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'stretch',
        dueAt: '2026-11-18T17:00:00.000Z',
        localTime: '2026-11-18T12:00',
      },
    ],
    [
      'remind me tomorrow at 9 to call John',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'call John',
        dueAt: '2026-11-19T14:00:00.000Z',
        localTime: '2026-11-19T09:00',
      },
    ],
    [
      'remind me tomorrow at 9 to call John',
      'kolkata',
      'en',
      {
        kind: 'create_reminder',
        text: 'call John',
        dueAt: '2026-11-19T03:30:00.000Z',
        localTime: '2026-11-19T09:00',
      },
    ],
    [
      'remind me at 5',
      'newYork',
      'en',
      { kind: 'create_reminder', text: '', dueAt: '2026-11-18T22:00:00.000Z', localTime: '2026-11-18T17:00' },
    ],
    [
      'can you remind me tonight to call mom please',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'call mom',
        dueAt: '2026-11-19T01:00:00.000Z',
        localTime: '2026-11-18T20:00',
      },
    ],
    [
      'REMIND ME IN AN HOUR AND A HALF TO LEAVE',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'LEAVE',
        dueAt: '2026-11-18T16:30:00.000Z',
        localTime: '2026-11-18T11:30',
      },
    ],
    [
      "don't forget to call mom at 5:30pm",
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'call mom',
        dueAt: '2026-11-18T22:30:00.000Z',
        localTime: '2026-11-18T17:30',
      },
    ],
    [
      'hey can u remind me to pick up the kids at 3:15',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'pick up the kids',
        dueAt: '2026-11-18T20:15:00.000Z',
        localTime: '2026-11-18T15:15',
      },
    ],
  ];

  it.each(oneOff)('reads when and what from "%s" (%s)', (utterance, context, language, intent) => {
    // Act
    const result = plan(utterance, context);

    // Assess
    expect(result).toEqual({ language, intent });
  });

  const flagged: Case[] = [
    [
      'recuérdame hoy a las 8 sacar al perro',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'sacar al perro',
        dueAt: '2026-11-18T13:00:00.000Z',
        localTime: '2026-11-18T08:00',
        ambiguity: 'past_time',
      },
    ],
    [
      'remind me at 5 to leave',
      'newYorkEvening',
      'en',
      {
        kind: 'create_reminder',
        text: 'leave',
        dueAt: '2026-11-18T22:00:00.000Z',
        localTime: '2026-11-18T17:00',
        ambiguity: 'past_time',
      },
    ],
    [
      'recuérdame el 5 de diciembre comprar el regalo',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'comprar el regalo',
        dueAt: '2026-12-05T14:00:00.000Z',
        localTime: '2026-12-05T09:00',
        ambiguity: 'no_time',
      },
    ],
    [
      'remind me on Friday to renew my passport',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'renew my passport',
        dueAt: '2026-11-20T14:00:00.000Z',
        localTime: '2026-11-20T09:00',
        ambiguity: 'no_time',
      },
    ],
    [
      'recuérdame llamar a Juan',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a Juan',
        dueAt: '2026-11-19T14:00:00.000Z',
        localTime: '2026-11-19T09:00',
        ambiguity: 'no_date',
      },
    ],
    [
      'remind me to buy 3 eggs',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'buy 3 eggs',
        dueAt: '2026-11-19T14:00:00.000Z',
        localTime: '2026-11-19T09:00',
        ambiguity: 'no_date',
      },
    ],
  ];

  it.each(flagged)(
    'keeps a past, dateless or timeless reminder as said and flags it: "%s" (%s)',
    (utterance, context, language, intent) => {
      // Act
      const result = plan(utterance, context);

      // Assess
      expect(result).toEqual({ language, intent });
    },
  );

  const recurring: Case[] = [
    [
      'todos los días a las 7 recuérdame tomar la pastilla',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'tomar la pastilla',
        dueAt: '2026-11-19T12:00:00.000Z',
        localTime: '2026-11-19T07:00',
        recurrence: { frequency: 'daily', time: '07:00' },
      },
    ],
    [
      'recuérdame cada lunes y jueves a las 6 ir al gimnasio',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'ir al gimnasio',
        dueAt: '2026-11-19T23:00:00.000Z',
        localTime: '2026-11-19T18:00',
        recurrence: { frequency: 'weekly', byWeekday: [1, 4], time: '18:00' },
      },
    ],
    [
      'recuérdame el 5 de cada mes pagar el arriendo',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'pagar el arriendo',
        dueAt: '2026-12-05T14:00:00.000Z',
        localTime: '2026-12-05T09:00',
        recurrence: { frequency: 'monthly', byMonthDay: 5, time: '09:00' },
        ambiguity: 'no_time',
      },
    ],
    [
      'every Monday at 8 remind me to send the report',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'send the report',
        dueAt: '2026-11-23T13:00:00.000Z',
        localTime: '2026-11-23T08:00',
        recurrence: { frequency: 'weekly', byWeekday: [1], time: '08:00' },
      },
    ],
    [
      'remind me every weekday at 7:30am to stand up',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'stand up',
        dueAt: '2026-11-19T12:30:00.000Z',
        localTime: '2026-11-19T07:30',
        recurrence: { frequency: 'weekly', byWeekday: [1, 2, 3, 4, 5], time: '07:30' },
      },
    ],
    [
      'remind me on the 1st of every month to pay rent',
      'newYork',
      'en',
      {
        kind: 'create_reminder',
        text: 'pay rent',
        dueAt: '2026-12-01T14:00:00.000Z',
        localTime: '2026-12-01T09:00',
        recurrence: { frequency: 'monthly', byMonthDay: 1, time: '09:00' },
        ambiguity: 'no_time',
      },
    ],
    [
      'recuérdame todas las noches a las 10 apagar el wifi',
      'bogota',
      'es',
      {
        kind: 'create_reminder',
        text: 'apagar el wifi',
        dueAt: '2026-11-19T03:00:00.000Z',
        localTime: '2026-11-18T22:00',
        recurrence: { frequency: 'daily', time: '22:00' },
      },
    ],
  ];

  it.each(recurring)(
    'reads the rule and schedules its next occurrence: "%s" (%s)',
    (utterance, context, language, intent) => {
      // Act
      const result = plan(utterance, context);

      // Assess
      expect(result).toEqual({ language, intent });
    },
  );

  const acrossDst: Case[] = [
    [
      'recuérdame mañana a las 9 llamar a Juan',
      'newYorkBeforeSpringForward',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a Juan',
        dueAt: '2026-03-08T13:00:00.000Z',
        localTime: '2026-03-08T09:00',
      },
    ],
    [
      'remind me in 2 hours to stretch',
      'newYorkSpringForwardNight',
      'en',
      {
        kind: 'create_reminder',
        text: 'stretch',
        dueAt: '2026-03-08T08:30:00.000Z',
        localTime: '2026-03-08T04:30',
      },
    ],
    [
      'remind me tomorrow at 9 to call John',
      'newYorkBeforeFallBack',
      'en',
      {
        kind: 'create_reminder',
        text: 'call John',
        dueAt: '2026-11-01T14:00:00.000Z',
        localTime: '2026-11-01T09:00',
      },
    ],
    [
      'recuérdame mañana a las 9 llamar a Juan',
      'madridBeforeSpringForward',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a Juan',
        dueAt: '2026-03-29T07:00:00.000Z',
        localTime: '2026-03-29T09:00',
      },
    ],
    [
      'recuérdame mañana a las 2:30 de la mañana mirar el reloj',
      'madridBeforeSpringForward',
      'es',
      {
        kind: 'create_reminder',
        text: 'mirar el reloj',
        dueAt: '2026-03-29T01:30:00.000Z',
        localTime: '2026-03-29T03:30',
      },
    ],
    [
      'recuérdame mañana a las 9 llamar a Juan',
      'madridBeforeFallBack',
      'es',
      {
        kind: 'create_reminder',
        text: 'llamar a Juan',
        dueAt: '2026-10-25T08:00:00.000Z',
        localTime: '2026-10-25T09:00',
      },
    ],
    [
      'remind me every day at 9 to take my vitamins',
      'madridBeforeFallBack',
      'en',
      {
        kind: 'create_reminder',
        text: 'take my vitamins',
        dueAt: '2026-10-25T08:00:00.000Z',
        localTime: '2026-10-25T09:00',
        recurrence: { frequency: 'daily', time: '09:00' },
      },
    ],
  ];

  it.each(acrossDst)(
    'keeps the wall-clock time across a DST change, and real elapsed time for "in N hours": "%s" (%s)',
    (utterance, context, language, intent) => {
      // Act
      const result = plan(utterance, context);

      // Assess
      expect(result).toEqual({ language, intent });
    },
  );

  it('tells "recuérdame" (remind me) from "recuerda que" (remember that)', () => {
    // Prepare
    const remindMe = 'recuérdame el 3 de mayo llamar a mi hermana';
    const rememberThat = 'recuerda que mi hermana cumple el 3 de mayo';

    // Act
    const reminder = plan(remindMe, 'bogota').intent;
    const memory = plan(rememberThat, 'bogota').intent;

    // Assess
    expect(reminder).toEqual({
      kind: 'create_reminder',
      text: 'llamar a mi hermana',
      dueAt: '2027-05-03T14:00:00.000Z',
      localTime: '2027-05-03T09:00',
      ambiguity: 'no_time',
    });
    expect(memory).toEqual({ kind: 'remember', content: 'mi hermana cumple el 3 de mayo' });
  });
});
