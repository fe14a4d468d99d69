import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';

const cosine = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((sum, value, index) => sum + value * b[index]!, 0);

describe('offline lexical embedder', () => {
  const embedder = new LexicalEmbedder();
  const similarity = (a: string, b: string) => cosine(embedder.vectorOf(a), embedder.vectorOf(b));

  it('gives the same unit vector of the configured width for the same text, every time', async () => {
    // Act
    const [first, second] = await embedder.embed([
      'Mi hermana cumple el 3 de mayo',
      'Mi hermana cumple el 3 de mayo',
    ]);
    const narrow = new LexicalEmbedder(384).vectorOf('Mi hermana cumple el 3 de mayo');

    // Assess
    expect(first).toEqual(second);
    expect(first).toHaveLength(1536);
    expect(narrow).toHaveLength(384);
    expect(cosine(first!, first!)).toBeCloseTo(1, 10);
  });

  it('ignores case, accents and punctuation', () => {
    // Act
    const score = similarity('Cumpleaños de Lucía', '¡cumpleanos de LUCIA!');

    // Assess
    expect(score).toBeCloseTo(1, 10);
  });

  it('scores a question about a memory as related, and an unrelated memory near zero', () => {
    // Act
    const related = similarity(
      'El cumpleaños de mi hermana Ana es el 3 de mayo',
      '¿cuándo cumple mi hermana?',
    );
    const unrelated = similarity('My address is 221B Baker Street', 'I prefer morning calls');

    // Assess
    expect(related).toBeGreaterThan(embedder.similarity.related);
    expect(Math.abs(unrelated)).toBeLessThan(embedder.similarity.related);
  });

  it('meets Spanish and English words for the same thing', () => {
    // Act
    const score = similarity('Mi hermana cumple el 3 de mayo', "what's my sister's birthday?");

    // Assess
    expect(score).toBeGreaterThan(embedder.similarity.related);
  });

  it('sees one amount however it is written', () => {
    // Act
    const score = similarity('Gasto: 45.90 PEN en comida', '45,90');

    // Assess
    expect(score).toBeGreaterThan(embedder.similarity.related);
  });

  it('scores a rewording as a duplicate, and a different fact of the same shape as not', () => {
    // Act
    const rewording = similarity('I prefer morning calls', 'I prefer calls in the morning');
    const differentFact = similarity(
      'Mi hermana Ana cumple el 3 de mayo',
      'Mi hermana Sofía cumple el 9 de julio',
    );

    // Assess
    expect(rewording).toBeGreaterThanOrEqual(embedder.similarity.duplicate);
    expect(differentFact).toBeLessThan(embedder.similarity.duplicate);
  });

  it('still gives a direction to a text of stopwords only', () => {
    // Act
    const vector = embedder.vectorOf('de la que');

    // Assess
    expect(cosine(vector, vector)).toBeCloseTo(1, 10);
  });
});
