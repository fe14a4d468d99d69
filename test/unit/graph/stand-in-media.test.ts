import { createHash } from 'node:crypto';
import { MediaUrlExpiredError } from '../../../layers/core/whatsapp/graph/errors';
import { MEDIA_URL_TTL_MS } from '../../../layers/core/whatsapp/graph/limits';
import { ACCESS_TOKEN, startStandIn } from './stand-in-support';

const VOICE_NOTE = Buffer.from('OggS\u0000\u0002 fake opus voice note');

let harness: Awaited<ReturnType<typeof startStandIn>>;
beforeEach(async () => {
  harness = await startStandIn();
});
afterEach(() => harness.standIn.close());

describe('Graph API stand-in: media', () => {
  it('describes registered media like Meta, with a base64 sha256', async () => {
    // Prepare
    const mediaId = harness.standIn.registerMedia(VOICE_NOTE, 'audio/ogg; codecs=opus');
    // Act
    const response = await fetch(`${harness.standIn.url}/v23.0/${mediaId}`, {
      headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
    });
    // Assess
    expect(mediaId).toMatch(/^\d{15,16}$/);
    expect(await response.json()).toEqual({
      messaging_product: 'whatsapp',
      url: expect.stringContaining(`${harness.standIn.url}/whatsapp_business/attachments/?mid=${mediaId}`),
      mime_type: 'audio/ogg; codecs=opus',
      sha256: createHash('sha256').update(VOICE_NOTE).digest('base64'),
      file_size: VOICE_NOTE.length,
      id: mediaId,
    });
  });

  it('serves the bytes through the two-step flow with the bearer token', async () => {
    const mediaId = harness.standIn.registerMedia(VOICE_NOTE, 'audio/ogg');
    const media = await harness.client.fetchMedia(mediaId);
    expect(Buffer.from(media.bytes).equals(VOICE_NOTE)).toBe(true);
    expect(media).toMatchObject({ mimeType: 'audio/ogg', fileSize: VOICE_NOTE.length });
  });

  it('refuses the download without the bearer token', async () => {
    const { url } = await harness.client.getMediaUrl(harness.standIn.registerMedia(VOICE_NOTE, 'audio/ogg'));
    expect((await fetch(url)).status).toBe(401);
  });

  it('expires a download URL after its TTL, and a fresh one works', async () => {
    // Prepare
    const mediaId = harness.standIn.registerMedia(VOICE_NOTE, 'audio/ogg');
    const stale = await harness.client.getMediaUrl(mediaId);
    harness.clock.at += MEDIA_URL_TTL_MS;
    // Act
    const expired = await harness.client.downloadMedia(stale.url).catch((error: unknown) => error);
    const fresh = await harness.client.getMediaUrl(mediaId);
    // Assess
    expect(expired).toBeInstanceOf(MediaUrlExpiredError);
    expect(fresh.url).not.toBe(stale.url);
    expect(Buffer.from(await harness.client.downloadMedia(fresh.url)).equals(VOICE_NOTE)).toBe(true);
  });

  it('answers an unknown media id with Meta error 100, subcode 33', async () => {
    await expect(harness.client.getMediaUrl('999999999999999')).rejects.toMatchObject({
      code: 'graph_invalid_parameter',
      metaCode: 100,
      metaSubcode: 33,
      retryable: false,
    });
  });
});
