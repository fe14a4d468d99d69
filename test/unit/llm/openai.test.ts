import type { ChatRequest } from '../../../layers/core/llm/chat-model';
import { invalidJsonOf } from '../../../layers/core/llm/chat-model';
import { OpenAiChatModel } from '../../../layers/core/llm/openai';
import { ProviderError } from '../../../layers/core/llm/provider-error';
import {
  LlmStubServer,
  OPENAI_PATH,
  openaiCompletion,
  openaiError,
  type StubReply,
} from '../../support/llm-stub-server';
import { EXPENSE_TOOL, helloRequest, REMINDER_TOOL, SYSTEM_PROMPT, TEST_API_KEY } from './helpers';
import { rejectionOf } from '../../support/failures';

let stub: LlmStubServer;

beforeAll(async () => {
  stub = await LlmStubServer.start();
});
afterAll(() => stub.close());
beforeEach(() => stub.reset());

const model = (overrides: { timeoutMs?: number; fetch?: typeof fetch } = {}) =>
  new OpenAiChatModel({
    model: 'gpt-4.1-mini',
    apiKey: TEST_API_KEY,
    baseURL: `${stub.origin}/v1`,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxTokens: 1024,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  });

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe('OpenAI adapter: images', () => {
  it('sends a user message with an image as content parts, the image as a data URL', async () => {
    // Prepare
    stub.enqueue(OPENAI_PATH, openaiCompletion({ content: '{}' }));
    const data = Buffer.from('\xff\xd8\xff fake jpeg').toString('base64');

    // Act
    await model().complete({
      system: SYSTEM_PROMPT,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', mediaType: 'image/jpeg', data },
            { type: 'text', text: 'What is this?' },
          ],
        },
      ],
    });

    // Assess
    const [sent] = stub.requests(OPENAI_PATH);
    expect((sent?.body as { messages: unknown[] }).messages).toEqual([
      { role: 'system', content: SYSTEM_PROMPT },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${data}` } },
          { type: 'text', text: 'What is this?' },
        ],
      },
    ]);
  });
});

describe('OpenAI adapter: the request it sends', () => {
  it('sends the system prompt as the first message and tools as functions', async () => {
    // Prepare
    stub.enqueue(OPENAI_PATH, openaiCompletion({ content: '¡Hola!' }));

    // Act
    await model().complete(helloRequest());

    // Assess
    const [sent] = stub.requests(OPENAI_PATH);
    expect(sent?.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(sent?.body).toEqual({
      model: 'gpt-4.1-mini',
      max_completion_tokens: 1024,
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: 'Hola' },
      ],
      tools: [REMINDER_TOOL, EXPENSE_TOOL].map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
      })),
    });
  });

  it('sends tool calls as assistant tool_calls and tool results as tool messages ahead of any text', async () => {
    // Prepare
    stub.enqueue(OPENAI_PATH, openaiCompletion({ content: 'Listo' }));
    const request: ChatRequest = {
      system: SYSTEM_PROMPT,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Gasté 12 en taxi y 30 en cena' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'toolu_01', name: 'record_expense', input: { amount: 12 } },
            {
              type: 'tool_use',
              id: 'toolu_02',
              name: 'record_expense',
              input: { __invalidJson: '{"amount": 30' },
            },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', toolUseId: 'toolu_01', content: 'saved', isError: false },
            {
              type: 'tool_result',
              toolUseId: 'toolu_02',
              content: 'arguments were not valid JSON',
              isError: true,
            },
            { type: 'text', text: '¿Cuánto llevo?' },
          ],
        },
      ],
    };

    // Act
    await model().complete(request);

    // Assess
    const body = stub.requests(OPENAI_PATH)[0]?.body as Record<string, unknown>;
    expect(body.tools).toBeUndefined();
    expect(body.messages).toEqual([
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: 'Gasté 12 en taxi y 30 en cena' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'toolu_01',
            type: 'function',
            function: { name: 'record_expense', arguments: '{"amount":12}' },
          },
          // Replayed exactly as the model wrote it, so it can see what it got wrong.
          {
            id: 'toolu_02',
            type: 'function',
            function: { name: 'record_expense', arguments: '{"amount": 30' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_01', content: 'saved' },
      { role: 'tool', tool_call_id: 'toolu_02', content: 'Error: arguments were not valid JSON' },
      { role: 'user', content: '¿Cuánto llevo?' },
    ]);
  });

  it('goes through an injected fetch', async () => {
    // Prepare
    stub.enqueue(OPENAI_PATH, openaiCompletion({ content: 'ok' }));
    const seen: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };

    // Act
    await model({ fetch: recordingFetch }).complete(helloRequest());

    // Assess
    expect(seen).toEqual([`${stub.origin}/v1/chat/completions`]);
  });
});

describe('OpenAI adapter: the response it returns', () => {
  it('maps content and tool_calls to blocks, and usage with cached tokens counted once', async () => {
    // Prepare
    stub.enqueue(
      OPENAI_PATH,
      openaiCompletion({
        content: 'Anotado.',
        toolCalls: [
          { id: 'call_Qn2k', name: 'record_expense', arguments: '{"amount":12.5,"currency":"PEN"}' },
        ],
        usage: { prompt_tokens: 2_000, completion_tokens: 30, cached_tokens: 1_536 },
      }),
    );

    // Act
    const response = await model().complete(helloRequest());

    // Assess
    expect(response).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1-mini-2025-04-14',
      stopReason: 'tool_use',
      content: [
        { type: 'text', text: 'Anotado.' },
        {
          type: 'tool_use',
          id: 'call_Qn2k',
          name: 'record_expense',
          input: { amount: 12.5, currency: 'PEN' },
        },
      ],
      usage: { inputTokens: 464, outputTokens: 30, cacheReadTokens: 1_536, cacheWriteTokens: 0 },
    });
  });

  it('turns malformed tool arguments into an invalid tool_use instead of failing', async () => {
    // Prepare
    stub.enqueue(
      OPENAI_PATH,
      openaiCompletion({
        toolCalls: [
          { id: 'call_bad', name: 'create_reminder', arguments: '{"text": "pagar la luz", "dueAt": ' },
          { id: 'call_list', name: 'create_reminder', arguments: '["not", "an", "object"]' },
        ],
      }),
    );

    // Act
    const response = await model().complete(helloRequest());

    // Assess
    expect(response.content).toEqual([
      {
        type: 'tool_use',
        id: 'call_bad',
        name: 'create_reminder',
        input: { __invalidJson: '{"text": "pagar la luz", "dueAt": ' },
      },
      {
        type: 'tool_use',
        id: 'call_list',
        name: 'create_reminder',
        input: { __invalidJson: '["not", "an", "object"]' },
      },
    ]);
    expect(response.content.map((block) => block.type === 'tool_use' && invalidJsonOf(block.input))).toEqual([
      '{"text": "pagar la luz", "dueAt": ',
      '["not", "an", "object"]',
    ]);
  });

  it('round-trips a tool call: the returned tool call goes back with its result under the same id', async () => {
    // Prepare
    stub.enqueue(
      OPENAI_PATH,
      openaiCompletion({
        toolCalls: [{ id: 'call_7', name: 'create_reminder', arguments: '{"text":"luz"}' }],
      }),
      openaiCompletion({ content: 'Recordatorio creado.' }),
    );
    const first = await model().complete(helloRequest());

    // Act
    const second = await model().complete(
      helloRequest({
        messages: [
          ...helloRequest().messages,
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', toolUseId: 'call_7', content: 'created', isError: false }],
          },
        ],
      }),
    );

    // Assess
    expect(second.content).toEqual([{ type: 'text', text: 'Recordatorio creado.' }]);
    const messages = (stub.requests(OPENAI_PATH)[1]?.body as { messages: unknown[] }).messages;
    expect(messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_7',
            type: 'function',
            function: { name: 'create_reminder', arguments: '{"text":"luz"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_7', content: 'created' },
    ]);
  });

  it.each([
    ['length', 'max_tokens'],
    ['content_filter', 'other'],
  ] as const)('normalises the finish reason %s to %s', async (vendor, normalised) => {
    // Prepare
    stub.enqueue(OPENAI_PATH, openaiCompletion({ content: '…', finishReason: vendor }));

    // Act
    const response = await model().complete(helloRequest());

    // Assess
    expect(response.stopReason).toBe(normalised);
  });

  it('rejects a completion without choices as a retryable invalid response', async () => {
    // Prepare
    const reply = openaiCompletion({ content: 'x' });
    (reply.body as { choices: unknown[] }).choices = [];
    stub.enqueue(OPENAI_PATH, reply);

    // Act
    const error = await failureOf(model().complete(helloRequest()));

    // Assess
    expect(error).toMatchObject({ reason: 'invalid_response', retryable: true });
  });
});

describe('OpenAI adapter: failures', () => {
  it.each<[string, StubReply, { reason: string; retryable: boolean; status: number }]>([
    [
      '429 rate limit',
      openaiError(429, 'requests', 'rate_limit_exceeded', 'Rate limit reached for gpt-4.1-mini'),
      { reason: 'rate_limited', retryable: true, status: 429 },
    ],
    [
      '429 quota',
      openaiError(429, 'insufficient_quota', 'insufficient_quota', 'You exceeded your current quota'),
      { reason: 'rate_limited', retryable: true, status: 429 },
    ],
    [
      '500 server error',
      openaiError(500, 'server_error', null, 'The server had an error while processing your request.'),
      { reason: 'server_error', retryable: true, status: 500 },
    ],
    [
      '503 overloaded',
      openaiError(503, 'server_error', null, 'The engine is currently overloaded'),
      { reason: 'server_error', retryable: true, status: 503 },
    ],
    [
      '400 invalid request',
      openaiError(400, 'invalid_request_error', 'invalid_value', "Invalid 'messages[2].tool_calls[0].id'"),
      { reason: 'bad_request', retryable: false, status: 400 },
    ],
    [
      '404 unknown model',
      openaiError(404, 'invalid_request_error', 'model_not_found', 'The model `gpt-nope` does not exist'),
      { reason: 'not_found', retryable: false, status: 404 },
    ],
  ])('maps %s to a ProviderError', async (_case, reply, expected) => {
    // Prepare
    stub.enqueue(OPENAI_PATH, reply);

    // Act
    const error = await failureOf(model().complete(helloRequest()));

    // Assess
    expect(error).toMatchObject({ provider: 'openai', ...expected });
    expect(stub.requests(OPENAI_PATH)).toHaveLength(1);
  });

  it('maps a 401 to a permanent error whose message does not quote the key', async () => {
    // Prepare: OpenAI's real 401 echoes a partly masked key.
    stub.enqueue(
      OPENAI_PATH,
      openaiError(
        401,
        'invalid_request_error',
        'invalid_api_key',
        `Incorrect API key provided: ${TEST_API_KEY}.`,
      ),
    );

    // Act
    const error = await failureOf(model().complete(helloRequest()));

    // Assess
    expect(error).toMatchObject({ reason: 'unauthorized', retryable: false, status: 401 });
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).not.toContain('sk-test');
    expect(error.cause).toBeUndefined();
  });

  it('maps a response slower than the configured timeout to a retryable timeout', async () => {
    // Prepare
    stub.enqueue(OPENAI_PATH, { ...openaiCompletion({ content: 'late' }), delayMs: 3_000 });

    // Act
    const started = Date.now();
    const error = await failureOf(model({ timeoutMs: 200 }).complete(helloRequest()));

    // Assess
    expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
