import { parseActionId } from '../../../layers/core/assistant/actions';
import { parseImageReading, replyToImageReading } from '../../../layers/core/assistant/image-reading';

const facts = { language: 'es' as const, currency: 'COP', today: '2026-11-22' };

describe('reading a photo', () => {
  it('turns a receipt into an expense suggestion with a confirm button', () => {
    // Prepare
    const answer =
      '```json\n{"kind":"receipt","description":"Un recibo de Crepes & Waffles.","expense":{"amount":45000,"currency":"cop","category":"food","merchant":"Crepes & Waffles","date":"2026-11-21"}}\n```';

    // Act
    const reply = replyToImageReading(parseImageReading(answer), facts);

    // Assess
    expect(reply.text).toContain('Crepes & Waffles');
    expect(reply.text).toContain('45.000');
    expect(reply.text).toContain('21 de noviembre');
    expect(reply.buttons).toHaveLength(1);
    expect(reply.buttons![0]!.title).toBe('Registrar gasto');
    expect(parseActionId(reply.buttons![0]!.id)).toEqual({
      kind: 'expense_add',
      amount: 45000,
      currency: 'COP',
      category: 'food',
      date: '2026-11-21',
      description: 'Crepes & Waffles',
    });
  });

  it('keeps a category it does not know as other, and drops a future date', () => {
    const reading = parseImageReading(
      JSON.stringify({
        kind: 'receipt',
        description: 'Receipt',
        expense: { amount: 12.5, currency: 'USD', category: 'coffee', merchant: null, date: '2027-01-01' },
      }),
    );
    const reply = replyToImageReading(reading, { ...facts, language: 'en' });
    expect(parseActionId(reply.buttons![0]!.id)).toEqual({
      kind: 'expense_add',
      amount: 12.5,
      currency: 'USD',
      category: 'other',
    });
    expect(reply.buttons![0]!.title).toBe('Add expense');
  });

  it('answers anything else with its description, and keeps an answer that is not JSON as text', () => {
    expect(
      replyToImageReading(
        parseImageReading('{"kind":"other","description":"Un perro en la playa.","expense":null}'),
        facts,
      ),
    ).toEqual({ text: '📷 Un perro en la playa.' });
    expect(replyToImageReading(parseImageReading('Veo un gato.'), facts)).toEqual({
      text: '📷 Veo un gato.',
    });
  });
});
