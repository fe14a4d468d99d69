import { planMessage, type Intent, type Language } from '../../../layers/core/assistant/offline';
import { parseLocalizedNumber } from '../../../layers/core/assistant/offline/numbers';
import { CONTEXTS, type ContextName } from './contexts';

type Case = [utterance: string, context: ContextName, language: Language, intent: Intent];

const plan = (utterance: string, context: ContextName) => planMessage(utterance, CONTEXTS[context]);

describe('offline planner: expenses', () => {
  const logged: Case[] = [
    [
      'gasté 45.000 en almuerzo',
      'bogota',
      'es',
      {
        kind: 'add_expense',
        amount: 45_000,
        currency: 'COP',
        category: 'food',
        description: 'almuerzo',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'gaste 50 mil en almuerzo',
      'bogota',
      'es',
      {
        kind: 'add_expense',
        amount: 50_000,
        currency: 'COP',
        category: 'food',
        description: 'almuerzo',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'pagué 2 millones del arriendo',
      'bogota',
      'es',
      {
        kind: 'add_expense',
        amount: 2_000_000,
        currency: 'COP',
        category: 'rent',
        description: 'arriendo',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'gasté 1,5 millones en un computador',
      'bogota',
      'es',
      {
        kind: 'add_expense',
        amount: 1_500_000,
        currency: 'COP',
        category: 'other',
        description: 'computador',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'gasté 12,50 euros en el cine 🍿',
      'bogota',
      'es',
      {
        kind: 'add_expense',
        amount: 12.5,
        currency: 'EUR',
        category: 'entertainment',
        description: 'cine 🍿',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'pagué 120 USD de internet ayer',
      'bogota',
      'es',
      {
        kind: 'add_expense',
        amount: 120,
        currency: 'USD',
        category: 'utilities',
        description: 'internet',
        occurredAt: '2026-11-17T17:00:00.000Z',
      },
    ],
    [
      'compré zapatos por $180.000',
      'bogota',
      'es',
      {
        kind: 'add_expense',
        amount: 180_000,
        currency: 'COP',
        category: 'shopping',
        description: 'zapatos',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'taxi 12.000',
      'bogota',
      'es',
      {
        kind: 'add_expense',
        amount: 12_000,
        currency: 'COP',
        category: 'transport',
        description: 'taxi',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'gasté 20 € en la farmacia el lunes',
      'madrid',
      'es',
      {
        kind: 'add_expense',
        amount: 20,
        currency: 'EUR',
        category: 'health',
        description: 'farmacia',
        occurredAt: '2026-11-16T11:00:00.000Z',
      },
    ],
    [
      'I spent $12.50 on coffee',
      'newYork',
      'en',
      {
        kind: 'add_expense',
        amount: 12.5,
        currency: 'USD',
        category: 'food',
        description: 'coffee',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'spent 30 euros on groceries',
      'newYork',
      'en',
      {
        kind: 'add_expense',
        amount: 30,
        currency: 'EUR',
        category: 'groceries',
        description: 'groceries',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'paid 1,200.50 for rent yesterday',
      'newYork',
      'en',
      {
        kind: 'add_expense',
        amount: 1200.5,
        currency: 'USD',
        category: 'rent',
        description: 'rent',
        occurredAt: '2026-11-17T17:00:00.000Z',
      },
    ],
    [
      'spent 40 bucks on gas 3 days ago',
      'newYork',
      'en',
      {
        kind: 'add_expense',
        amount: 40,
        currency: 'USD',
        category: 'transport',
        description: 'gas',
        occurredAt: '2026-11-15T17:00:00.000Z',
      },
    ],
    [
      'I just spent 15k on a new laptop',
      'newYork',
      'en',
      {
        kind: 'add_expense',
        amount: 15_000,
        currency: 'USD',
        category: 'other',
        description: 'new laptop',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
    [
      'spent ₹250 on lunch',
      'kolkata',
      'en',
      {
        kind: 'add_expense',
        amount: 250,
        currency: 'INR',
        category: 'food',
        description: 'lunch',
        occurredAt: '2026-11-18T04:30:00.000Z',
      },
    ],
    [
      'almorcé por 25 mil',
      'bogota',
      'es',
      {
        kind: 'add_expense',
        amount: 25_000,
        currency: 'COP',
        category: 'food',
        description: 'almorcé',
        occurredAt: '2026-11-18T15:00:00.000Z',
      },
    ],
  ];

  it.each(logged)(
    'reads amount, currency, category and day of "%s" (%s)',
    (utterance, context, language, intent) => {
      // Act
      const result = plan(utterance, context);

      // Assess
      expect(result).toEqual({ language, intent });
    },
  );

  const questions: Case[] = [
    [
      '¿cuánto gasté esta semana?',
      'bogota',
      'es',
      { kind: 'sum_expenses', from: '2026-11-16T05:00:00.000Z', to: '2026-11-23T05:00:00.000Z' },
    ],
    [
      'cuanto gaste en comida el mes pasado',
      'bogota',
      'es',
      {
        kind: 'sum_expenses',
        from: '2026-10-01T05:00:00.000Z',
        to: '2026-11-01T05:00:00.000Z',
        category: 'food',
      },
    ],
    [
      'mis gastos de ayer',
      'bogota',
      'es',
      { kind: 'list_expenses', from: '2026-11-17T05:00:00.000Z', to: '2026-11-18T05:00:00.000Z' },
    ],
    [
      'how much did I spend on food this month?',
      'newYork',
      'en',
      {
        kind: 'sum_expenses',
        // November 1 starts on EDT; December 1 on EST.
        from: '2026-11-01T04:00:00.000Z',
        to: '2026-12-01T05:00:00.000Z',
        category: 'food',
      },
    ],
    [
      'show my expenses',
      'newYork',
      'en',
      { kind: 'list_expenses', from: '2026-11-01T04:00:00.000Z', to: '2026-12-01T05:00:00.000Z' },
    ],
    [
      'how much have I spent in the last 7 days',
      'newYork',
      'en',
      { kind: 'sum_expenses', from: '2026-11-12T05:00:00.000Z', to: '2026-11-19T05:00:00.000Z' },
    ],
    [
      'qué gastos tengo esta semana',
      'bogota',
      'es',
      { kind: 'list_expenses', from: '2026-11-16T05:00:00.000Z', to: '2026-11-23T05:00:00.000Z' },
    ],
  ];

  it.each(questions)(
    'answers "%s" (%s) over the period it names, in the user\'s zone',
    (utterance, context, language, intent) => {
      // Act
      const result = plan(utterance, context);

      // Assess
      expect(result).toEqual({ language, intent });
    },
  );

  it.each([
    ['borra el último gasto', 'es'],
    ['delete my last expense', 'en'],
  ] as const)('deletes the last expense on "%s"', (utterance, language) => {
    // Act
    const result = plan(utterance, 'bogota');

    // Assess
    expect(result).toEqual({ language, intent: { kind: 'delete_last_expense' } });
  });
});

describe('localized number parsing', () => {
  it.each([
    ['45.000', 45_000],
    ['1.200.000', 1_200_000],
    ['1,200', 1_200],
    ['1,200.50', 1_200.5],
    ['1.200,50', 1_200.5],
    ['12,50', 12.5],
    ['12.50', 12.5],
    ['1,5', 1.5],
    ['0.500', 0.5],
    ["1'500.000", 1_500_000],
    ['250', 250],
  ])('reads %s as %d', (raw, expected) => {
    // Act
    const value = parseLocalizedNumber(raw);

    // Assess
    expect(value).toBe(expected);
  });
});
