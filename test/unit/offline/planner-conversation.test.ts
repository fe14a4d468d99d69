import {
  messageLanguage,
  planMessage,
  type Intent,
  type Language,
} from '../../../layers/core/assistant/offline';
import { CONTEXTS, type ContextName } from './contexts';

type Case = [utterance: string, context: ContextName, language: Language, intent: Intent];

const plan = (utterance: string, context: ContextName) => planMessage(utterance, CONTEXTS[context]);

describe('offline planner: memory, reminders housekeeping and conversation', () => {
  const cases: Case[] = [
    [
      'recuerda que mi hermana cumple el 3 de mayo',
      'bogota',
      'es',
      { kind: 'remember', content: 'mi hermana cumple el 3 de mayo' },
    ],
    [
      'Recuerda que el wifi de la casa es casa1234',
      'bogota',
      'es',
      { kind: 'remember', content: 'el wifi de la casa es casa1234' },
    ],
    [
      'remember that I prefer morning calls',
      'newYork',
      'en',
      { kind: 'remember', content: 'I prefer morning calls' },
    ],
    ['recuerda comprar leche', 'bogota', 'es', { kind: 'remember', content: 'comprar leche' }],
    [
      '¿cuándo cumple mi hermana?',
      'bogota',
      'es',
      { kind: 'search_memory', query: 'cuándo cumple mi hermana' },
    ],
    [
      "what's my sister's birthday?",
      'newYork',
      'en',
      { kind: 'search_memory', query: "what's my sister's birthday" },
    ],
    ['do you remember where I parked?', 'newYork', 'en', { kind: 'search_memory', query: 'where I parked' }],
    [
      'cancela el recordatorio de llamar a Juan',
      'bogota',
      'es',
      { kind: 'cancel_reminder', query: 'llamar a Juan' },
    ],
    ['cancel my reminder about the dentist', 'newYork', 'en', { kind: 'cancel_reminder', query: 'dentist' }],
    ['ya no me recuerdes lo del gimnasio', 'bogota', 'es', { kind: 'cancel_reminder', query: 'gimnasio' }],
    ['mis recordatorios', 'bogota', 'es', { kind: 'list_reminders' }],
    ['what reminders do I have?', 'newYork', 'en', { kind: 'list_reminders' }],
    ['hola', 'bogota', 'es', { kind: 'greeting' }],
    ['Buenos días 👋', 'bogota', 'es', { kind: 'greeting' }],
    ['hi there!', 'newYork', 'en', { kind: 'greeting' }],
    ['muchas gracias 🙏', 'bogota', 'es', { kind: 'thanks' }],
    ['thanks!', 'newYork', 'en', { kind: 'thanks' }],
    ['ayuda', 'bogota', 'es', { kind: 'help' }],
    ['hola, ¿qué puedes hacer?', 'bogota', 'es', { kind: 'help' }],
    ['what can you do?', 'newYork', 'en', { kind: 'help' }],
    ['quiero hablar con una persona', 'bogota', 'es', { kind: 'human_handoff' }],
    ['agente', 'bogota', 'es', { kind: 'human_handoff' }],
    ['talk to a human', 'newYork', 'en', { kind: 'human_handoff' }],
    ['me pasas con un asesor?', 'bogota', 'es', { kind: 'human_handoff' }],
    ['thank you so much 🙏', 'newYork', 'en', { kind: 'thanks' }],
    ["don't remind me about the gym anymore", 'newYork', 'en', { kind: 'cancel_reminder', query: 'gym' }],
    ['el cielo está bonito hoy', 'bogota', 'es', { kind: 'unknown' }],
    ['the weather is nice', 'newYork', 'en', { kind: 'unknown' }],
  ];

  it.each(cases)('understands "%s" (%s)', (utterance, context, language, intent) => {
    // Act
    const result = plan(utterance, context);

    // Assess
    expect(result).toEqual({ language, intent });
  });

  it("falls back to the user's language when the message has none of its own", () => {
    // Prepare
    const wordless = ['', '   ', '👍🔥😂', '12345'];

    // Act
    const spanishUser = wordless.map((text) => plan(text, 'bogota'));
    const englishUser = wordless.map((text) => plan(text, 'newYork'));

    // Assess
    for (const result of spanishUser) expect(result).toEqual({ language: 'es', intent: { kind: 'unknown' } });
    for (const result of englishUser) expect(result).toEqual({ language: 'en', intent: { kind: 'unknown' } });
  });

  it('judges the language of a message alone exactly as it does when planning it, for either user', () => {
    // Prepare
    const texts = [...cases.map(([utterance]) => utterance), '', '👍🔥😂', '12345', 'ok', 'gracias, thanks'];

    // Act
    const judged = (['bogota', 'newYork'] as const).flatMap((context) =>
      texts.map((text) => ({
        text,
        context,
        alone: messageLanguage(text, CONTEXTS[context].locale),
        planned: plan(text, context).language,
      })),
    );

    // Assess
    expect(judged.filter(({ alone, planned }) => alone !== planned)).toEqual([]);
  });

  it('still answers a reminder buried after a greeting, keeping greeting words out of the text', () => {
    // Act
    const result = plan('hola!! recuérdame mañana a las 9 llamar a Juan porfa', 'bogota');

    // Assess
    expect(result.intent).toEqual({
      kind: 'create_reminder',
      text: 'llamar a Juan',
      dueAt: '2026-11-19T14:00:00.000Z',
      localTime: '2026-11-19T09:00',
    });
  });
});
