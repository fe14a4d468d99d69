import fc from 'fast-check';
import { TEXT_BODY_MAX } from '../../../layers/core/whatsapp/graph/limits';
import { splitText, truncate } from '../../../layers/core/whatsapp/graph/text-fit';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('splitText', () => {
  it('keeps a body within the limit whole, as it is', () => {
    const body = `  ${'a'.repeat(TEXT_BODY_MAX - 2)}`;
    expect(splitText(body)).toEqual([body]);
  });

  it('cuts at the last paragraph break when one fits, even with sentence ends further on', () => {
    // Prepare: paragraph 1 (3000), break, paragraph 2 of short sentences running past the limit
    const first = `${'word '.repeat(599)}end.`;
    const second = 'Short sentence here. '.repeat(100).trim();
    // Act
    const pieces = splitText(`${first}\n\n${second}`);
    // Assess
    expect(pieces[0]).toBe(first);
    expect(pieces.join(' ')).toBe(`${first} ${second}`);
  });

  it('cuts after the last sentence end when no paragraph break fits', () => {
    const sentence = '¿Me recuerdas mañana a las nueve? ';
    const body = sentence.repeat(200).trim();
    const pieces = splitText(body);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(TEXT_BODY_MAX);
      expect(piece.endsWith('?')).toBe(true);
    }
  });

  it('cuts at a space when there is no sentence end, never inside a word', () => {
    const body = Array.from({ length: 1500 }, (_, i) => `palabra${i}`).join(' ');
    const pieces = splitText(body);
    expect(pieces.length).toBeGreaterThan(1);
    // Each piece but the last fills the limit to within one word.
    for (const piece of pieces.slice(0, -1))
      expect(piece.length).toBeGreaterThan(TEXT_BODY_MAX - 'palabra1499 '.length);
    expect(pieces.flatMap(words)).toEqual(words(body));
  });

  it('never produces a piece over the limit, never splits a word and loses no word', () => {
    const word = fc.string({
      unit: fc.constantFrom('a', 'ñ', 'é', '🎉', '.', '?', 'z'),
      minLength: 1,
      maxLength: 30,
    });
    const separator = fc.constantFrom(' ', '\n', '\n\n', '. ', '  ');
    const body = fc
      .array(fc.tuple(word, separator), { minLength: 1, maxLength: 900 })
      .map((parts) => parts.map(([w, s]) => w + s).join(''));
    fc.assert(
      fc.property(body, fc.integer({ min: 40, max: 600 }), (text, max) => {
        const pieces = splitText(text, max);
        expect(pieces.every((piece) => piece.length <= max && piece.length > 0)).toBe(true);
        expect(pieces.flatMap(words)).toEqual(words(text));
      }),
      { numRuns: 150 },
    );
  });

  it('cuts a single word longer than the limit between emoji, never inside a surrogate pair', () => {
    // Prepare: 3000 party poppers (6000 UTF-16 units) with no space at all
    const body = '🎉'.repeat(3000);
    // Act
    const pieces = splitText(body);
    // Assess
    expect(pieces.map((piece) => piece.length)).toEqual([4096, 1904]);
    expect(pieces.some((piece) => LONE_SURROGATE.test(piece))).toBe(false);
    expect(pieces.join('')).toBe(body);
  });

  it('keeps a ZWJ family emoji whole at a forced cut', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 UTF-16 units, one grapheme
    const pieces = splitText(family.repeat(10), 30);
    expect(pieces.every((piece) => piece.length <= 30 && piece.split(family).join('') === '')).toBe(true);
  });
});

describe('truncate', () => {
  it('returns text within the limit unchanged', () => {
    expect(truncate('Recordatorios', 20)).toBe('Recordatorios');
    expect(truncate('x'.repeat(20), 20)).toBe('x'.repeat(20));
  });

  it('shortens at a word boundary and ends with an ellipsis', () => {
    expect(truncate('Reservar una mesa para dos', 20)).toBe('Reservar una mesa…');
  });

  it('cuts inside a word only when the word takes most of the room', () => {
    expect(truncate('Supercalifragilisticexpialidocious', 20)).toBe('Supercalifragilisti…');
  });

  it('never splits an emoji and never exceeds the limit', () => {
    const result = truncate('🎉'.repeat(30), 20);
    expect(result.length).toBeLessThanOrEqual(20);
    expect(LONE_SURROGATE.test(result)).toBe(false);
    expect(result.endsWith('…')).toBe(true);
  });
});
