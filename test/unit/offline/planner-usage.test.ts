import { slashCommandOf } from '../../../layers/core/assistant/actions';
import { planMessage } from '../../../layers/core/assistant/offline';
import { CONTEXTS, type ContextName } from './contexts';

const plan = (utterance: string, context: ContextName) => planMessage(utterance, CONTEXTS[context]);

describe('offline planner: the assistant’s own cost', () => {
  it.each([
    ['¿cuánto he gastado en el asistente?', 'bogota'],
    ['¿Cuánto te he costado?', 'bogota'],
    ['cuánto me cuesta el asistente', 'bogota'],
    ['mi consumo del asistente', 'bogota'],
    ['what have I cost?', 'newYork'],
    ['how much have I spent on the assistant?', 'newYork'],
    ['how much does chasqui cost me?', 'newYork'],
    ['my usage', 'newYork'],
  ] as const)('reads "%s" as a usage report (%s)', (utterance, context) => {
    expect(plan(utterance, context).intent).toEqual({ kind: 'usage_report' });
  });

  it.each([
    ['¿cuánto gasté?', 'bogota', 'sum_expenses'],
    ['¿cuánto he gastado este mes?', 'bogota', 'sum_expenses'],
    ['how much did I spend this week?', 'newYork', 'sum_expenses'],
    ['gasté 20 mil en la app de IA', 'bogota', 'add_expense'],
    ['recuérdame mañana a las 9 preguntarle al bot cuánto cuesta', 'bogota', 'create_reminder'],
  ] as const)('keeps "%s" about the user’s own money (%s)', (utterance, context, kind) => {
    expect(plan(utterance, context).intent.kind).toBe(kind);
  });
});

describe('slash commands', () => {
  it.each(['/cost', '/COSTO', '  /uso  ', '/usage please', '/costos'])(
    '"%s" asks for the usage report',
    (text) => {
      expect(slashCommandOf(text)).toEqual({ kind: 'usage_report' });
    },
  );

  it.each(['cost', 'what does /cost do', '/costa', '/', '/constructor', '/toString'])(
    'leaves "%s" to the assistant',
    (text) => {
      expect(slashCommandOf(text)).toBeUndefined();
    },
  );
});
