import * as z from 'zod/mini';
import type { WebhookEvent } from './events';
import { mediaTypes } from './webhook-schema';

/**
 * The queue boundary: what the processor accepts from SQS. The ingress wrote these bodies, but a
 * redrive, a manual send or an older deploy may not have — so they are parsed, not trusted.
 */
const optionalString = z.optional(z.string());
const tenantSchema = z.object({
  phoneNumberId: z.string().check(z.minLength(1)),
  displayPhoneNumber: optionalString,
});
const userSchema = z.object({
  key: z.string().check(z.minLength(1)),
  waId: optionalString,
  bsuid: optionalString,
  parentBsuid: optionalString,
  username: optionalString,
});

const contentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('media'),
    mediaType: z.enum(mediaTypes),
    mediaId: z.string(),
    mimeType: z.string(),
    sha256: optionalString,
    caption: optionalString,
    filename: optionalString,
    voice: z.optional(z.boolean()),
  }),
  z.object({
    type: z.literal('location'),
    latitude: z.number(),
    longitude: z.number(),
    name: optionalString,
    address: optionalString,
  }),
  z.object({ type: z.literal('contacts'), contacts: z.array(z.unknown()) }),
  z.object({
    type: z.literal('interactive'),
    reply: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('button'), id: z.string(), title: z.string() }),
      z.object({ kind: z.literal('list'), id: z.string(), title: z.string(), description: optionalString }),
      z.object({
        kind: z.literal('flow'),
        name: optionalString,
        body: optionalString,
        responseJson: z.string(),
      }),
    ]),
  }),
  z.object({ type: z.literal('button'), text: z.string(), payload: optionalString }),
  z.object({ type: z.literal('reaction'), messageId: z.string(), emoji: optionalString }),
  z.object({
    type: z.literal('order'),
    catalogId: z.string(),
    text: optionalString,
    items: z.array(z.unknown()),
  }),
  z.object({
    type: z.literal('system'),
    systemType: optionalString,
    body: optionalString,
    newWaId: optionalString,
  }),
  z.object({
    type: z.literal('unsupported'),
    originalType: z.string(),
    reason: z.string(),
    raw: z.unknown(),
  }),
]);

const isoTime = z.iso.datetime();

export const webhookEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('message'),
    eventId: z.string(),
    wamid: z.string().check(z.minLength(1)),
    tenant: tenantSchema,
    user: userSchema,
    profileName: optionalString,
    sentAt: isoTime,
    contextWamid: optionalString,
    content: contentSchema,
  }),
  z.object({
    kind: z.literal('status'),
    eventId: z.string(),
    wamid: z.string().check(z.minLength(1)),
    status: z.string(),
    tenant: tenantSchema,
    user: userSchema,
    sentAt: isoTime,
    errors: z.array(
      z.object({ code: z.number(), title: optionalString, message: optionalString, details: optionalString }),
    ),
    pricing: z.optional(
      z.object({ type: optionalString, category: optionalString, pricingModel: optionalString }),
    ),
  }),
  z.object({
    kind: z.literal('account'),
    eventId: z.string(),
    businessAccountId: z.string(),
    field: z.string(),
    value: z.unknown(),
  }),
]);

/** Parses a queue body; the result type is the very `WebhookEvent` the ingress produced. */
export const parseWebhookEvent = (
  body: string,
): { ok: true; event: WebhookEvent } | { ok: false; reason: string } => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'queue body is not JSON' };
  }
  const parsed = webhookEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return { ok: false, reason: `queue body is not a webhook event (${issues.join('; ')})` };
  }
  const event: WebhookEvent = parsed.data;
  return { ok: true, event };
};
