import { configFor, ENVIRONMENT_NAMES } from '../../lib/config';
import { embeddingCostOf, priceOf, TRANSCRIPTION_PRICES } from '../../layers/core/llm/prices';

describe('model prices', () => {
  it.each(ENVIRONMENT_NAMES)(
    'every model %s deploys has a price, so its spend counts against the budget',
    (env) => {
      // Prepare
      const { llm } = configFor(env);
      const at = new Date();

      // Act
      const claude = priceOf('anthropic', llm.anthropicModel, at);
      const gpt = priceOf('openai', llm.openaiModel, at);
      const transcription = TRANSCRIPTION_PRICES.find((row) => row.model === llm.transcriptionModel);
      const embedding = embeddingCostOf(1_000_000, 'openai', llm.embeddingModel, at);

      // Assess
      expect(claude).toBeDefined();
      expect(gpt).toBeDefined();
      expect(transcription).toBeDefined();
      expect(embedding.priced).toBe(true);
    },
  );
});
