import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server speaking the Anthropic Messages and OpenAI Chat Completions wire formats, so
 * the real SDKs run end to end in tests and no test can reach a vendor. Each path answers from its
 * own queue of scripted replies; a request with nothing queued gets a 501 so the test fails loudly.
 */

export const ANTHROPIC_PATH = '/v1/messages';
export const OPENAI_PATH = '/v1/chat/completions';
export const OPENAI_TRANSCRIPTION_PATH = '/v1/audio/transcriptions';
export const OPENAI_EMBEDDINGS_PATH = '/v1/embeddings';
export type StubPath =
  | typeof ANTHROPIC_PATH
  | typeof OPENAI_PATH
  | typeof OPENAI_TRANSCRIPTION_PATH
  | typeof OPENAI_EMBEDDINGS_PATH;

/** A file part of a multipart request, as the server received it. */
export interface ReceivedFile {
  readonly name: string;
  readonly type: string;
  readonly bytes: Buffer;
}

/** A multipart/form-data body: its text fields and its files, by field name. */
export interface MultipartBody {
  readonly fields: Record<string, string>;
  readonly files: Record<string, ReceivedFile>;
}

export interface StubReply {
  readonly status: number;
  readonly body: unknown;
  /** Wait this long before answering: for timeouts and the turn deadline. */
  readonly delayMs?: number;
  /** Sent as is instead of `body`, e.g. a non-JSON error page. */
  readonly rawBody?: string;
  /** Extra response headers, e.g. `retry-after-ms`. */
  readonly headers?: Record<string, string>;
}

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export class LlmStubServer {
  private readonly queues = new Map<string, StubReply[]>();
  private readonly received: ReceivedRequest[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LlmStubServer> {
    const server = createServer();
    const stub = new LlmStubServer(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void stub.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  /** Origin for the Anthropic SDK; the OpenAI SDK wants `${origin}/v1`. */
  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  enqueue(path: StubPath, ...replies: StubReply[]): void {
    this.queues.set(path, [...(this.queues.get(path) ?? []), ...replies]);
  }

  requests(path?: StubPath): ReceivedRequest[] {
    return this.received.filter((request) => path === undefined || request.path === path);
  }

  reset(): void {
    this.queues.clear();
    this.received.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const contentType = req.headers['content-type'] ?? '';
    const body = contentType.startsWith('multipart/form-data')
      ? await parseMultipart(bytes, contentType)
      : bytes.length > 0
        ? (JSON.parse(bytes.toString('utf8')) as unknown)
        : undefined;
    this.received.push({ path, headers: req.headers, body });
    const reply = this.queues.get(path)?.shift() ?? {
      status: 501,
      body: { error: { message: `stub: no reply queued for ${path}` } },
    };
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reply.delayMs);
        // The client gave up (timeout or abort): stop waiting so the test ends promptly.
        res.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(reply.status, {
      'content-type': reply.rawBody ? 'text/html' : 'application/json',
      ...reply.headers,
    });
    res.end(reply.rawBody ?? JSON.stringify(reply.body));
  }
}

// ---- Anthropic Messages API (docs.anthropic.com/en/api/messages) ----

type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export const anthropicMessage = (options: {
  content: AnthropicBlock[];
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal';
  usage?: Partial<{
    input_tokens: number;
    output_tokens: number;
    cache_read_input_tokens: number;
    cache_creation_input_tokens: number;
  }>;
  model?: string;
}): StubReply => ({
  status: 200,
  body: {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    type: 'message',
    role: 'assistant',
    model: options.model ?? 'claude-haiku-4-5-20251001',
    content: options.content.map((block) =>
      block.type === 'tool_use' ? { ...block, caller: { type: 'direct' } } : { ...block, citations: null },
    ),
    stop_reason: options.stopReason ?? 'end_turn',
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: 12,
      output_tokens: 6,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
      ...options.usage,
    },
  },
});

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export const anthropicError = (status: number, type: AnthropicErrorType, message: string): StubReply => ({
  status,
  body: { type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' },
});

// ---- OpenAI Chat Completions API (platform.openai.com/docs/api-reference/chat) ----

export const openaiCompletion = (options: {
  content?: string | null;
  toolCalls?: { id: string; name: string; arguments: string }[];
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  model?: string;
}): StubReply => {
  const usage = options.usage ?? { prompt_tokens: 20, completion_tokens: 5 };
  return {
    status: 200,
    body: {
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      object: 'chat.completion',
      created: 1_763_820_000,
      model: options.model ?? 'gpt-4.1-mini-2025-04-14',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: options.content ?? null,
            refusal: null,
            annotations: [],
            ...(options.toolCalls
              ? {
                  tool_calls: options.toolCalls.map((call) => ({
                    id: call.id,
                    type: 'function',
                    function: { name: call.name, arguments: call.arguments },
                  })),
                }
              : {}),
          },
          logprobs: null,
          finish_reason: options.finishReason ?? (options.toolCalls ? 'tool_calls' : 'stop'),
        },
      ],
      usage: {
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        total_tokens: usage.prompt_tokens + usage.completion_tokens,
        prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_6f2eabb9a5',
    },
  };
};

export const openaiError = (
  status: number,
  type: string,
  code: string | null,
  message: string,
): StubReply => ({
  status,
  body: { error: { message, type, param: null, code } },
});

/** Parsed with undici's own multipart reader (the `Request` of Node's fetch), as a server would. */
const parseMultipart = async (bytes: Buffer, contentType: string): Promise<MultipartBody> => {
  const form = await new Request('http://stub.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(bytes),
  }).formData();
  const fields: Record<string, string> = {};
  const files: Record<string, ReceivedFile> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else files[name] = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return { fields, files };
};

// ---- OpenAI Audio Transcriptions API (platform.openai.com/docs/api-reference/audio/createTranscription) ----

export const openaiTranscription = (text: string, usage = { audio: 42, output: 9 }): StubReply => ({
  status: 200,
  body: {
    text,
    usage: {
      type: 'tokens',
      input_tokens: usage.audio,
      input_token_details: { text_tokens: 0, audio_tokens: usage.audio },
      output_tokens: usage.output,
      total_tokens: usage.audio + usage.output,
    },
  },
});

// ---- OpenAI Embeddings API (platform.openai.com/docs/api-reference/embeddings) ----

/**
 * A `create embeddings` response. The SDK asks for `encoding_format: "base64"` unless told otherwise,
 * and the API then sends each vector as the base64 of its little-endian float32 bytes.
 */
export const openaiEmbeddings = (options: {
  vectors: readonly (readonly number[])[];
  encoding?: 'base64' | 'float';
  model?: string;
  promptTokens?: number;
}): StubReply => ({
  status: 200,
  body: {
    object: 'list',
    data: options.vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding:
        options.encoding === 'float'
          ? vector
          : Buffer.from(new Float32Array(vector).buffer).toString('base64'),
    })),
    model: options.model ?? 'text-embedding-3-small',
    usage: { prompt_tokens: options.promptTokens ?? 8, total_tokens: options.promptTokens ?? 8 },
  },
});
