import fc from 'fast-check';
import * as z from 'zod';
import { EXPENSE_CATEGORIES, planMessage, type PlannerContext } from '../../../layers/core/assistant/offline';
import { CONTEXTS } from './contexts';

const instant = z.iso.datetime();
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
const ambiguity = z.enum(['past_time', 'no_time', 'no_date']).optional();
const period = { from: instant, to: instant };
const category = z.enum(EXPENSE_CATEGORIES);

const planSchema = z.strictObject({
  language: z.enum(['es', 'en']),
  intent: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('create_reminder'),
      text: z.string(),
      dueAt: instant,
      localTime,
      recurrence: z
        .strictObject({
          frequency: z.enum(['daily', 'weekly', 'monthly']),
          byWeekday: z.array(z.int().min(1).max(7)).min(1).optional(),
          byMonthDay: z.int().min(1).max(31).optional(),
          time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
        })
        .optional(),
      ambiguity,
    }),
    z.strictObject({
      kind: z.literal('add_expense'),
      amount: z.number().positive().finite(),
      currency: z.string().regex(/^[A-Z]{3}$/),
      category,
      description: z.string(),
      occurredAt: instant,
    }),
    z.strictObject({
      kind: z.literal('create_event'),
      title: z.string().min(1),
      startsAt: instant,
      endsAt: instant,
      localStart: localTime,
      ambiguity,
    }),
    z.strictObject({ kind: z.literal('list_reminders') }),
    z.strictObject({ kind: z.literal('list_events'), ...period }),
    z.strictObject({ kind: z.literal('sum_expenses'), ...period, category: category.optional() }),
    z.strictObject({ kind: z.literal('list_expenses'), ...period, category: category.optional() }),
    z.strictObject({ kind: z.literal('cancel_reminder'), query: z.string() }),
    z.strictObject({ kind: z.literal('cancel_event'), query: z.string() }),
    z.strictObject({ kind: z.literal('delete_last_expense') }),
    z.strictObject({ kind: z.literal('remember'), content: z.string().min(1) }),
    z.strictObject({ kind: z.literal('search_memory'), query: z.string().min(1) }),
    z.strictObject({ kind: z.literal('forget_memory'), query: z.string().min(1) }),
    z.strictObject({ kind: z.literal('list_memories') }),
    z.strictObject({ kind: z.literal('greeting') }),
    z.strictObject({ kind: z.literal('help') }),
    z.strictObject({ kind: z.literal('thanks') }),
    z.strictObject({ kind: z.literal('human_handoff') }),
    z.strictObject({ kind: z.literal('usage_report') }),
    z.strictObject({ kind: z.literal('unknown') }),
  ]),
});

/** Beyond the schema: what the caller relies on when it schedules or sums. */
const expectCoherent = (plan: z.infer<typeof planSchema>) => {
  const { intent } = plan;
  if ('from' in intent) expect(Date.parse(intent.from)).toBeLessThan(Date.parse(intent.to));
  if (intent.kind === 'create_event')
    expect(Date.parse(intent.startsAt)).toBeLessThan(Date.parse(intent.endsAt));
};

/** Pieces of real messages, so random sentences reach deep into every parser, not only "unknown". */
const VOCABULARY = [
  'recuérdame',
  'recuerda que',
  'remind me',
  'remember that',
  'every',
  'todos los',
  'cada',
  'días',
  'lunes',
  'Monday',
  'mañana',
  'tomorrow',
  'pasado mañana',
  'hoy',
  'ayer',
  'a las',
  'at',
  '9',
  '3pm',
  '10-11am',
  'de 3 a 4',
  'y media',
  'de la noche',
  'en',
  'in',
  '2',
  'horas',
  'hours',
  'hace',
  'ago',
  'el',
  'the',
  '5 de diciembre',
  'Dec 5',
  '5/12',
  '31',
  '29 de febrero',
  'gasté',
  'spent',
  '45.000',
  '50 mil',
  '1,5 millones',
  '$12.50',
  '1,200.50',
  'USD',
  'euros',
  '€',
  'pesos',
  'almuerzo',
  'coffee',
  'agenda',
  'schedule',
  'cita con',
  'meeting with',
  'cancela',
  'cancel',
  'recordatorio',
  'reminder',
  'gasto',
  'expense',
  '¿cuánto gasté',
  'how much did I spend',
  'esta semana',
  'last month',
  'el mes pasado',
  'qué tengo',
  "what's on my calendar",
  'hola',
  'gracias',
  'help',
  'agente',
  'human',
  '?',
  '¿',
  '!',
  ',',
  '.',
  ':',
  '-',
  '👍',
  '🎉',
  '👨‍👩‍👧',
  '\u0301',
  '\u00a0',
  '\n',
  '\ud83d',
  '   ',
  '0',
  '00:00',
  '24:00',
  '99:99',
  '13pm',
  'a la una',
  'noon',
  'medianoche',
  'los últimos 999 días',
];

const sentence = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 24 }).map((words) => words.join(' '));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  sentence,
);

const ZONES = [
  'America/Bogota',
  'America/New_York',
  'Europe/Madrid',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/Santiago',
  'UTC',
  'Not/AZone',
];
const anyContext: fc.Arbitrary<PlannerContext> = fc.record({
  now: fc.date({
    min: new Date('1990-01-01T00:00:00Z'),
    max: new Date('2090-12-31T23:59:59Z'),
    noInvalidDate: true,
  }),
  timeZone: fc.constantFrom(...ZONES),
  locale: fc.constantFrom('es' as const, 'en' as const),
  defaultCurrency: fc.constantFrom('COP', 'USD', 'EUR', 'INR', 'usd'),
});

describe('offline planner: robustness', () => {
  it('returns a valid, coherent plan for any text in any context, and never throws', () => {
    fc.assert(
      fc.property(anyText, anyContext, (text, context) => {
        // Act
        const plan = planMessage(text, context);

        // Assess
        const parsed = planSchema.parse(plan);
        expectCoherent(parsed);
      }),
      { numRuns: 600 },
    );
  });

  it('is deterministic: the same text and context give the same plan', () => {
    fc.assert(
      fc.property(sentence, anyContext, (text, context) => {
        // Act
        const first = planMessage(text, context);
        const second = planMessage(text, { ...context, now: new Date(context.now.getTime()) });

        // Assess
        expect(second).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  it('answers 10 KB of chatter as unknown, without giving up on the user', () => {
    // Prepare
    const chatter = 'bla bla bla, nada importante por aquí. '.repeat(260);
    expect(chatter.length).toBeGreaterThan(10_000);

    // Act
    const plan = planMessage(chatter, CONTEXTS.bogota);

    // Assess
    expect(plan).toEqual({ language: 'es', intent: { kind: 'unknown' } });
  });

  it('reads a 10 KB reminder from its first 4096 characters, the most WhatsApp delivers', () => {
    // Prepare
    const longReminder = `recuérdame mañana a las 9 ${'llamar a Juan '.repeat(800)}`;

    // Act
    const plan = planMessage(longReminder, CONTEXTS.bogota);

    // Assess
    expect(plan.intent).toMatchObject({ kind: 'create_reminder', dueAt: '2026-11-19T14:00:00.000Z' });
    expect(plan.intent.kind === 'create_reminder' && plan.intent.text.length).toBeLessThanOrEqual(4096);
  });

  it('plans in UTC when the stored time zone is not a real one', () => {
    // Prepare
    const context = { ...CONTEXTS.newYork, timeZone: 'Mars/Olympus_Mons' };

    // Act
    const plan = planMessage('remind me tomorrow at 9 to call John', context);

    // Assess
    expect(plan.intent).toEqual({
      kind: 'create_reminder',
      text: 'call John',
      dueAt: '2026-11-19T09:00:00.000Z',
      localTime: '2026-11-19T09:00',
    });
  });
});
