import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: a JSON body (object) or raw text, after an optional delay. */
export interface ScriptedResponse {
  status: number;
  body?: unknown;
  delayMs?: number;
  contentType?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP server that answers from a script, in order, and records every request. */
export interface ScriptedStub {
  url: string;
  requests: RecordedRequest[];
  script(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

export const startScriptedStub = async (): Promise<ScriptedStub> => {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const next = queue.shift() ?? { status: 599, body: 'stub script exhausted' };
      setTimeout(() => {
        const raw = typeof next.body === 'string' || Buffer.isBuffer(next.body);
        response.writeHead(next.status, {
          'content-type': next.contentType ?? (raw ? 'text/html' : 'application/json'),
        });
        response.end(raw ? next.body : JSON.stringify(next.body ?? {}));
      }, next.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...responses) => queue.push(...responses),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};

/**
 * Meta's error bodies, as the Cloud API returns them (message texts from Meta's error-code
 * reference). `fbtrace_id` is what Meta support asks for.
 */
export const metaError = (code: number, message: string, details?: string, extra: object = {}) => ({
  error: {
    message,
    type: 'OAuthException',
    code,
    ...(details !== undefined && { error_data: { messaging_product: 'whatsapp', details } }),
    fbtrace_id: 'AbCdEfGhIjKlMnOpQrStUvW',
    ...extra,
  },
});

export const META_ERRORS = {
  windowClosed: metaError(
    131047,
    '(#131047) Re-engagement message',
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  ),
  throughput: metaError(130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.'),
  pairRateLimit: metaError(
    131056,
    '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
  ),
  undeliverable: metaError(131026, '(#131026) Message undeliverable', 'Unable to deliver message.'),
  unsupportedType: metaError(
    131051,
    '(#131051) Unsupported message type',
    'Message type is not currently supported.',
  ),
  maintenance: metaError(
    131057,
    '(#131057) Account in maintenance mode',
    'Business Account is in maintenance mode.',
  ),
  invalidParameter: metaError(100, '(#100) Invalid parameter', undefined, { error_subcode: 2494010 }),
  tokenExpired: metaError(
    190,
    'Error validating access token: Session has expired on Sunday, 22-Nov-26 06:00:00 PST.',
    undefined,
    { error_subcode: 463 },
  ),
  somethingWentWrong: metaError(
    131000,
    '(#131000) Something went wrong',
    'Message failed to send due to an unknown error.',
  ),
  missingParameter: metaError(
    131008,
    '(#131008) Required parameter is missing',
    'The parameter text is required.',
  ),
  invalidValue: metaError(
    131009,
    '(#131009) Parameter value is not valid',
    'Button title length invalid. Min length: 1, Max length: 20',
  ),
  templateParams: metaError(
    132000,
    '(#132000) Number of parameters does not match the expected number of params',
    'body: number of localizable_params (1) does not match the expected number of params (2)',
  ),
  templateMissing: metaError(
    132001,
    '(#132001) Template name does not exist in the translation',
    'template name (reminder_due) does not exist in es',
  ),
  policyBlocked: metaError(368, '(#368) Temporarily blocked for policies violations'),
} as const;
