import { createHash } from 'node:crypto';
import type { QueueMessage } from '../ports/queue';
import type { WebhookEvent } from '../whatsapp/events';

/** SQS limits for MessageGroupId and MessageDeduplicationId: 128 characters, alphanumeric or punctuation. */
const SQS_ID_MAX_LENGTH = 128;
const SQS_ID_ALLOWED = /^[\x21-\x7e]+$/;

/** Keeps ids readable in the console when they fit, and hashes the rare one that does not. */
export const toSqsId = (value: string): string =>
  value.length <= SQS_ID_MAX_LENGTH && SQS_ID_ALLOWED.test(value)
    ? value
    : `h:${createHash('sha256').update(value).digest('hex')}`;

/** One conversation per group so a user's messages stay in order while users run in parallel. */
export const groupKeyOf = (event: WebhookEvent): string =>
  event.kind === 'account'
    ? `account:${event.businessAccountId}`
    : `${event.tenant.phoneNumberId}:${event.user.key}`;

export const toQueueMessage = (event: WebhookEvent): QueueMessage => ({
  body: JSON.stringify(event),
  groupId: toSqsId(groupKeyOf(event)),
  deduplicationId: toSqsId(event.eventId),
});
