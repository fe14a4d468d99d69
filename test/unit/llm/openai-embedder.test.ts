import { OpenAiEmbedder } from '../../../layers/core/llm/openai-embedder';
import { EmbeddingError, type EmbeddingRequest } from '../../../layers/core/ports/embedder';
import {
  LlmStubServer,
  OPENAI_EMBEDDINGS_PATH,
  openaiEmbeddings,
  openaiError,
} from '../../support/llm-stub-server';
import { TEST_API_KEY } from './helpers';
import { rejectionOf } from '../../support/failures';

let stub: LlmStubServer;

beforeAll(async () => {
  stub = await LlmStubServer.start();
});
afterAll(() => stub.close());
beforeEach(() => stub.reset());

const DIMENSIONS = 384;

/** A distinct unit vector per position; float32-exact so a round trip through base64 is lossless. */
const unitVector = (axis: number): number[] =>
  Array.from({ length: DIMENSIONS }, (_, index) => (index === axis ? 1 : 0));

const embedder = (overrides: { batchSize?: number; maxRetries?: number } = {}) =>
  new OpenAiEmbedder({
    apiKey: TEST_API_KEY,
    model: 'text-embedding-3-small',
    dimensions: DIMENSIONS,
    baseURL: `${stub.origin}/v1`,
    timeoutMs: 5_000,
    ...overrides,
  });

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, EmbeddingError);

describe('OpenAI embedder', () => {
  it('asks for the configured model and width, and decodes base64 vectors in input order', async () => {
    // Prepare
    stub.enqueue(OPENAI_EMBEDDINGS_PATH, openaiEmbeddings({ vectors: [unitVector(0), unitVector(1)] }));

    // Act
    const vectors = await embedder().embed(['Ana cumple el 3 de mayo', 'I prefer morning calls']);

    // Assess
    const [sent] = stub.requests(OPENAI_EMBEDDINGS_PATH);
    expect(sent?.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(sent?.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['Ana cumple el 3 de mayo', 'I prefer morning calls'],
      dimensions: DIMENSIONS,
      encoding_format: 'base64',
    });
    expect(vectors).toEqual([unitVector(0), unitVector(1)]);
  });

  it('orders the vectors by their index, whatever order the response lists them in', async () => {
    // Prepare
    const reply = openaiEmbeddings({ vectors: [unitVector(0), unitVector(1)] });
    const body = reply.body as { data: unknown[] };
    stub.enqueue(OPENAI_EMBEDDINGS_PATH, { ...reply, body: { ...body, data: [...body.data].reverse() } });

    // Act
    const vectors = await embedder().embed(['first', 'second']);

    // Assess
    expect(vectors).toEqual([unitVector(0), unitVector(1)]);
  });

  it('splits many texts into batches and keeps their order across them', async () => {
    // Prepare
    stub.enqueue(
      OPENAI_EMBEDDINGS_PATH,
      openaiEmbeddings({ vectors: [unitVector(0), unitVector(1)] }),
      openaiEmbeddings({ vectors: [unitVector(2)] }),
    );

    // Act
    const vectors = await embedder({ batchSize: 2 }).embed(['a', 'b', 'c']);

    // Assess
    expect(
      stub.requests(OPENAI_EMBEDDINGS_PATH).map((request) => (request.body as { input: string[] }).input),
    ).toEqual([['a', 'b'], ['c']]);
    expect(vectors).toEqual([unitVector(0), unitVector(1), unitVector(2)]);
  });

  it('retries a rate-limited request, honouring retry-after, and then succeeds', async () => {
    // Prepare
    stub.enqueue(
      OPENAI_EMBEDDINGS_PATH,
      {
        ...openaiError(429, 'requests', 'rate_limit_exceeded', 'Rate limit reached'),
        headers: { 'retry-after-ms': '0' },
      },
      openaiEmbeddings({ vectors: [unitVector(3)] }),
    );

    // Act
    const vectors = await embedder({ maxRetries: 2 }).embed(['retry me']);

    // Assess
    expect(stub.requests(OPENAI_EMBEDDINGS_PATH)).toHaveLength(2);
    expect(vectors).toEqual([unitVector(3)]);
  });

  it('reports a rejected key as a permanent embedding error, without retrying', async () => {
    // Prepare
    stub.enqueue(
      OPENAI_EMBEDDINGS_PATH,
      openaiError(401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided'),
    );

    // Act
    const error = await failureOf(embedder({ maxRetries: 2 }).embed(['x']));

    // Assess
    expect(error).toMatchObject({ code: 'embedding_http_401', retryable: false });
    expect(stub.requests(OPENAI_EMBEDDINGS_PATH)).toHaveLength(1);
  });

  it('reports a server that keeps failing as a retryable embedding error once retries run out', async () => {
    // Prepare
    const overloaded = {
      ...openaiError(503, 'server_error', null, 'The server is overloaded'),
      headers: { 'retry-after-ms': '0' },
    };
    stub.enqueue(OPENAI_EMBEDDINGS_PATH, overloaded, overloaded);

    // Act
    const error = await failureOf(embedder({ maxRetries: 1 }).embed(['x']));

    // Assess
    expect(error).toMatchObject({ code: 'embedding_http_503', retryable: true });
    expect(stub.requests(OPENAI_EMBEDDINGS_PATH)).toHaveLength(2);
  });

  it('rejects vectors of another width than configured', async () => {
    // Prepare
    stub.enqueue(OPENAI_EMBEDDINGS_PATH, openaiEmbeddings({ vectors: [[0.6, 0.8]] }));

    // Act
    const error = await failureOf(embedder().embed(['x']));

    // Assess
    expect(error).toMatchObject({ code: 'embedding_invalid_response', retryable: false });
  });

  describe('reporting what each request cost', () => {
    const reporting = () => {
      const requests: EmbeddingRequest[] = [];
      return { requests, onRequest: (request: EmbeddingRequest) => requests.push(request) };
    };

    it('reports every request with the input tokens OpenAI billed for it', async () => {
      // Prepare
      stub.enqueue(
        OPENAI_EMBEDDINGS_PATH,
        openaiEmbeddings({ vectors: [unitVector(0), unitVector(1)], promptTokens: 11 }),
        openaiEmbeddings({ vectors: [unitVector(2)], promptTokens: 4 }),
      );
      const { requests, onRequest } = reporting();

      // Act
      await embedder({ batchSize: 2 }).embed(['a', 'b', 'c'], { onRequest });

      // Assess
      expect(requests).toEqual([
        {
          provider: 'openai',
          model: 'text-embedding-3-small',
          inputTokens: 11,
          latencyMs: expect.any(Number),
          outcome: 'ok',
        },
        {
          provider: 'openai',
          model: 'text-embedding-3-small',
          inputTokens: 4,
          latencyMs: expect.any(Number),
          outcome: 'ok',
        },
      ]);
    });

    it('reports a rejected request with nothing billed, and a retryable failure as an error', async () => {
      // Prepare
      stub.enqueue(
        OPENAI_EMBEDDINGS_PATH,
        openaiError(401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided'),
        openaiError(503, 'server_error', null, 'The server is overloaded'),
      );
      const { requests, onRequest } = reporting();

      // Act
      await failureOf(embedder({ maxRetries: 0 }).embed(['x'], { onRequest }));
      await failureOf(embedder({ maxRetries: 0 }).embed(['y'], { onRequest }));

      // Assess
      expect(requests.map(({ inputTokens, outcome }) => ({ inputTokens, outcome }))).toEqual([
        { inputTokens: 0, outcome: 'rejected' },
        { inputTokens: 0, outcome: 'error' },
      ]);
    });

    it('reports the tokens of an unusable answer too: OpenAI billed them', async () => {
      // Prepare
      stub.enqueue(OPENAI_EMBEDDINGS_PATH, openaiEmbeddings({ vectors: [[0.6, 0.8]], promptTokens: 6 }));
      const { requests, onRequest } = reporting();

      // Act
      await failureOf(embedder().embed(['x'], { onRequest }));

      // Assess
      expect(requests).toEqual([expect.objectContaining({ inputTokens: 6, outcome: 'rejected' })]);
    });

    it('reports a request the caller stopped waiting for as past its deadline', async () => {
      // Prepare
      stub.enqueue(OPENAI_EMBEDDINGS_PATH, {
        ...openaiEmbeddings({ vectors: [unitVector(0)] }),
        delayMs: 30_000,
      });
      const { requests, onRequest } = reporting();

      // Act
      const error = await failureOf(embedder().embed(['x'], { signal: AbortSignal.timeout(50), onRequest }));

      // Assess
      expect(error).toMatchObject({ code: 'embedding_aborted' });
      expect(requests).toEqual([expect.objectContaining({ inputTokens: 0, outcome: 'deadline' })]);
    });
  });
});
