import { AnthropicChatModel } from '../../../layers/core/llm/anthropic';
import type { ChatRequest } from '../../../layers/core/llm/chat-model';
import { ProviderError } from '../../../layers/core/llm/provider-error';
import {
  ANTHROPIC_PATH,
  anthropicError,
  anthropicMessage,
  LlmStubServer,
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

const model = (overrides: { timeoutMs?: number; baseURL?: string } = {}) =>
  new AnthropicChatModel({
    model: 'claude-haiku-4-5',
    apiKey: TEST_API_KEY,
    baseURL: overrides.baseURL ?? stub.origin,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxTokens: 1024,
  });

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe('Anthropic adapter: the request it sends', () => {
  it('marks the system prompt and the last tool as cache breakpoints, so the static prefix is cached', async () => {
    // Prepare
    stub.enqueue(ANTHROPIC_PATH, anthropicMessage({ content: [{ type: 'text', text: '¡Hola!' }] }));

    // Act
    await model().complete(helloRequest());

    // Assess
    const [sent] = stub.requests(ANTHROPIC_PATH);
    expect(sent?.headers['anthropic-version']).toBeDefined();
    expect(sent?.body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }],
      tools: [
        {
          name: REMINDER_TOOL.name,
          description: REMINDER_TOOL.description,
          input_schema: REMINDER_TOOL.inputSchema,
        },
        {
          name: EXPENSE_TOOL.name,
          description: EXPENSE_TOOL.description,
          input_schema: EXPENSE_TOOL.inputSchema,
          cache_control: { type: 'ephemeral' },
        },
      ],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hola' }] }],
    });
  });

  it('sends tool calls and tool results (with their error flag) as tool_use and tool_result blocks', async () => {
    // Prepare
    stub.enqueue(ANTHROPIC_PATH, anthropicMessage({ content: [{ type: 'text', text: 'Listo' }] }));
    const request: ChatRequest = {
      system: SYSTEM_PROMPT,
      maxTokens: 300,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Recuérdame pagar la luz mañana' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Creo el recordatorio.' },
            { type: 'tool_use', id: 'call_abc.1', name: 'create_reminder', input: { text: 'pagar la luz' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', toolUseId: 'call_abc.1', content: 'dueAt is required', isError: true },
          ],
        },
      ],
    };

    // Act
    await model().complete(request);

    // Assess
    const body = stub.requests(ANTHROPIC_PATH)[0]?.body as Record<string, unknown>;
    expect(body.max_tokens).toBe(300);
    expect(body.tools).toBeUndefined();
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Recuérdame pagar la luz mañana' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Creo el recordatorio.' },
          // An id minted by another provider is made acceptable to Anthropic, the same way on both sides.
          { type: 'tool_use', id: 'call_abc_1', name: 'create_reminder', input: { text: 'pagar la luz' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_abc_1', content: 'dueAt is required', is_error: true },
        ],
      },
    ]);
  });
});

describe('Anthropic adapter: images', () => {
  it('sends an image as a base64 image block, in order with the text', async () => {
    // Prepare
    stub.enqueue(ANTHROPIC_PATH, anthropicMessage({ content: [{ type: 'text', text: '{}' }] }));
    const data = Buffer.from('\x89PNG fake').toString('base64');

    // Act
    await model().complete({
      system: SYSTEM_PROMPT,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', mediaType: 'image/png', data },
            { type: 'text', text: '¿Qué es esto?' },
          ],
        },
      ],
    });

    // Assess
    const [sent] = stub.requests(ANTHROPIC_PATH);
    expect((sent?.body as { messages: unknown[] }).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data } },
          { type: 'text', text: '¿Qué es esto?' },
        ],
      },
    ]);
  });
});

describe('Anthropic adapter: the response it returns', () => {
  it('maps text and tool_use blocks, the stop reason and usage including the cache fields', async () => {
    // Prepare
    stub.enqueue(
      ANTHROPIC_PATH,
      anthropicMessage({
        content: [
          { type: 'text', text: 'Te lo recuerdo mañana.' },
          {
            type: 'tool_use',
            id: 'toolu_01A09q90qw90lq917835lq9',
            name: 'create_reminder',
            input: { text: 'pagar la luz', dueAt: '2026-11-23T09:00:00-05:00' },
          },
        ],
        stopReason: 'tool_use',
        usage: {
          input_tokens: 42,
          output_tokens: 17,
          cache_read_input_tokens: 1800,
          cache_creation_input_tokens: 0,
        },
      }),
    );

    // Act
    const response = await model().complete(helloRequest());

    // Assess
    expect(response).toMatchObject({
      provider: 'anthropic',
      model: 'claude-haiku-4-5-20251001',
      stopReason: 'tool_use',
      content: [
        { type: 'text', text: 'Te lo recuerdo mañana.' },
        {
          type: 'tool_use',
          id: 'toolu_01A09q90qw90lq917835lq9',
          name: 'create_reminder',
          input: { text: 'pagar la luz', dueAt: '2026-11-23T09:00:00-05:00' },
        },
      ],
      usage: { inputTokens: 42, outputTokens: 17, cacheReadTokens: 1800, cacheWriteTokens: 0 },
    });
    expect(response.latencyMs).toBeGreaterThan(0);
  });

  it('round-trips a tool call: the returned tool_use goes back with its result under the same id', async () => {
    // Prepare
    stub.enqueue(
      ANTHROPIC_PATH,
      anthropicMessage({
        content: [{ type: 'tool_use', id: 'toolu_01XyZ', name: 'record_expense', input: { amount: 12.5 } }],
        stopReason: 'tool_use',
      }),
      anthropicMessage({ content: [{ type: 'text', text: 'Gasto registrado.' }] }),
    );
    const first = await model().complete(helloRequest());
    const toolUse = first.content.find((block) => block.type === 'tool_use');

    // Act
    const second = await model().complete(
      helloRequest({
        messages: [
          ...helloRequest().messages,
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', toolUseId: toolUse!.id, content: 'ok', isError: false }],
          },
        ],
      }),
    );

    // Assess
    expect(second.stopReason).toBe('end_turn');
    const messages = (stub.requests(ANTHROPIC_PATH)[1]?.body as { messages: unknown[] }).messages;
    expect(messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_01XyZ', name: 'record_expense', input: { amount: 12.5 } }],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_01XyZ', content: 'ok', is_error: false }],
      },
    ]);
  });

  it('turns tool input that is not a JSON object into invalid input instead of failing', async () => {
    // Prepare
    const reply = anthropicMessage({ content: [], stopReason: 'tool_use' });
    const body = reply.body as { content: unknown[] };
    body.content.push({
      type: 'tool_use',
      id: 'toolu_02',
      name: 'record_expense',
      input: '{"amount": 12,',
      caller: {},
    });
    stub.enqueue(ANTHROPIC_PATH, reply);

    // Act
    const response = await model().complete(helloRequest());

    // Assess
    expect(response.content).toEqual([
      {
        type: 'tool_use',
        id: 'toolu_02',
        name: 'record_expense',
        input: { __invalidJson: '"{\\"amount\\": 12,"' },
      },
    ]);
  });

  it.each([
    ['stop_sequence', 'end_turn'],
    ['max_tokens', 'max_tokens'],
    ['refusal', 'other'],
  ] as const)('normalises the stop reason %s to %s', async (vendor, normalised) => {
    // Prepare
    stub.enqueue(
      ANTHROPIC_PATH,
      anthropicMessage({ content: [{ type: 'text', text: '…' }], stopReason: vendor }),
    );

    // Act
    const response = await model().complete(helloRequest());

    // Assess
    expect(response.stopReason).toBe(normalised);
  });
});

describe('Anthropic adapter: failures', () => {
  it.each<[string, StubReply, { reason: string; retryable: boolean; status: number }]>([
    [
      '429 rate limit',
      anthropicError(
        429,
        'rate_limit_error',
        'Number of request tokens has exceeded your per-minute rate limit',
      ),
      { reason: 'rate_limited', retryable: true, status: 429 },
    ],
    [
      '529 overloaded',
      anthropicError(529, 'overloaded_error', 'Overloaded'),
      { reason: 'overloaded', retryable: true, status: 529 },
    ],
    [
      '500 api error',
      anthropicError(500, 'api_error', 'Internal server error'),
      { reason: 'server_error', retryable: true, status: 500 },
    ],
    [
      '503 HTML page from a proxy',
      { status: 503, body: null, rawBody: '<html>Service Unavailable</html>' },
      { reason: 'server_error', retryable: true, status: 503 },
    ],
    [
      '400 invalid request',
      anthropicError(400, 'invalid_request_error', 'messages: roles must alternate'),
      { reason: 'bad_request', retryable: false, status: 400 },
    ],
    [
      '401 authentication',
      anthropicError(401, 'authentication_error', 'invalid x-api-key'),
      { reason: 'unauthorized', retryable: false, status: 401 },
    ],
    [
      '403 permission',
      anthropicError(403, 'permission_error', 'Your API key does not have permission'),
      { reason: 'forbidden', retryable: false, status: 403 },
    ],
    [
      '404 unknown model',
      anthropicError(404, 'not_found_error', 'model: claude-nope'),
      { reason: 'not_found', retryable: false, status: 404 },
    ],
  ])('maps %s to a ProviderError', async (_case, reply, expected) => {
    // Prepare
    stub.enqueue(ANTHROPIC_PATH, reply);

    // Act
    const error = await failureOf(model().complete(helloRequest()));

    // Assess
    expect(error).toMatchObject({ provider: 'anthropic', ...expected });
    expect(error.message).not.toContain(TEST_API_KEY);
    // SDK retries are off: the router owns retries and fallback.
    expect(stub.requests(ANTHROPIC_PATH)).toHaveLength(1);
  });

  it('maps a response slower than the configured timeout to a retryable timeout', async () => {
    // Prepare
    stub.enqueue(ANTHROPIC_PATH, { ...anthropicMessage({ content: [] }), delayMs: 3_000 });

    // Act
    const started = Date.now();
    const error = await failureOf(model({ timeoutMs: 200 }).complete(helloRequest()));

    // Assess
    expect(error).toMatchObject({ reason: 'timeout', retryable: true, status: undefined });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('maps a refused connection to a retryable network error', async () => {
    // Prepare
    const closed = await LlmStubServer.start();
    const origin = closed.origin;
    await closed.close();

    // Act
    const error = await failureOf(model({ baseURL: origin }).complete(helloRequest()));

    // Assess
    expect(error).toMatchObject({ reason: 'network', retryable: true });
  });

  it('maps an aborted signal to an aborted error without waiting for the answer', async () => {
    // Prepare
    stub.enqueue(ANTHROPIC_PATH, { ...anthropicMessage({ content: [] }), delayMs: 3_000 });

    // Act
    const error = await failureOf(model().complete(helloRequest({ signal: AbortSignal.timeout(100) })));

    // Assess
    expect(error).toMatchObject({ reason: 'aborted' });
  });
});
