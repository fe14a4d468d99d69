import type { SimulatedUser, SimulatorConfig } from './types';

/** A tapped reply button or list row, echoing the id and title the business sent. */
export type InteractiveReply =
  | { type: 'button_reply'; button_reply: { id: string; title: string } }
  | { type: 'list_reply'; list_reply: { id: string; title: string; description?: string | undefined } };

/** The `type`-specific part of an inbound message, as Meta sends it (FACTS.md "Meta webhook"). */
export type InboundContent =
  | { type: 'text'; text: { body: string } }
  | { type: 'interactive'; interactive: InteractiveReply }
  | { type: 'image'; image: { id: string; mime_type: string; sha256: string; caption?: string } }
  | { type: 'audio'; audio: { id: string; mime_type: string; sha256: string; voice: boolean } };

export interface InboundMessage {
  wamid: string;
  sentAt: Date;
  content: InboundContent;
  /** The business message being answered; Meta sets `context.from` to the business number. */
  contextWamid?: string;
}

/**
 * JSON as Meta serialises webhook bodies: compact, every non-ASCII UTF-16 unit as a lowercase
 * `\uXXXX` escape and `/` as `\/` (`ä` arrives as `\u00e4`, `🎉` as `\ud83c\udf89`). Receivers
 * must hash these exact bytes; a body signed in any other serialisation would hide the bug of
 * re-serialising before verifying.
 */
export const metaJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

/** `sha256=<hex>` of the HMAC-SHA256 of the exact bytes, keyed with the app secret — as Meta signs. */
export const signBody = async (body: Uint8Array<ArrayBuffer>, appSecret: string): Promise<string> => {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(appSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return `sha256=${hex(await crypto.subtle.sign('HMAC', key, body))}`;
};

/** base64 of the SHA-256 of the bytes, as Meta reports media in webhooks. */
export const sha256Base64 = async (bytes: ArrayBuffer): Promise<string> =>
  btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))));

/**
 * An id shaped like an inbound wamid (`wamid.` + base64 of a record naming the sender and a
 * 20-character id, as in captured payloads). Nothing may parse it; the shape keeps length
 * limits and log masking honest.
 */
export const newInboundWamid = (waId: string): string => {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  )
    .join('')
    .toUpperCase();
  const record = [
    String.fromCharCode(0x1c, 0x18, waId.length),
    waId,
    String.fromCharCode(0x15, 0x02, 0x00, 0x12, 0x18, id.length),
    id,
    String.fromCharCode(0x00),
  ].join('');
  return `wamid.${btoa(record)}`;
};

/** The business number a webhook is addressed to. */
export type BusinessNumber = Pick<
  SimulatorConfig,
  'businessAccountId' | 'displayPhoneNumber' | 'phoneNumberId'
>;

/**
 * The webhook Meta POSTs when `user` sends `message` to the business number in `config`. The one builder
 * of inbound webhooks: the simulator, the tests, the load script and the benchmarks all send these.
 */
export const messageWebhook = (
  config: BusinessNumber,
  user: Pick<SimulatedUser, 'name' | 'waId'>,
  message: InboundMessage,
) => {
  const { type, ...payload } = message.content;
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: config.businessAccountId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: config.displayPhoneNumber,
                phone_number_id: config.phoneNumberId,
              },
              contacts: [{ profile: { name: user.name }, wa_id: user.waId }],
              messages: [
                {
                  from: user.waId,
                  id: message.wamid,
                  timestamp: String(Math.floor(message.sentAt.getTime() / 1000)),
                  type,
                  ...(message.contextWamid !== undefined && {
                    context: { from: config.displayPhoneNumber, id: message.contextWamid },
                  }),
                  ...payload,
                },
              ],
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
};

/** The signed request the simulator POSTs to `/webhook`. */
export const signedWebhook = async (
  config: SimulatorConfig,
  user: SimulatedUser,
  message: InboundMessage,
): Promise<{ body: Uint8Array<ArrayBuffer>; signature: string }> => {
  const body = new TextEncoder().encode(metaJson(messageWebhook(config, user, message)));
  return { body, signature: await signBody(body, config.appSecret) };
};
