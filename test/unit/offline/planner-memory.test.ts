import { planMessage, type Intent, type Language } from '../../../layers/core/assistant/offline';
import { CONTEXTS, type ContextName } from './contexts';

type Case = [utterance: string, context: ContextName, language: Language, intent: Intent];

const plan = (utterance: string, context: ContextName) => planMessage(utterance, CONTEXTS[context]);

describe('offline planner: long-term memory', () => {
  const cases: Case[] = [
    ['olvida mi dirección', 'bogota', 'es', { kind: 'forget_memory', query: 'mi dirección' }],
    [
      'Olvídate de que me gusta el jazz',
      'bogota',
      'es',
      { kind: 'forget_memory', query: 'me gusta el jazz' },
    ],
    ['porfa olvida mi teléfono', 'bogota', 'es', { kind: 'forget_memory', query: 'mi teléfono' }],
    ['olvida lo de la clave del wifi', 'bogota', 'es', { kind: 'forget_memory', query: 'la clave del wifi' }],
    ['forget my address', 'newYork', 'en', { kind: 'forget_memory', query: 'my address' }],
    ['forget that I live in Lima', 'newYork', 'en', { kind: 'forget_memory', query: 'I live in Lima' }],
    [
      'please forget about my old phone number',
      'newYork',
      'en',
      { kind: 'forget_memory', query: 'my old phone number' },
    ],
    ['¿qué recuerdas de mí?', 'bogota', 'es', { kind: 'list_memories' }],
    ['Qué sabes de mí', 'bogota', 'es', { kind: 'list_memories' }],
    ['mis recuerdos', 'bogota', 'es', { kind: 'list_memories' }],
    ['what do you remember about me?', 'newYork', 'en', { kind: 'list_memories' }],
    ['What do you know about me', 'newYork', 'en', { kind: 'list_memories' }],
    ['¿Qué recuerdas del viaje?', 'bogota', 'es', { kind: 'search_memory', query: 'viaje' }],
    [
      '¿te acuerdas de dónde dejé el carro?',
      'bogota',
      'es',
      { kind: 'search_memory', query: 'dónde dejé el carro' },
    ],
    // Asking what a spend was for looks it up by its amount; it is not a new expense.
    ['¿en qué gasté 45,90?', 'bogota', 'es', { kind: 'search_memory', query: 'en qué gasté 45,90' }],
    ['qué compré por 30 mil', 'bogota', 'es', { kind: 'search_memory', query: 'qué compré por 30 mil' }],
    ['where did I pay $12?', 'newYork', 'en', { kind: 'search_memory', query: 'where did I pay $12' }],
  ];

  it.each(cases)('understands "%s" (%s)', (utterance, context, language, intent) => {
    // Act
    const result = plan(utterance, context);

    // Assess
    expect(result).toEqual({ language, intent });
  });

  it.each<[string, ContextName]>([
    ['forget it', 'newYork'],
    ['olvídalo', 'bogota'],
    ['olvídate de eso', 'bogota'],
  ])('takes "%s" for a turn of phrase, not a memory to forget', (utterance, context) => {
    // Act
    const { intent } = plan(utterance, context);

    // Assess
    expect(intent.kind).not.toBe('forget_memory');
  });

  it.each<[string, ContextName, Intent]>([
    ['no olvides que Ana cumple mañana', 'bogota', { kind: 'remember', content: 'Ana cumple mañana' }],
    [
      "don't forget that Ana's birthday is tomorrow",
      'newYork',
      { kind: 'remember', content: "Ana's birthday is tomorrow" },
    ],
  ])('still remembers "%s": "forget" after a negation asks to remember', (utterance, context, intent) => {
    // Act
    const result = plan(utterance, context);

    // Assess
    expect(result.intent).toEqual(intent);
  });
});
