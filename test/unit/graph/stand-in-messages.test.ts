import {
  bodyParameters,
  list,
  reaction,
  replyButtons,
  template,
  text,
} from '../../../layers/core/whatsapp/graph/builders';
import { GraphClient } from '../../../layers/core/whatsapp/graph/client';
import { PairRateLimitError } from '../../../layers/core/whatsapp/graph/errors';
import type { OutboundMessage } from '../../../layers/core/whatsapp/graph/outbound-schema';
import type { GraphStandIn } from '../../../local/graph-stand-in';
import { ACCESS_TOKEN, PHONE_NUMBER_ID, postRaw, START, startStandIn, USER } from './stand-in-support';

const INBOUND_WAMID = 'wamid.HBgMNTczMDAxMjM0NTY3FQIAEhgUM0FGMQAA';
const WAMID_SHAPE = /^wamid\.[A-Za-z0-9+/]+=*$/;

let harness: Awaited<ReturnType<typeof startStandIn>>;
let standIn: GraphStandIn;
beforeEach(async () => {
  // Statuses far in the future: these tests look at what was accepted, not at webhooks.
  harness = await startStandIn({ statusDelaysMs: { sent: 60_000 } });
  standIn = harness.standIn;
  standIn.recordInbound(PHONE_NUMBER_ID, USER, START);
});
afterEach(() => standIn.close());

describe('Graph API stand-in: messages', () => {
  it.each<[string, OutboundMessage]>([
    ['a text', text(USER, 'Hola, José 🎉', { replyTo: INBOUND_WAMID })[0]!],
    [
      'reply buttons',
      replyButtons(USER, '¿Confirmo?', [
        { id: 'yes', title: 'Sí' },
        { id: 'no', title: 'No' },
      ]),
    ],
    ['a list', list(USER, 'Elige', 'Ver', [{ title: 'Hoy', rows: [{ id: 'r1', title: 'Llamar a Ana' }] }])],
    ['a template', template(USER, 'reminder_due', 'es', [bodyParameters('Ana')])],
    ['a reaction', reaction(USER, INBOUND_WAMID, '👍')],
  ])('accepts %s, assigns a wamid and records the exact body', async (_case, message) => {
    // Act
    const result = await harness.client.sendMessage(PHONE_NUMBER_ID, message);
    // Assess
    expect(result.wamid).toMatch(WAMID_SHAPE);
    expect(result.contactWaId).toBe(USER);
    expect(standIn.outbox()).toEqual([
      {
        wamid: result.wamid,
        phoneNumberId: PHONE_NUMBER_ID,
        to: USER,
        type: message.type,
        body: message,
        at: START.toISOString(),
        status: 'accepted',
      },
    ]);
  });

  it('gives every message its own wamid, naming the recipient inside as Meta does', async () => {
    const first = await harness.client.sendMessage(PHONE_NUMBER_ID, text(USER, 'uno')[0]!);
    const second = await harness.client.sendMessage(PHONE_NUMBER_ID, text(USER, 'dos')[0]!);
    expect(first.wamid).not.toBe(second.wamid);
    expect(Buffer.from(first.wamid.slice('wamid.'.length), 'base64').toString('latin1')).toContain(USER);
  });

  it.each([
    [
      'a 21-character button title',
      {
        ...replyButtons(USER, 'b', [{ id: 'a', title: 'ok' }]),
        interactive: {
          type: 'button',
          body: { text: 'b' },
          action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] },
        },
      },
      131009,
      'interactive.action.buttons.0.reply.title',
    ],
    [
      'eleven list rows',
      {
        ...list(USER, 'b', 'Ver', [{ rows: [{ id: 'r', title: 'r' }] }]),
        interactive: {
          type: 'list',
          body: { text: 'b' },
          action: {
            button: 'Ver',
            sections: [{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: 'Fila' })) }],
          },
        },
      },
      131009,
      'interactive.action.sections',
    ],
    ['a 4097-character text', { ...text(USER, 'x')[0]!, text: { body: 'x'.repeat(4097) } }, 100, 'text.body'],
    [
      'an unknown message type',
      { messaging_product: 'whatsapp', to: USER, type: 'carousel' },
      131051,
      'type',
    ],
    [
      'a message with no recipient',
      { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } },
      100,
      'to',
    ],
  ])('rejects %s with Meta error body and status', async (_case, body, code, path) => {
    // Act
    const answer = await postRaw(standIn.url, body);
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        message: expect.stringContaining(`(#${code})`),
        type: 'OAuthException',
        code,
        error_data: { messaging_product: 'whatsapp', details: expect.stringContaining(path) },
        fbtrace_id: expect.stringMatching(/^[\w-]{10,}$/),
      },
    });
    expect(standIn.outbox()).toEqual([]);
  });

  it('refuses a request without the right bearer token with error 190', async () => {
    const answer = await postRaw(standIn.url, text(USER, 'x')[0], 'wrong');
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
  });

  it('answers mark-as-read with success and records whether typing was shown', async () => {
    await harness.client.markRead(PHONE_NUMBER_ID, INBOUND_WAMID, { typing: true });
    expect(standIn.reads()).toEqual([
      { phoneNumberId: PHONE_NUMBER_ID, messageId: INBOUND_WAMID, typing: true, at: START.toISOString() },
    ]);
    expect(standIn.outbox()).toEqual([]);
  });

  it('lists the outbox oldest first, filtered by recipient and by an inclusive since', async () => {
    // Prepare
    const other = '14155550123';
    standIn.recordInbound(PHONE_NUMBER_ID, other, START);
    const send = async (to: string, body: string, offsetMs: number) => {
      harness.clock.at = START.getTime() + offsetMs;
      return (await harness.client.sendMessage(PHONE_NUMBER_ID, text(to, body)[0]!)).wamid;
    };
    const first = await send(USER, 'uno', 0);
    await send(other, 'otro', 1000);
    const third = await send(USER, 'tres', 2000);
    const since = new Date(START.getTime() + 1000).toISOString();
    // Act
    const all = standIn.outbox();
    const forUser = standIn.outbox({ to: USER });
    const recent = standIn.outbox({ to: USER, since });
    const overHttp = (await (
      await fetch(`${standIn.url}/local/outbox?to=${USER}&since=${encodeURIComponent(since)}`)
    ).json()) as unknown[];
    // Assess
    expect(all.map((entry) => entry.at)).toEqual(
      [0, 1000, 2000].map((ms) => new Date(START.getTime() + ms).toISOString()),
    );
    expect(forUser.map((entry) => entry.wamid)).toEqual([first, third]);
    expect(recent.map((entry) => entry.wamid)).toEqual([third]);
    expect(overHttp).toEqual(recent);
  });

  it('fails the next requests as asked, so the client retry path can be exercised', async () => {
    // Prepare
    standIn.failNext(2, { status: 503 });
    // Act
    const result = await harness.client.sendMessage(PHONE_NUMBER_ID, text(USER, 'hola')[0]!);
    // Assess
    expect(result.wamid).toMatch(WAMID_SHAPE);
    expect(harness.sleeps).toEqual([125, 250]);
    expect(standIn.outbox()).toHaveLength(1);
  });

  it('injects Meta error codes, e.g. a pair rate limit surfaced after the client waits twice', async () => {
    standIn.failNext(3, { metaCode: 131056 });
    await expect(harness.client.sendMessage(PHONE_NUMBER_ID, text(USER, 'hola')[0]!)).rejects.toBeInstanceOf(
      PairRateLimitError,
    );
    expect(harness.sleeps).toEqual([6000, 6000]);
  });

  it('delays the next request: a send that times out is reported, not retried, and the slow original goes out once', async () => {
    // Prepare
    const impatient = new GraphClient({
      apiVersion: 'v23.0',
      baseUrl: standIn.url,
      accessToken: () => Promise.resolve(ACCESS_TOKEN),
      requestTimeoutMs: 200,
      sleep: () => Promise.resolve(),
    });
    standIn.delayNext(600);
    // Act
    const sending = impatient.sendMessage(PHONE_NUMBER_ID, text(USER, 'hola')[0]!);
    // Assess: Meta has no idempotency key, so a retry could deliver it twice
    await expect(sending).rejects.toMatchObject({ code: 'graph_timeout', retryable: true });
    await standIn.close();
    expect(standIn.outbox().map((entry) => entry.body)).toEqual([text(USER, 'hola')[0]]);
  });
});
