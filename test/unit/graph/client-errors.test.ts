import { text } from '../../../layers/core/whatsapp/graph/builders';
import { GraphClient, type GraphClientConfig } from '../../../layers/core/whatsapp/graph/client';
import {
  certainlyNotSent,
  GraphPermanentError,
  GraphTransientError,
  MessageValidationError,
  PairRateLimitError,
  WindowClosedError,
} from '../../../layers/core/whatsapp/graph/errors';
import {
  META_ERRORS,
  metaError,
  type ScriptedResponse,
  type ScriptedStub,
  startScriptedStub,
} from './support';
import { rejectionOf } from '../../support/failures';

const PHONE_NUMBER_ID = '106540352242922';
const TOKEN = 'EAAGtestTOKEN0123456789secret';
const [MESSAGE] = text('573001234567', 'Hola');
const OK: ScriptedResponse = {
  status: 200,
  body: {
    messaging_product: 'whatsapp',
    contacts: [{ input: '573001234567', wa_id: '573001234567' }],
    messages: [{ id: 'wamid.OK' }],
  },
};

let stub: ScriptedStub;
beforeEach(async () => {
  stub = await startScriptedStub();
});
afterEach(() => stub.close());

/** A client whose sleeps are recorded and advance a fake clock instead of waiting. */
const build = (overrides: Partial<GraphClientConfig> = {}) => {
  let now = Date.parse('2026-11-22T14:00:00Z');
  const sleeps: number[] = [];
  const client = new GraphClient({
    apiVersion: 'v23.0',
    baseUrl: stub.url,
    accessToken: () => Promise.resolve(TOKEN),
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    clock: { now: () => new Date(now) },
    ...overrides,
  });
  return { client, sleeps };
};

const failure = (promise: Promise<unknown>) => rejectionOf(promise, Error);

describe('Graph client error handling', () => {
  it.each([
    ['131047 window closed', 400, META_ERRORS.windowClosed, WindowClosedError, 'graph_window_closed'],
    ['131026 undeliverable', 400, META_ERRORS.undeliverable, GraphPermanentError, 'graph_undeliverable'],
    [
      '131051 unsupported type',
      400,
      META_ERRORS.unsupportedType,
      GraphPermanentError,
      'graph_unsupported_type',
    ],
    [
      '100 invalid parameter',
      400,
      META_ERRORS.invalidParameter,
      GraphPermanentError,
      'graph_invalid_parameter',
    ],
    ['190 token expired', 401, META_ERRORS.tokenExpired, GraphPermanentError, 'graph_token_invalid'],
    ['131000 answered as 4xx', 400, META_ERRORS.somethingWentWrong, GraphPermanentError, 'graph_rejected'],
    [
      '131008 missing parameter',
      400,
      META_ERRORS.missingParameter,
      GraphPermanentError,
      'graph_missing_parameter',
    ],
    ['131009 invalid value', 400, META_ERRORS.invalidValue, GraphPermanentError, 'graph_invalid_parameter'],
    [
      '132000 template parameters',
      400,
      META_ERRORS.templateParams,
      GraphPermanentError,
      'graph_template_error',
    ],
    [
      '132001 template missing',
      404,
      META_ERRORS.templateMissing,
      GraphPermanentError,
      'graph_template_error',
    ],
    ['368 policy block', 403, META_ERRORS.policyBlocked, GraphPermanentError, 'graph_policy_blocked'],
  ])('does not retry %s', async (_case, status, body, type, code) => {
    // Prepare
    stub.script({ status, body }, OK);
    const { client, sleeps } = build();
    // Act
    const error = await failure(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!));
    // Assess
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({
      code,
      retryable: false,
      metaCode: body.error.code,
      fbtraceId: 'AbCdEfGhIjKlMnOpQrStUvW',
      status,
    });
    expect(stub.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['130429 throughput', 400, META_ERRORS.throughput, 'graph_throughput_limited'],
    ['131057 maintenance', 400, META_ERRORS.maintenance, 'graph_account_maintenance'],
    ['131000 answered as 5xx', 500, META_ERRORS.somethingWentWrong, 'graph_unavailable'],
    ['an HTML 502 from a proxy', 502, '<html>Bad Gateway</html>', 'graph_unavailable'],
  ])(
    'retries %s four times in all with full-jitter exponential backoff, then surfaces it',
    async (_c, status, body, code) => {
      // Prepare
      stub.script(...Array.from({ length: 4 }, () => ({ status, body })), OK);
      const { client, sleeps } = build();
      // Act
      const error = await failure(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!));
      // Assess: random 0.5 of ceilings 250, 500, 1000 ms
      expect(error).toBeInstanceOf(GraphTransientError);
      expect(error).toMatchObject({ code, retryable: true, status });
      expect(stub.requests).toHaveLength(4);
      expect(sleeps).toEqual([125, 250, 500]);
    },
  );

  it('succeeds when a retry does, after one backoff', async () => {
    stub.script({ status: 503, body: META_ERRORS.somethingWentWrong }, OK);
    const { client, sleeps } = build();
    await expect(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!)).resolves.toEqual({
      wamid: 'wamid.OK',
      contactWaId: '573001234567',
    });
    expect(sleeps).toEqual([125]);
  });

  it('caps each backoff at maxDelayMs and draws it from the injected random source', async () => {
    stub.script(...Array.from({ length: 6 }, () => ({ status: 400, body: META_ERRORS.throughput })));
    const { client, sleeps } = build({
      random: () => 0.999,
      retry: { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 3000, maxElapsedMs: 60_000 },
    });
    await failure(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!));
    expect(sleeps).toEqual([999, 1998, 2997, 2997, 2997]);
  });

  it('waits about 6 s for that user after a 131056 pair rate limit, twice, then surfaces PairRateLimitError', async () => {
    // Prepare
    stub.script(...Array.from({ length: 3 }, () => ({ status: 400, body: META_ERRORS.pairRateLimit })), OK);
    const { client, sleeps } = build();
    // Act
    const error = await failure(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!));
    // Assess
    expect(error).toBeInstanceOf(PairRateLimitError);
    expect(error).toMatchObject({
      code: 'graph_pair_rate_limited',
      retryable: true,
      retryAfterMs: 6000,
      metaCode: 131056,
    });
    expect(stub.requests).toHaveLength(3);
    expect(sleeps).toEqual([6000, 6000]);
  });

  it('starts no retry that would end past the total time budget', async () => {
    stub.script(...Array.from({ length: 3 }, () => ({ status: 400, body: META_ERRORS.pairRateLimit })));
    const { client, sleeps } = build({ retry: { maxElapsedMs: 10_000 } });
    await expect(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!)).rejects.toBeInstanceOf(PairRateLimitError);
    expect(sleeps).toEqual([6000]);
    expect(stub.requests).toHaveLength(2);
  });

  it('retries a mark-as-read that times out, then reports graph_timeout', async () => {
    stub.script(...Array.from({ length: 2 }, () => ({ status: 200, body: { success: true }, delayMs: 500 })));
    const { client, sleeps } = build({ requestTimeoutMs: 50, retry: { maxAttempts: 2 } });
    const error = await failure(client.markRead(PHONE_NUMBER_ID, 'wamid.IN', { typing: true }));
    expect(error).toMatchObject({ code: 'graph_timeout', retryable: true, metaCode: undefined });
    expect(sleeps).toEqual([125]);
  });

  it('does not retry a send that times out: it may have gone out, and a retry could send it twice', async () => {
    stub.script({ ...OK, delayMs: 500 }, OK);
    const { client, sleeps } = build({ requestTimeoutMs: 50 });
    const error = await failure(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!));
    expect(error).toMatchObject({ code: 'graph_timeout', retryable: true, unreached: false });
    expect(certainlyNotSent(error)).toBe(false);
    expect(sleeps).toEqual([]);
    expect(stub.requests).toHaveLength(1);
  });

  it('retries when nothing listens, then reports graph_network with the reason', async () => {
    const gone = await startScriptedStub();
    await gone.close();
    const { client, sleeps } = build({ baseUrl: gone.url });
    const error = await failure(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!));
    expect(error).toMatchObject({ code: 'graph_network', retryable: true, unreached: true });
    expect(certainlyNotSent(error)).toBe(true);
    expect(error.message).toContain('ECONNREFUSED');
    expect(sleeps).toHaveLength(3);
  });

  it('never lets the access token into an error, even when Meta echoes it', async () => {
    // Prepare
    stub.script({
      status: 400,
      body: metaError(190, `Malformed access token ${TOKEN}`, `token ${TOKEN} for 573001234567`),
    });
    const { client } = build();
    // Act
    const error = await failure(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!));
    // Assess
    const everything = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('573001234567');
    expect(error.message).toContain('[redacted]');
  });

  it('does not retry a 200 with an unexpected body, since the message may have gone out', async () => {
    stub.script({ status: 200, body: { messaging_product: 'whatsapp', messages: [] } }, OK);
    const { client } = build();
    await expect(client.sendMessage(PHONE_NUMBER_ID, MESSAGE!)).rejects.toMatchObject({
      code: 'graph_unexpected_response',
      retryable: false,
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('refuses an invalid payload before any request', async () => {
    const { client } = build();
    const invalid = { ...MESSAGE!, text: { body: 'x'.repeat(4097) } };
    await expect(client.sendMessage(PHONE_NUMBER_ID, invalid)).rejects.toBeInstanceOf(MessageValidationError);
    expect(stub.requests).toHaveLength(0);
  });
});
