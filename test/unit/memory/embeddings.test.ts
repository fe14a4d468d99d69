import { OpenAiEmbedder } from '../../../layers/core/llm/openai-embedder';
import { embedOrSkip } from '../../../layers/core/memory/embeddings';
import { LexicalEmbedder } from '../../../layers/core/memory/lexical-embedder';
import type { Embedder } from '../../../layers/core/ports/embedder';
import { LlmStubServer, OPENAI_EMBEDDINGS_PATH, openaiError } from '../../support/llm-stub-server';
import { TEST_API_KEY } from '../llm/helpers';

let stub: LlmStubServer;

beforeAll(async () => {
  stub = await LlmStubServer.start();
});
afterAll(() => stub.close());
beforeEach(() => stub.reset());

const openai = () =>
  new OpenAiEmbedder({
    apiKey: TEST_API_KEY,
    model: 'text-embedding-3-small',
    dimensions: 384,
    baseURL: `${stub.origin}/v1`,
    maxRetries: 0,
  });

describe('embedding one text for memory', () => {
  it('returns the vector when the embedder answers', async () => {
    // Act
    const vector = await embedOrSkip(new LexicalEmbedder(384), 'hola');

    // Assess
    expect(vector).toHaveLength(384);
  });

  it('goes on without a vector when the provider fails', async () => {
    // Prepare
    stub.enqueue(OPENAI_EMBEDDINGS_PATH, openaiError(500, 'server_error', null, 'boom'));

    // Act
    const vector = await embedOrSkip(openai(), 'hola');

    // Assess
    expect(vector).toBeUndefined();
  });

  it('goes on without a vector when the provider is too slow, without waiting for it', async () => {
    // Prepare
    stub.enqueue(OPENAI_EMBEDDINGS_PATH, {
      ...openaiError(500, 'server_error', null, 'late'),
      delayMs: 30_000,
    });

    // Act
    const vector = await embedOrSkip(openai(), 'hola', 50);

    // Assess
    expect(vector).toBeUndefined();
  });

  it('lets any other failure through: it is a bug, not an outage', async () => {
    // Prepare
    const broken: Embedder = { ...new LexicalEmbedder(), embed: () => Promise.reject(new TypeError('bug')) };

    // Act
    const outcome = embedOrSkip(broken, 'hola');

    // Assess
    await expect(outcome).rejects.toThrow(TypeError);
  });
});
