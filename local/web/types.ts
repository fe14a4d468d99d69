import type { OutboundMessage } from '../../layers/core/whatsapp/graph/outbound-schema';
import type { OutboxEntry } from '../graph-stand-in';

export type { OutboundMessage, OutboxEntry };

/** What `GET /local/simulator/config` answers: the local stack's Meta identity and app secret. */
export interface SimulatorConfig {
  appSecret: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  businessAccountId: string;
}

export type Locale = 'es' | 'en';

export interface SimulatedUser {
  name: string;
  /** Digits only, as Meta's `wa_id`. */
  waId: string;
  locale: Locale;
}

/** `event: read` on the stream: the assistant marked one of the user's messages read. */
export interface ReadEvent {
  messageId: string;
  typing: boolean;
}

/** Where a user message stands, as the user's phone would show it. */
export type UserMessageStatus = 'sending' | 'delivered' | 'read' | 'failed';

/** What the user sent: kept in localStorage, because the server keeps no copy the page can read. */
export interface UserMessage {
  wamid: string;
  at: string;
  text: string;
  /** The assistant's message this one answers (a tapped button or list row). */
  contextWamid?: string;
  media?: 'image' | 'audio';
  status: UserMessageStatus;
  error?: string;
}
