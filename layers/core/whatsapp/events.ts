import type { MediaType } from './webhook-schema';

/**
 * The internal event types: one per inbound message, per status and per non-message
 * notification. They travel through the queue as JSON, so they hold only plain data.
 */

export interface Tenant {
  /** Meta's id of the business phone number: the tenant key. */
  phoneNumberId: string;
  displayPhoneNumber?: string;
}

/**
 * A WhatsApp user. From 2026 `wa_id` (the phone number) may be absent for users with a
 * username; the business-scoped `user_id` (BSUID) then identifies them (FACTS.md).
 */
export interface UserIdentity {
  /** `waId` when present, else `bsuid`: the stable key for grouping and lookup. */
  key: string;
  waId?: string;
  bsuid?: string;
  parentBsuid?: string;
  username?: string;
}

export type InteractiveReply =
  | { kind: 'button'; id: string; title: string }
  | { kind: 'list'; id: string; title: string; description?: string }
  | { kind: 'flow'; name?: string; body?: string; responseJson: string };

export type InboundContent =
  | { type: 'text'; text: string }
  | {
      type: 'media';
      mediaType: MediaType;
      mediaId: string;
      mimeType: string;
      sha256?: string;
      caption?: string;
      filename?: string;
      voice?: boolean;
    }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'contacts'; contacts: unknown[] }
  | { type: 'interactive'; reply: InteractiveReply }
  | { type: 'button'; text: string; payload?: string }
  | { type: 'reaction'; messageId: string; emoji?: string }
  | { type: 'order'; catalogId: string; text?: string; items: unknown[] }
  | { type: 'system'; systemType?: string; body?: string; newWaId?: string }
  /** A type we do not know, or a known type whose fields did not parse: kept whole, never dropped. */
  | { type: 'unsupported'; originalType: string; reason: string; raw: unknown };

export interface InboundMessageEvent {
  kind: 'message';
  /** Deduplication key: the `wamid`. */
  eventId: string;
  wamid: string;
  tenant: Tenant;
  user: UserIdentity;
  profileName?: string;
  /** When the user sent it (Meta's timestamp), ISO 8601. */
  sentAt: string;
  /** The `wamid` this message replies to (`context.id`). */
  contextWamid?: string;
  content: InboundContent;
}

export interface StatusError {
  code: number;
  title?: string;
  message?: string;
  details?: string;
}

export interface StatusPricing {
  type?: string;
  category?: string;
  pricingModel?: string;
}

export interface StatusEvent {
  kind: 'status';
  /** `wamid:status`: a message and each of its statuses never share a key. */
  eventId: string;
  wamid: string;
  status: string;
  tenant: Tenant;
  user: UserIdentity;
  sentAt: string;
  errors: StatusError[];
  pricing?: StatusPricing;
}

/** A change whose field is not `messages` (account, template or quality updates). */
export interface AccountEvent {
  kind: 'account';
  eventId: string;
  businessAccountId: string;
  field: string;
  value: unknown;
}

export type WebhookEvent = InboundMessageEvent | StatusEvent | AccountEvent;

/** Used when a message carries no usable identity at all: it is still kept, in its own group. */
export const UNKNOWN_USER_KEY = 'unknown';
