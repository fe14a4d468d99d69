import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StatusEvent } from '../../../layers/core/whatsapp/events';
import { reaction, template, text } from '../../../layers/core/whatsapp/graph/builders';
import { CUSTOMER_SERVICE_WINDOW_MS } from '../../../layers/core/whatsapp/graph/limits';
import { normalizeEnvelope } from '../../../layers/core/whatsapp/normalize';
import { isValidSignature } from '../../../layers/core/whatsapp/signature';
import { envelopeSchema } from '../../../layers/core/whatsapp/webhook-schema';
import { metaJson } from '../../../local/graph-stand-in';
import { fixtureBytes } from '../../support/webhooks';
import { APP_SECRET, type Delivery, PHONE_NUMBER_ID, START, startStandIn, USER } from './stand-in-support';

const BSUID = 'CO.13491208655302741918';

/** Verifies, parses and normalizes each delivered webhook, as the ingress does. */
const statusEvents = (deliveries: Delivery[]): StatusEvent[] =>
  deliveries.flatMap(({ body, signature }) => {
    expect(isValidSignature(body, signature, APP_SECRET)).toBe(true);
    const envelope = envelopeSchema.parse(JSON.parse(body.toString('utf8')));
    return normalizeEnvelope(envelope, START).filter(
      (event): event is StatusEvent => event.kind === 'status',
    );
  });

let harness: Awaited<ReturnType<typeof startStandIn>>;
beforeEach(async () => {
  harness = await startStandIn();
});
afterEach(() => harness.standIn.close());

describe('Graph API stand-in: status webhooks', () => {
  it('emits signed sent, delivered and read webhooks that the ingress accepts, in order', async () => {
    // Prepare
    harness.standIn.recordInbound(PHONE_NUMBER_ID, USER, START);
    // Act
    const { wamid } = await harness.client.sendMessage(PHONE_NUMBER_ID, text(USER, 'Listo ✅')[0]!);
    await harness.standIn.settled();
    // Assess
    const events = statusEvents(harness.deliveries);
    expect(events.map((event) => event.status)).toEqual(['sent', 'delivered', 'read']);
    expect(events[0]).toMatchObject({
      kind: 'status',
      eventId: `${wamid}:sent`,
      wamid,
      tenant: { phoneNumberId: PHONE_NUMBER_ID },
      user: { key: USER, waId: USER },
      sentAt: START.toISOString(),
      errors: [],
      pricing: { type: 'free_customer_service', category: 'service', pricingModel: 'PMP' },
    });
    expect(harness.standIn.outbox()[0]?.status).toBe('read');
  });

  it('accepts a non-template message outside the 24 h window, then reports 131047 in a failed status', async () => {
    // Prepare: the user last wrote 24 h and one second ago
    harness.standIn.recordInbound(PHONE_NUMBER_ID, USER, START);
    harness.clock.at = START.getTime() + CUSTOMER_SERVICE_WINDOW_MS + 1000;
    // Act
    const { wamid } = await harness.client.sendMessage(PHONE_NUMBER_ID, text(USER, '¿Sigues ahí?')[0]!);
    await harness.standIn.settled();
    // Assess
    const events = statusEvents(harness.deliveries);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      wamid,
      status: 'failed',
      errors: [
        { code: 131047, title: 'Re-engagement message', details: expect.stringContaining('24 hours') },
      ],
    });
    expect(harness.standIn.outbox()[0]).toMatchObject({ wamid, status: 'failed', errorCode: 131047 });
    // Meta escapes "/" in the href it sends
    expect(harness.deliveries[0]?.body.toString('utf8')).toContain('https:\\/\\/developers.facebook.com');
  });

  it('delivers a template outside the window', async () => {
    await harness.client.sendMessage(PHONE_NUMBER_ID, template(USER, 'reminder_due', 'es'));
    await harness.standIn.settled();
    const events = statusEvents(harness.deliveries);
    expect(events.map((event) => event.status)).toEqual(['sent', 'delivered', 'read']);
    expect(events[0]?.pricing).toEqual({ type: 'regular', category: 'utility', pricingModel: 'PMP' });
  });

  it('reports only sent for a reaction, as Meta does', async () => {
    harness.standIn.recordInbound(PHONE_NUMBER_ID, USER, START);
    await harness.client.sendMessage(PHONE_NUMBER_ID, reaction(USER, 'wamid.IN', '👍'));
    await harness.standIn.settled();
    expect(statusEvents(harness.deliveries).map((event) => event.status)).toEqual(['sent']);
  });

  it('addresses a BSUID through recipient and carries both ids in statuses once the user is known', async () => {
    // Prepare
    harness.standIn.recordInbound(PHONE_NUMBER_ID, { waId: USER, bsuid: BSUID }, START);
    // Act
    const result = await harness.client.sendMessage(PHONE_NUMBER_ID, text(BSUID, 'Hola')[0]!);
    await harness.standIn.settled();
    // Assess
    expect(result).toEqual({ wamid: expect.any(String), contactUserId: BSUID });
    expect(statusEvents(harness.deliveries)[0]?.user).toEqual({ key: USER, waId: USER, bsuid: BSUID });
    expect(harness.standIn.outbox({ to: USER })).toHaveLength(1);
  });

  it('serialises bodies exactly as Meta does: compact, non-ASCII as \\uXXXX, "/" as "\\/"', () => {
    const metaBytes = fixtureBytes('text-accents-emoji.meta-escaped.txt');
    expect(metaJson(JSON.parse(metaBytes.toString('utf8'))).equals(metaBytes)).toBe(true);
  });

  it('posts to a webhook URL with the signature header when given one', async () => {
    // Prepare: a loopback receiver
    const received: { body: Buffer; signature: string | undefined }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          body: Buffer.concat(chunks),
          signature: request.headers['x-hub-signature-256'] as string,
        });
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    const posting = await startStandIn({
      webhookUrl: `http://127.0.0.1:${port}/webhook`,
      deliverWebhook: undefined,
    });
    // Act
    await posting.client.sendMessage(PHONE_NUMBER_ID, template(USER, 'reminder_due', 'es'));
    await posting.standIn.settled();
    await posting.standIn.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    // Assess
    expect(received).toHaveLength(3);
    for (const { body, signature } of received)
      expect(isValidSignature(body, signature, APP_SECRET)).toBe(true);
  });

  it('on close, awaits a delivery in progress and drops statuses not yet due', async () => {
    // Prepare: a receiver that finishes only when told to, and a long wait before "delivered"
    let started!: () => void;
    const deliveryStarted = new Promise<void>((resolve) => (started = resolve));
    let finished = 0;
    const slow = await startStandIn({
      statusDelaysMs: { sent: 0, delivered: 60_000 },
      deliverWebhook: () => {
        started();
        return new Promise((resolve) =>
          setTimeout(() => {
            finished += 1;
            resolve();
          }, 50),
        );
      },
    });
    await slow.client.sendMessage(PHONE_NUMBER_ID, template(USER, 'reminder_due', 'es'));
    await deliveryStarted;
    // Act
    await slow.standIn.close();
    // Assess
    expect(finished).toBe(1);
    expect(slow.standIn.outbox()[0]?.status).toBe('sent');
  });

  it('retries a failing webhook receiver a few times, then records the failure', async () => {
    let attempts = 0;
    const failing = await startStandIn({
      deliverWebhook: () => {
        attempts += 1;
        return Promise.reject(new Error('webhook answered HTTP 500'));
      },
    });
    await failing.client.sendMessage(PHONE_NUMBER_ID, template(USER, 'reminder_due', 'es'));
    await failing.standIn.settled();
    await failing.standIn.close();
    expect(attempts).toBe(9);
    expect(failing.standIn.webhookFailures).toEqual(
      Array.from({ length: 3 }, () => 'webhook answered HTTP 500'),
    );
  });
});
