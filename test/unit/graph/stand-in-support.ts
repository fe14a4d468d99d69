import { GraphClient } from '../../../layers/core/whatsapp/graph/client';
import { GraphStandIn, type GraphStandInOptions } from '../../../local/graph-stand-in';

export const PHONE_NUMBER_ID = '106540352242922';
export const ACCESS_TOKEN = 'EAAGlocalTOKENstandin0123';
export const APP_SECRET = 'stand-in-app-secret';
export const USER = '573001234567';
export const START = new Date('2026-11-22T14:00:00Z');

export interface Delivery {
  body: Buffer;
  signature: string;
}

/** A stand-in on a loopback port with a settable clock, capturing the webhooks it emits. */
export const startStandIn = async (options: Partial<GraphStandInOptions> = {}) => {
  const clock = { at: START.getTime(), now: () => new Date(clock.at) };
  const deliveries: Delivery[] = [];
  const standIn = await GraphStandIn.start({
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    clock,
    statusDelaysMs: { sent: 1, delivered: 1, read: 1 },
    deliverWebhook: (body, signature) => {
      deliveries.push({ body, signature });
      return Promise.resolve();
    },
    ...options,
  });
  const sleeps: number[] = [];
  const client = new GraphClient({
    apiVersion: 'v23.0',
    baseUrl: standIn.url,
    accessToken: () => Promise.resolve(ACCESS_TOKEN),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
  });
  return { standIn, client, clock, deliveries, sleeps };
};

/** Posts a raw body, bypassing the client's own validation, to see what the stand-in answers. */
export const postRaw = async (baseUrl: string, body: unknown, token = ACCESS_TOKEN) => {
  const response = await fetch(`${baseUrl}/v23.0/${PHONE_NUMBER_ID}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, never> };
};
