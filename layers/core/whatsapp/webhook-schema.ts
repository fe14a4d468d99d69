import * as z from 'zod/mini';
import { compiledLooseObject } from './compiled-object';

/**
 * Meta's webhook envelope (FACTS.md "Meta webhook"). Objects are loose: Meta adds fields without
 * notice (v25 added the business-scoped user ids), and a new field must never turn a delivery into
 * an error that Meta retries for seven days. They are compiled (`compiled-object.ts`): every webhook
 * runs a dozen of them.
 *
 * The envelope is validated as a whole, but each message is parsed on its own
 * (`inboundMessageSchema`) so one malformed or unknown message becomes an "unsupported"
 * event instead of failing its neighbours.
 */

const optionalString = z.optional(z.string());

export const contactSchema = compiledLooseObject({
  wa_id: optionalString,
  user_id: optionalString,
  parent_user_id: optionalString,
  profile: z.optional(compiledLooseObject({ name: optionalString, username: optionalString })),
});

export const metadataSchema = compiledLooseObject({
  display_phone_number: optionalString,
  phone_number_id: z.string().check(z.minLength(1)),
});

const statusErrorSchema = compiledLooseObject({
  code: z.number(),
  title: optionalString,
  message: optionalString,
  error_data: z.optional(compiledLooseObject({ details: optionalString })),
});

export const statusSchema = compiledLooseObject({
  id: z.string().check(z.minLength(1)),
  status: z.string().check(z.minLength(1)),
  timestamp: z.string(),
  recipient_id: optionalString,
  recipient_user_id: optionalString,
  parent_recipient_user_id: optionalString,
  errors: z.optional(z.array(statusErrorSchema)),
  pricing: z.optional(
    compiledLooseObject({
      type: optionalString,
      category: optionalString,
      pricing_model: optionalString,
      billable: z.optional(z.boolean()),
    }),
  ),
  conversation: z.optional(compiledLooseObject({ id: optionalString })),
});
export type WebhookStatus = z.infer<typeof statusSchema>;

export const changeValueSchema = compiledLooseObject({
  messaging_product: optionalString,
  metadata: z.optional(metadataSchema),
  contacts: z.optional(z.array(contactSchema)),
  messages: z.optional(z.array(z.unknown())),
  statuses: z.optional(z.array(z.unknown())),
});

export const envelopeSchema = compiledLooseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    compiledLooseObject({
      id: z.string(),
      changes: z.array(compiledLooseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});
export type WebhookEnvelope = z.infer<typeof envelopeSchema>;

const mediaBodySchema = compiledLooseObject({
  id: z.string().check(z.minLength(1)),
  mime_type: z.string(),
  sha256: optionalString,
  caption: optionalString,
  filename: optionalString,
  voice: z.optional(z.boolean()),
  animated: z.optional(z.boolean()),
});

export type MediaBody = z.infer<typeof mediaBodySchema>;

const messageBase = {
  id: z.string().check(z.minLength(1)),
  timestamp: z.string(),
  from: optionalString,
  from_user_id: optionalString,
  from_parent_user_id: optionalString,
  context: z.optional(compiledLooseObject({ id: optionalString, from: optionalString })),
};

const withType = <T extends string, S extends Record<string, z.ZodMiniType>>(type: T, shape: S) =>
  compiledLooseObject({ ...messageBase, type: z.literal(type), ...shape });

export const mediaTypes = ['image', 'audio', 'video', 'document', 'sticker'] as const;
export type MediaType = (typeof mediaTypes)[number];

export const inboundMessageSchema = z.discriminatedUnion('type', [
  withType('text', { text: compiledLooseObject({ body: z.string() }) }),
  withType('image', { image: mediaBodySchema }),
  withType('audio', { audio: mediaBodySchema }),
  withType('video', { video: mediaBodySchema }),
  withType('document', { document: mediaBodySchema }),
  withType('sticker', { sticker: mediaBodySchema }),
  withType('location', {
    location: compiledLooseObject({
      latitude: z.number(),
      longitude: z.number(),
      name: optionalString,
      address: optionalString,
      url: optionalString,
    }),
  }),
  withType('contacts', { contacts: z.array(compiledLooseObject({})) }),
  withType('interactive', {
    interactive: z.discriminatedUnion('type', [
      compiledLooseObject({
        type: z.literal('button_reply'),
        button_reply: compiledLooseObject({ id: z.string(), title: z.string() }),
      }),
      compiledLooseObject({
        type: z.literal('list_reply'),
        list_reply: compiledLooseObject({ id: z.string(), title: z.string(), description: optionalString }),
      }),
      compiledLooseObject({
        type: z.literal('nfm_reply'),
        nfm_reply: compiledLooseObject({
          name: optionalString,
          body: optionalString,
          response_json: z.string(),
        }),
      }),
    ]),
  }),
  withType('button', { button: compiledLooseObject({ text: z.string(), payload: optionalString }) }),
  withType('reaction', { reaction: compiledLooseObject({ message_id: z.string(), emoji: optionalString }) }),
  withType('order', {
    order: compiledLooseObject({
      catalog_id: z.string(),
      text: optionalString,
      product_items: z.array(compiledLooseObject({})),
    }),
  }),
  withType('system', {
    system: compiledLooseObject({ body: optionalString, type: optionalString, wa_id: optionalString }),
  }),
]);
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/** The fields every message has, known type or not: enough to identify, order and store it. */
export const messageHeaderSchema = compiledLooseObject({ ...messageBase, type: optionalString });
export type MessageHeader = z.infer<typeof messageHeaderSchema>;
