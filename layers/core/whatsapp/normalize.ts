import { createHash } from 'node:crypto';
import type * as z from 'zod/mini';
import {
  type AccountEvent,
  type InboundContent,
  type InboundMessageEvent,
  type StatusEvent,
  type Tenant,
  UNKNOWN_USER_KEY,
  type UserIdentity,
  type WebhookEvent,
} from './events';
import {
  changeValueSchema,
  type InboundMessage,
  inboundMessageSchema,
  type MediaBody,
  type MediaType,
  type MessageHeader,
  messageHeaderSchema,
  mediaTypes,
  statusSchema,
  type WebhookEnvelope,
} from './webhook-schema';

type Contact = NonNullable<z.infer<typeof changeValueSchema>['contacts']>[number];

const SECONDS_PER_DAY = 86_400;
const twoDigits = (value: number): string => (value < 10 ? `0${value}` : String(value));
let formattedDay: { day: number; prefix: string } | undefined;

/**
 * `new Date(seconds * 1000).toISOString()`, for the whole seconds Meta's timestamps are. Formatting a
 * date was a twentieth of the ingress's time per webhook, and nearly every webhook falls on the same day
 * as the one before: the calendar part is formatted once per day, the time of day with arithmetic.
 */
export const isoTimeOfUnixSeconds = (seconds: number): string => {
  const day = Math.floor(seconds / SECONDS_PER_DAY);
  if (formattedDay?.day !== day) {
    formattedDay = { day, prefix: new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, -13) };
  }
  const second = seconds - day * SECONDS_PER_DAY;
  const [hours, minutes] = [Math.floor(second / 3600), Math.floor(second / 60) % 60];
  return `${formattedDay.prefix}${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(second % 60)}.000Z`;
};

/** The last second a JavaScript Date can hold (±8.64e15 ms): a later one has no ISO form. */
const LATEST_DATE_SECONDS = 8.64e12;

/** Meta's timestamp, else the time it arrived: a missing, garbled or impossible one must not fail the webhook. */
const toIsoTime = (unixSeconds: string | undefined, fallback: Date): string => {
  const seconds = Number(unixSeconds);
  if (!(seconds > 0 && seconds <= LATEST_DATE_SECONDS)) return fallback.toISOString();
  return Number.isInteger(seconds) ? isoTimeOfUnixSeconds(seconds) : new Date(seconds * 1000).toISOString();
};

const nonEmpty = (value: string | undefined): string | undefined => (value ? value : undefined);

const identify = (
  waId: string | undefined,
  bsuid: string | undefined,
  parentBsuid: string | undefined,
  contacts: Contact[],
): { user: UserIdentity; profileName?: string } => {
  const contact =
    contacts.find(
      (candidate) =>
        (waId !== undefined && candidate.wa_id === waId) ||
        (bsuid !== undefined && candidate.user_id === bsuid),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const resolvedWaId = nonEmpty(waId) ?? nonEmpty(contact?.wa_id);
  const resolvedBsuid = nonEmpty(bsuid) ?? nonEmpty(contact?.user_id);
  const user: UserIdentity = { key: resolvedWaId ?? resolvedBsuid ?? UNKNOWN_USER_KEY };
  if (resolvedWaId) user.waId = resolvedWaId;
  if (resolvedBsuid) user.bsuid = resolvedBsuid;
  const parent = nonEmpty(parentBsuid) ?? nonEmpty(contact?.parent_user_id);
  if (parent) user.parentBsuid = parent;
  const username = nonEmpty(contact?.profile?.username);
  if (username) user.username = username;
  const profileName = nonEmpty(contact?.profile?.name);
  return profileName === undefined ? { user } : { user, profileName };
};

const contentOf = (message: InboundMessage): InboundContent => {
  switch (message.type) {
    case 'text':
      return { type: 'text', text: message.text.body };
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker': {
      const media = mediaBody(message);
      return {
        type: 'media',
        mediaType: message.type,
        mediaId: media.id,
        mimeType: media.mime_type,
        ...(media.sha256 !== undefined && { sha256: media.sha256 }),
        ...(media.caption !== undefined && { caption: media.caption }),
        ...(media.filename !== undefined && { filename: media.filename }),
        ...(media.voice !== undefined && { voice: media.voice }),
      };
    }
    case 'location': {
      const { latitude, longitude, name, address } = message.location;
      return {
        type: 'location',
        latitude,
        longitude,
        ...(name !== undefined && { name }),
        ...(address !== undefined && { address }),
      };
    }
    case 'contacts':
      return { type: 'contacts', contacts: message.contacts };
    case 'interactive': {
      const interactive = message.interactive;
      if (interactive.type === 'button_reply') {
        return {
          type: 'interactive',
          reply: { kind: 'button', ...pick(interactive.button_reply, ['id', 'title']) },
        };
      }
      if (interactive.type === 'list_reply') {
        const { id, title, description } = interactive.list_reply;
        return {
          type: 'interactive',
          reply: { kind: 'list', id, title, ...(description !== undefined && { description }) },
        };
      }
      const { name, body, response_json } = interactive.nfm_reply;
      return {
        type: 'interactive',
        reply: {
          kind: 'flow',
          responseJson: response_json,
          ...(name !== undefined && { name }),
          ...(body !== undefined && { body }),
        },
      };
    }
    case 'button':
      return {
        type: 'button',
        text: message.button.text,
        ...(message.button.payload !== undefined && { payload: message.button.payload }),
      };
    case 'reaction':
      return {
        type: 'reaction',
        messageId: message.reaction.message_id,
        ...(message.reaction.emoji !== undefined && { emoji: message.reaction.emoji }),
      };
    case 'order':
      return {
        type: 'order',
        catalogId: message.order.catalog_id,
        items: message.order.product_items,
        ...(message.order.text !== undefined && { text: message.order.text }),
      };
    case 'system':
      return {
        type: 'system',
        ...(message.system.type !== undefined && { systemType: message.system.type }),
        ...(message.system.body !== undefined && { body: message.system.body }),
        ...(message.system.wa_id !== undefined && { newWaId: message.system.wa_id }),
      };
  }
};

const mediaBody = (message: Extract<InboundMessage, { type: MediaType }>): MediaBody => {
  switch (message.type) {
    case 'image':
      return message.image;
    case 'audio':
      return message.audio;
    case 'video':
      return message.video;
    case 'document':
      return message.document;
    case 'sticker':
      return message.sticker;
  }
};

const pick = <T extends object, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((key) => [key, source[key]])) as Pick<T, K>;

const isKnownType = (type: string | undefined): boolean =>
  type !== undefined &&
  (['text', 'location', 'contacts', 'interactive', 'button', 'reaction', 'order', 'system'].includes(type) ||
    (mediaTypes as readonly string[]).includes(type));

/** A stable id for a message that arrived without one, so redeliveries still deduplicate. */
const fingerprint = (value: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(value) ?? 'undefined')
    .digest('hex')
    .slice(0, 32);

/** What identifies, orders and types a message, from the full parse or, failing that, the header alone. */
const headerOf = (raw: unknown, parsed: InboundMessage | undefined): MessageHeader | undefined => {
  if (parsed) return parsed;
  const header = messageHeaderSchema.safeParse(raw);
  return header.success ? header.data : undefined;
};

const normalizeMessage = (
  raw: unknown,
  tenant: Tenant,
  contacts: Contact[],
  receivedAt: Date,
): InboundMessageEvent => {
  const parsed = inboundMessageSchema.safeParse(raw);
  const fields = headerOf(raw, parsed.success ? parsed.data : undefined);
  const wamid = fields?.id ?? `unidentified.${fingerprint(raw)}`;
  const { user, profileName } = identify(
    fields?.from,
    fields?.from_user_id,
    fields?.from_parent_user_id,
    contacts,
  );
  const content: InboundContent = parsed.success
    ? contentOf(parsed.data)
    : {
        type: 'unsupported',
        originalType: fields?.type ?? 'missing',
        reason: isKnownType(fields?.type) ? 'malformed' : 'unknown_type',
        raw,
      };
  const event: InboundMessageEvent = {
    kind: 'message',
    eventId: wamid,
    wamid,
    tenant,
    user,
    sentAt: toIsoTime(fields?.timestamp, receivedAt),
    content,
  };
  if (profileName !== undefined) event.profileName = profileName;
  const contextWamid = nonEmpty(fields?.context?.id);
  if (contextWamid !== undefined) event.contextWamid = contextWamid;
  return event;
};

const normalizeStatus = (
  raw: unknown,
  tenant: Tenant,
  contacts: Contact[],
  receivedAt: Date,
): StatusEvent | undefined => {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const status = parsed.data;
  const { user } = identify(
    status.recipient_id,
    status.recipient_user_id,
    status.parent_recipient_user_id,
    contacts,
  );
  const event: StatusEvent = {
    kind: 'status',
    eventId: `${status.id}:${status.status}`,
    wamid: status.id,
    status: status.status,
    tenant,
    user,
    sentAt: toIsoTime(status.timestamp, receivedAt),
    errors: (status.errors ?? []).map((error) => ({
      code: error.code,
      ...(error.title !== undefined && { title: error.title }),
      ...(error.message !== undefined && { message: error.message }),
      ...(error.error_data?.details !== undefined && { details: error.error_data.details }),
    })),
  };
  if (status.pricing) {
    event.pricing = {
      ...(status.pricing.type !== undefined && { type: status.pricing.type }),
      ...(status.pricing.category !== undefined && { category: status.pricing.category }),
      ...(status.pricing.pricing_model !== undefined && { pricingModel: status.pricing.pricing_model }),
    };
  }
  return event;
};

const accountEvent = (businessAccountId: string, field: string, value: unknown): AccountEvent => ({
  kind: 'account',
  eventId: `${field}:${fingerprint(value)}`,
  businessAccountId,
  field,
  value,
});

/**
 * Turns a validated envelope into events. Never throws on content: whatever cannot be
 * understood is carried as an "unsupported" message or an account event, so it is stored
 * and acknowledged rather than lost or retried forever.
 */
export const normalizeEnvelope = (envelope: WebhookEnvelope, receivedAt: Date): WebhookEvent[] => {
  const events: WebhookEvent[] = [];
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      const value = changeValueSchema.safeParse(change.value);
      if (change.field !== 'messages' || !value.success || !value.data.metadata) {
        events.push(accountEvent(entry.id, change.field, change.value));
        continue;
      }
      const { metadata, contacts = [], messages = [], statuses = [] } = value.data;
      const tenant: Tenant = { phoneNumberId: metadata.phone_number_id };
      if (metadata.display_phone_number) tenant.displayPhoneNumber = metadata.display_phone_number;
      for (const message of messages) events.push(normalizeMessage(message, tenant, contacts, receivedAt));
      for (const rawStatus of statuses) {
        const status = normalizeStatus(rawStatus, tenant, contacts, receivedAt);
        events.push(status ?? accountEvent(entry.id, 'malformed_status', rawStatus));
      }
      if (messages.length === 0 && statuses.length === 0) {
        events.push(accountEvent(entry.id, change.field, change.value));
      }
    }
  }
  return events;
};
