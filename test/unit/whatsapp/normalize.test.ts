import fc from 'fast-check';
import type { InboundMessageEvent, StatusEvent, WebhookEvent } from '../../../layers/core/whatsapp/events';
import { parseWebhookEvent } from '../../../layers/core/whatsapp/event-schema';
import { isoTimeOfUnixSeconds, normalizeEnvelope } from '../../../layers/core/whatsapp/normalize';
import { envelopeSchema } from '../../../layers/core/whatsapp/webhook-schema';
import { fixtureBytes, fixtureNames } from '../../support/webhooks';

const receivedAt = new Date('2026-11-22T12:00:00Z');

const eventsOf = (fixture: string): WebhookEvent[] =>
  normalizeEnvelope(envelopeSchema.parse(JSON.parse(fixtureBytes(fixture).toString('utf8'))), receivedAt);

const onlyMessage = (fixture: string): InboundMessageEvent => {
  const events = eventsOf(fixture);
  expect(events).toHaveLength(1);
  expect(events[0]!.kind).toBe('message');
  return events[0] as InboundMessageEvent;
};

const onlyStatus = (fixture: string): StatusEvent => {
  const events = eventsOf(fixture);
  expect(events).toHaveLength(1);
  expect(events[0]!.kind).toBe('status');
  return events[0] as StatusEvent;
};

describe('webhook normalization', () => {
  it.each(fixtureNames())('turns the %s fixture into events without throwing', (fixture) => {
    expect(eventsOf(fixture).length).toBeGreaterThan(0);
  });

  it('carries tenant, user, profile name, Meta time and text for a text message', () => {
    const event = onlyMessage('text');
    expect(event).toEqual({
      kind: 'message',
      eventId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUYxTEXT',
      wamid: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUYxTEXT',
      tenant: { phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' },
      user: { key: '16505551234', waId: '16505551234' },
      profileName: 'Sheena Nelson',
      sentAt: '2025-11-22T12:00:00.000Z',
      content: { type: 'text', text: 'remind me tomorrow at 9 to call John' },
    });
  });

  it('decodes Meta-escaped accents and emoji into the text', () => {
    const event = onlyMessage('text-accents-emoji.meta-escaped.txt');
    expect(event.content).toEqual({
      type: 'text',
      text: 'Recuérdame mañana a las 9 llamar a José 🎉 — ¿sí? 50/50',
    });
    expect(event.profileName).toBe('José Núñez');
  });

  it.each(['image', 'audio', 'video', 'document', 'sticker'] as const)(
    'keeps the media id and type of %s',
    (type) => {
      const { content } = onlyMessage(type);
      expect(content).toMatchObject({ type: 'media', mediaType: type, mediaId: '1037543291543636' });
    },
  );

  it('marks a voice note and keeps a document filename and caption', () => {
    expect(onlyMessage('audio').content).toMatchObject({ voice: true, mimeType: 'audio/ogg; codecs=opus' });
    expect(onlyMessage('document').content).toMatchObject({ filename: 'invoice.pdf', caption: 'factura' });
  });

  it('normalizes location, contacts, order, reaction and system messages', () => {
    expect(onlyMessage('location').content).toMatchObject({ type: 'location', latitude: 40.782910059774 });
    expect(onlyMessage('contacts').content).toMatchObject({ type: 'contacts' });
    expect(onlyMessage('order').content).toMatchObject({ type: 'order', catalogId: '194836987003835' });
    expect(onlyMessage('reaction').content).toEqual({
      type: 'reaction',
      messageId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcE',
      emoji: '👍',
    });
    const system = onlyMessage('system');
    expect(system.content).toMatchObject({
      type: 'system',
      systemType: 'user_changed_number',
      newWaId: '16505559999',
    });
    expect(system.user.key).toBe('16505551234');
  });

  it('routes interactive replies by kind and keeps the replied-to wamid', () => {
    const button = onlyMessage('interactive-button-reply');
    expect(button.content).toEqual({
      type: 'interactive',
      reply: { kind: 'button', id: 'v1:rem:snooze:8f14e45f:10m', title: '10 min' },
    });
    expect(button.contextWamid).toBe('wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA');
    expect(onlyMessage('interactive-list-reply').content).toMatchObject({
      reply: { kind: 'list', id: 'v1:exp:cat:food', description: 'Restaurantes y mercado' },
    });
    expect(onlyMessage('interactive-nfm-reply').content).toMatchObject({
      reply: { kind: 'flow', name: 'flow', responseJson: expect.stringContaining('flow_token') },
    });
    expect(onlyMessage('button').content).toEqual({
      type: 'button',
      text: 'Done',
      payload: 'v1:rem:done:8f14e45f',
    });
  });

  it('keeps unknown and unsupported types whole as unsupported events', () => {
    const unknown = onlyMessage('unknown-type');
    expect(unknown.content).toMatchObject({
      type: 'unsupported',
      originalType: 'hologram',
      reason: 'unknown_type',
    });
    expect(unknown.content).toHaveProperty('raw.hologram.frames', 42);
    expect(onlyMessage('unsupported').content).toMatchObject({
      type: 'unsupported',
      originalType: 'unsupported',
    });
  });

  it('treats a known type with broken fields as unsupported instead of failing the delivery', () => {
    const envelope = JSON.parse(fixtureBytes('image').toString('utf8'));
    delete envelope.entry[0].changes[0].value.messages[0].image.id;
    const [event] = normalizeEnvelope(envelopeSchema.parse(envelope), receivedAt);
    expect(event).toMatchObject({ kind: 'message', content: { type: 'unsupported', reason: 'malformed' } });
  });

  it.each([
    ['1763812800', '2025-11-22T12:00:00.000Z'],
    ['1763812800.25', '2025-11-22T12:00:00.250Z'],
    ['8640000000000', '+275760-09-13T00:00:00.000Z'],
    ['8640000000001', receivedAt.toISOString()],
    ['99999999999999', receivedAt.toISOString()],
    ['0', receivedAt.toISOString()],
    ['soon', receivedAt.toISOString()],
  ])('dates a message sent at timestamp %s as %s, never failing the delivery', (timestamp, sentAt) => {
    const envelope = JSON.parse(fixtureBytes('text').toString('utf8'));
    envelope.entry[0].changes[0].value.messages[0].timestamp = timestamp;
    const [event] = normalizeEnvelope(envelopeSchema.parse(envelope), receivedAt);
    expect(event).toMatchObject({ kind: 'message', sentAt });
  });

  it('formats whole seconds exactly as Date#toISOString does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8.64e12 }), fc.integer({ min: 1, max: 8.64e12 }), (a, b) => {
        // Two in a row: the second may or may not share the first's day.
        expect([isoTimeOfUnixSeconds(a), isoTimeOfUnixSeconds(b)]).toEqual([
          new Date(a * 1000).toISOString(),
          new Date(b * 1000).toISOString(),
        ]);
      }),
      { numRuns: 5000 },
    );
    expect(isoTimeOfUnixSeconds(1_763_855_999)).toBe('2025-11-22T23:59:59.000Z');
    expect(isoTimeOfUnixSeconds(1_763_856_000)).toBe('2025-11-23T00:00:00.000Z');
  });

  it('identifies a username user by the business-scoped id when wa_id is empty', () => {
    const event = onlyMessage('text-username-bsuid');
    expect(event.user).toEqual({
      key: 'CO.13491208655302741918',
      bsuid: 'CO.13491208655302741918',
      parentBsuid: 'CO.ENT.11815799212886844830',
      username: '@lucia',
    });
    expect(event.profileName).toBe('Lucía');
  });

  it('gives each status an event id of wamid:status, with pricing and errors', () => {
    const sent = onlyStatus('status-sent');
    expect(sent).toMatchObject({
      eventId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA:sent',
      status: 'sent',
      user: { key: '16505551234' },
      pricing: { category: 'utility', type: 'regular', pricingModel: 'PMP' },
    });
    expect(onlyStatus('status-failed').errors).toEqual([
      expect.objectContaining({
        code: 131047,
        title: 'Re-engagement message',
        details: expect.stringContaining('24 hours'),
      }),
    ]);
    expect(onlyStatus('status-with-contacts-bsuid').user).toMatchObject({ key: 'CO.13491208655302741918' });
  });

  it('keeps non-message changes as account events', () => {
    const [event] = eventsOf('account-update');
    expect(event).toMatchObject({ kind: 'account', field: 'message_template_status_update' });
  });

  it('splits one delivery with two users into two events with their own identities', () => {
    const events = eventsOf('batch-two-users') as InboundMessageEvent[];
    expect(events.map((event) => [event.user.key, event.profileName])).toEqual([
      ['573001112233', 'Ana'],
      ['447700900123', 'Bob'],
    ]);
  });
});

describe('queue event schema', () => {
  it.each(fixtureNames())('accepts every event the ingress produces from the %s fixture', (fixture) => {
    for (const event of eventsOf(fixture)) {
      expect(parseWebhookEvent(JSON.stringify(event))).toEqual({
        ok: true,
        event: JSON.parse(JSON.stringify(event)),
      });
    }
  });

  it.each([
    ['not JSON', '{oops'],
    ['an unknown kind', '{"kind":"telegram","eventId":"x"}'],
    ['a message without a wamid', JSON.stringify({ ...onlyMessage('text'), wamid: '' })],
  ])('rejects %s with a reason', (_case, body) => {
    const result = parseWebhookEvent(body);
    expect(result.ok).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringMatching(/queue body/));
  });
});
