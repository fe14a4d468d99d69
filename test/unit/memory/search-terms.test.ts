import { fuseByReciprocalRank, keywordTerms } from '../../../layers/core/memory/search';
import { contentTokens, numberForms } from '../../../layers/core/memory/terms';

describe('memory search terms', () => {
  it.each([
    ['45,90', ['45,90', '45.90']],
    ['45.90', ['45.90']],
    ['12.5', ['12.5', '12.50']],
    ['45.000', ['45.000', '45', '45000']],
    ['1,234.56', ['1,234.56', '1234.56']],
    ['1.234.567', ['1.234.567', '1234567']],
    ['2026', ['2026']],
  ])('reads the amount %s every way it may be meant', (token, forms) => {
    // Act
    const result = numberForms(token);

    // Assess
    expect(result.sort()).toEqual([...forms].sort());
  });

  it('keeps the words that carry the topic, folded, and drops the ones every question has', () => {
    // Act
    const spanish = contentTokens('¿Cuándo es el cumpleaños de mi hermana Lucía?');
    const english = contentTokens("What's my sister's birthday?");

    // Assess
    expect(spanish).toEqual(['cumpleanos', 'hermana', 'lucia']);
    expect(english).toEqual(['sister', 'birthday']);
  });

  it('matches letters and digits together as Postgres splits them', () => {
    // Act
    const terms = keywordTerms('código 221B, placa KDS-482 y 45,90');

    // Assess
    expect(terms).toEqual(['codigo', '221b', 'placa', 'kds', '482', '45,90', '45.90']);
  });

  it('fuses ranked lists so that an item high in both beats one at the top of one', () => {
    // Act
    const scores = fuseByReciprocalRank([
      ['only-vector', 'both'],
      ['only-keyword', 'both'],
    ]);

    // Assess
    expect(scores.get('both')).toBeGreaterThan(scores.get('only-vector')!);
    expect(scores.get('only-vector')).toBe(scores.get('only-keyword'));
    expect(scores.get('only-vector')).toBeCloseTo(1 / 61, 12);
  });
});
