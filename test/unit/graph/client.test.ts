import { createHash } from 'node:crypto';
import { text } from '../../../layers/core/whatsapp/graph/builders';
import { GraphClient } from '../../../layers/core/whatsapp/graph/client';
import { MediaUrlExpiredError } from '../../../layers/core/whatsapp/graph/errors';
import { type ScriptedStub, startScriptedStub } from './support';

const PHONE_NUMBER_ID = '106540352242922';
const TOKEN = 'EAAGtestTOKEN0123456789secret';
const BYTES = Buffer.from('OggS fake opus voice note');
const SHA256 = createHash('sha256').update(BYTES).digest('base64');

let stub: ScriptedStub;
beforeEach(async () => {
  stub = await startScriptedStub();
});
afterEach(() => stub.close());

const client = () =>
  new GraphClient({
    apiVersion: 'v23.0',
    baseUrl: `${stub.url}/`,
    accessToken: () => Promise.resolve(TOKEN),
    sleep: () => Promise.resolve(),
  });

const mediaAnswer = (path: string, sha256 = SHA256) => ({
  status: 200,
  body: {
    messaging_product: 'whatsapp',
    url: `${stub.url}${path}`,
    mime_type: 'audio/ogg',
    sha256,
    file_size: String(BYTES.length),
    id: '1234567890',
  },
});

describe('Graph client', () => {
  it('posts the message to the pinned version with the bearer token and returns the wamid', async () => {
    // Prepare
    const [message] = text('573001234567', 'Hola, ¿qué tal?');
    stub.script({
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: '573001234567', wa_id: '573001234567' }],
        messages: [{ id: 'wamid.HBgM', message_status: 'accepted' }],
      },
    });
    // Act
    const result = await client().sendMessage(PHONE_NUMBER_ID, message!);
    // Assess
    expect(result).toEqual({ wamid: 'wamid.HBgM', contactWaId: '573001234567' });
    const [request] = stub.requests;
    expect(request).toMatchObject({ method: 'POST', url: `/v23.0/${PHONE_NUMBER_ID}/messages` });
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual(message);
  });

  it('returns the BSUID Meta resolved when the send had no phone number', async () => {
    const [message] = text('CO.13491208655302741918', 'Hola');
    stub.script({
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: 'CO.13491208655302741918', user_id: 'CO.13491208655302741918' }],
        messages: [{ id: 'wamid.B' }],
      },
    });
    await expect(client().sendMessage(PHONE_NUMBER_ID, message!)).resolves.toEqual({
      wamid: 'wamid.B',
      contactUserId: 'CO.13491208655302741918',
    });
  });

  it('marks a message read, with the typing indicator only when asked', async () => {
    stub.script({ status: 200, body: { success: true } }, { status: 200, body: { success: true } });
    await client().markRead(PHONE_NUMBER_ID, 'wamid.IN', { typing: true });
    await client().markRead(PHONE_NUMBER_ID, 'wamid.IN', { typing: false });
    expect(stub.requests.map((request) => JSON.parse(request.body))).toEqual([
      {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: 'wamid.IN',
        typing_indicator: { type: 'text' },
      },
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN' },
    ]);
  });

  it('fetches media in two steps, both with the bearer token', async () => {
    // Prepare
    stub.script(mediaAnswer('/media/1?hash=a'), { status: 200, body: BYTES, contentType: 'audio/ogg' });
    // Act
    const media = await client().fetchMedia('1234567890');
    // Assess
    expect(media).toEqual({
      bytes: new Uint8Array(BYTES),
      mimeType: 'audio/ogg',
      sha256: SHA256,
      fileSize: BYTES.length,
    });
    expect(
      stub.requests.map((request) => [request.method, request.url, request.headers.authorization]),
    ).toEqual([
      ['GET', '/v23.0/1234567890', `Bearer ${TOKEN}`],
      ['GET', '/media/1?hash=a', `Bearer ${TOKEN}`],
    ]);
  });

  it('asks for a fresh URL once when the first one has expired', async () => {
    stub.script(
      mediaAnswer('/media/1?hash=old'),
      { status: 404, body: 'Not Found' },
      mediaAnswer('/media/1?hash=new'),
      { status: 200, body: BYTES },
    );
    await expect(client().fetchMedia('1234567890')).resolves.toMatchObject({ fileSize: BYTES.length });
    expect(stub.requests.map((request) => request.url)).toEqual([
      '/v23.0/1234567890',
      '/media/1?hash=old',
      '/v23.0/1234567890',
      '/media/1?hash=new',
    ]);
  });

  it('reports an expired URL from downloadMedia as MediaUrlExpiredError, without retrying it', async () => {
    stub.script({ status: 404, body: 'Not Found' });
    await expect(client().downloadMedia(`${stub.url}/media/1`)).rejects.toBeInstanceOf(MediaUrlExpiredError);
    expect(stub.requests).toHaveLength(1);
  });

  it('rejects media whose bytes do not match the sha256 Meta reported', async () => {
    stub.script(mediaAnswer('/media/1', createHash('sha256').update('other').digest('base64')), {
      status: 200,
      body: BYTES,
    });
    await expect(client().fetchMedia('1234567890')).rejects.toMatchObject({ code: 'graph_media_corrupt' });
  });

  it('refuses a file Meta reports as larger than maxBytes, without downloading it', async () => {
    stub.script(mediaAnswer('/media/1'));
    await expect(client().fetchMedia('1234567890', { maxBytes: BYTES.length - 1 })).rejects.toMatchObject({
      code: 'graph_media_too_large',
      retryable: false,
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('accepts a file of exactly maxBytes', async () => {
    stub.script(mediaAnswer('/media/1'), { status: 200, body: BYTES });
    await expect(client().fetchMedia('1234567890', { maxBytes: BYTES.length })).resolves.toMatchObject({
      fileSize: BYTES.length,
    });
  });

  it('stops reading a download that grows past maxBytes, whatever size Meta reported', async () => {
    const big = Buffer.alloc(64 * 1024, 1);
    stub.script(mediaAnswer('/media/1'), { status: 200, body: big });
    await expect(client().fetchMedia('1234567890', { maxBytes: 1024 })).rejects.toMatchObject({
      code: 'graph_media_too_large',
    });
  });

  it('checks the bytes against the sha256 of the webhook too', async () => {
    stub.script(mediaAnswer('/media/1'), { status: 200, body: BYTES });
    const hex = createHash('sha256').update(BYTES).digest('hex');
    stub.script(mediaAnswer('/media/2'), { status: 200, body: BYTES });
    await expect(client().fetchMedia('1234567890', { expectedSha256: hex })).resolves.toMatchObject({
      sha256: SHA256,
    });
    await expect(
      client().fetchMedia('1234567890', {
        expectedSha256: createHash('sha256').update('x').digest('base64'),
      }),
    ).rejects.toMatchObject({ code: 'graph_media_corrupt' });
  });

  it('never sends the token to a host that is neither Meta nor the configured base URL', async () => {
    await expect(client().downloadMedia('https://attacker.example/x')).rejects.toMatchObject({
      code: 'graph_media_host_untrusted',
    });
    await expect(client().downloadMedia('http://lookaside.fbsbx.com/x')).rejects.toMatchObject({
      code: 'graph_media_host_untrusted',
    });
    expect(stub.requests).toHaveLength(0);
  });
});
