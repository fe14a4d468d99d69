import type { Logger } from '@aws-lambda-powertools/logger';
import { timingSafeEqual } from 'node:crypto';
import {
  ChasquiError,
  ForbiddenError,
  httpStatusOf,
  InvalidSignatureError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  TransientError,
} from '../errors';
import { logIdOf, maskIdentifier } from '../logging';
import { MetricNames } from '../observability/metric-names';
import type { Clock } from '../ports/clock';
import type { DedupStore } from '../ports/dedup-store';
import type { MetricsPort } from '../ports/metrics';
import type { EventQueue } from '../ports/queue';
import type { RawDeadLetterStore } from '../ports/raw-dead-letters';
import type { WebhookEvent } from '../whatsapp/events';
import { normalizeEnvelope } from '../whatsapp/normalize';
import { isValidSignature, SIGNATURE_HEADER } from '../whatsapp/signature';
import { envelopeSchema } from '../whatsapp/webhook-schema';
import { toQueueMessage } from './queue-message';

/** Meta sends webhook payloads of up to 3 MB (FACTS.md "Delivery"). */
export const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;

export interface WebhookRequest {
  method: string;
  query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /**
   * The body exactly as received: the signature covers these bytes, not a re-serialisation. Text when the
   * transport delivered it decoded (API Gateway, unless base64): hashing and parsing it then need no copy.
   */
  body: Uint8Array | string;
}

/** UTF-8 takes at most 3 bytes per UTF-16 unit: a short enough text needs no byte count. */
const isOverLimit = (body: WebhookRequest['body'], limit: number): boolean =>
  typeof body === 'string'
    ? body.length * 3 > limit && Buffer.byteLength(body, 'utf8') > limit
    : body.byteLength > limit;

const byteLengthOf = (body: WebhookRequest['body']): number =>
  typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;

const bytesOf = (body: WebhookRequest['body']): Uint8Array =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : body;

export interface WebhookResponse {
  statusCode: number;
  contentType: 'text/plain' | 'application/json';
  body: string;
}

export interface WebhookSecrets {
  appSecret: string;
  verifyToken: string;
}

export interface IngressDeps {
  secrets: () => Promise<WebhookSecrets>;
  dedup: DedupStore;
  queue: EventQueue;
  deadLetters: RawDeadLetterStore;
  metrics: MetricsPort;
  logger: Logger;
  clock: Clock;
}

const text = (statusCode: number, body: string): WebhookResponse => ({
  statusCode,
  contentType: 'text/plain',
  body,
});

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** `GET /webhook`: Meta's subscription check. It carries no signature. */
export const verifySubscription = async (
  query: WebhookRequest['query'],
  deps: Pick<IngressDeps, 'secrets' | 'logger'>,
): Promise<WebhookResponse> => {
  const { verifyToken } = await deps.secrets();
  const challenge = query['hub.challenge'];
  if (
    query['hub.mode'] !== 'subscribe' ||
    !challenge ||
    !sameText(query['hub.verify_token'] ?? '', verifyToken)
  ) {
    throw new ForbiddenError('verify_token_mismatch', 'Subscription check refused');
  }
  deps.logger.info('Webhook subscription verified');
  return text(200, challenge);
};

const ANSWERS: Readonly<Record<number, string>> = {
  401: 'Invalid signature',
  403: 'Forbidden',
  405: 'Method not allowed',
  413: 'Payload too large',
};

/**
 * The one place an ingress error becomes an answer, by the status the error declares (errors.ts): 4xx when
 * Meta sending the same request again cannot help, 5xx when it can — a dependency was down, so Meta's
 * retry delivers what this request could not queue.
 */
const refuse = (deps: IngressDeps, error: unknown): WebhookResponse => {
  const statusCode = httpStatusOf(error);
  const reason = error instanceof ChasquiError ? error.code : 'internal_error';
  deps.metrics.add(MetricNames.webhookRequestsRejected, 'Count', 1, { reason });
  if (statusCode >= 500) {
    deps.logger.error('Webhook request failed; Meta will deliver it again', {
      reason,
      statusCode,
      error: error as Error,
    });
    return text(statusCode, 'Temporarily unavailable');
  }
  deps.logger.warn('Webhook request rejected', { reason, statusCode });
  return text(statusCode, ANSWERS[statusCode] ?? 'Bad request');
};

/**
 * A correctly signed body that can never become events is kept and acknowledged: a non-200
 * would make Meta redeliver the same poison for seven days.
 */
const keepPoisonBody = async (
  deps: IngressDeps,
  body: Uint8Array,
  reason: string,
  detail: string,
): Promise<WebhookResponse> => {
  const location = await deps.deadLetters.put({ reason, receivedAt: deps.clock.now(), body, detail });
  deps.metrics.add(MetricNames.webhookRequestsRejected, 'Count', 1, { reason });
  deps.logger.warn('Signed webhook body kept as a dead letter', { reason, location, bytes: body.byteLength });
  return text(200, 'OK');
};

const parseJson = (
  body: WebhookRequest['body'],
): { ok: true; value: unknown } | { ok: false; error: string } => {
  try {
    const text =
      typeof body === 'string'
        ? body
        : // A view over the same bytes: `Buffer.from(body)` would copy the whole body first.
          Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
};

const eventType = (event: WebhookEvent): string =>
  event.kind === 'message'
    ? event.content.type
    : event.kind === 'status'
      ? `status_${event.status}`
      : 'account';

const releaseAll = async (deps: IngressDeps, eventIds: string[]): Promise<void> => {
  const outcomes = await Promise.allSettled(eventIds.map((eventId) => deps.dedup.release(eventId)));
  const failures = outcomes.filter((outcome) => outcome.status === 'rejected').length;
  if (failures > 0) {
    // The claims lapse on their own after their lease; Meta's retry will be accepted then.
    deps.logger.warn('Could not release dedup claims; they will lapse', { failures });
  }
};

/** The same event twice in one delivery is one event: its second claim would find the first in progress. */
const distinctEvents = (events: WebhookEvent[]): WebhookEvent[] => {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.eventId) && seen.add(event.eventId));
};

/**
 * Claims every event, queues the new ones, and only then marks them done. Any failure before
 * the queue accepted an event releases its claim and throws a TransientError (503), so Meta
 * retries and nothing is lost; a claim that cannot be released lapses after its lease. So does
 * finding an event that another delivery has claimed but not yet queued.
 */
const enqueueOnce = async (deps: IngressDeps, delivered: WebhookEvent[]): Promise<WebhookResponse> => {
  const now = deps.clock.now();
  const events = delivered.length > 1 ? distinctEvents(delivered) : delivered;
  const claims = await Promise.allSettled(events.map((event) => deps.dedup.claim(event.eventId, now)));
  const claimed = events.filter((_, index) => {
    const claim = claims[index];
    return claim?.status === 'fulfilled' && claim.value === 'claimed';
  });
  const claimFailure = claims.find((claim) => claim.status === 'rejected');
  if (claimFailure) {
    await releaseAll(
      deps,
      claimed.map((event) => event.eventId),
    );
    throw new TransientError('dedup_unavailable', 'Dedup store unavailable', { cause: claimFailure.reason });
  }
  if (claims.some((claim) => claim.status === 'fulfilled' && claim.value === 'in_progress')) {
    // Answering 200 here would lose the event if that other delivery then failed or its process died.
    // Meta delivers again later, when the other delivery has queued it (a duplicate) or its claim lapsed.
    await releaseAll(
      deps,
      claimed.map((event) => event.eventId),
    );
    throw new TransientError('event_in_progress', 'Another delivery of this event is still being queued');
  }
  const duplicates = delivered.length - claimed.length;
  if (duplicates > 0) deps.metrics.add(MetricNames.webhookDuplicatesDropped, 'Count', duplicates);
  if (claimed.length === 0) return text(200, 'OK');

  const messages = claimed.map(toQueueMessage);
  const sent = await deps.queue.send(messages).then(
    (result) => ({ failed: new Set(result.failed), reason: result.reason }),
    (error: unknown) => ({
      failed: new Set(messages.map((message) => message.deduplicationId)),
      reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    }),
  );
  const failedIds = sent.failed;
  const notQueued = claimed.filter((_, index) => failedIds.has(messages[index]!.deduplicationId));
  const queued = claimed.filter((_, index) => !failedIds.has(messages[index]!.deduplicationId));

  const completions = await Promise.allSettled(
    queued.map((event) => deps.dedup.complete(event.eventId, now)),
  );
  if (completions.some((completion) => completion.status === 'rejected')) {
    // Queued but not marked: a redelivery after the lease is queued again, and the processor's
    // unique wamid drops it. Harmless, so the request still succeeds.
    deps.logger.warn('Could not mark queued events as done');
  }
  // The processor logs each event under the same ids (`correlation_id`): these find those lines. A
  // delivery may carry several events, so the request itself has no single correlation id.
  const correlationIds: string[] = [];
  const users = new Set<string>();
  for (const event of queued) {
    deps.metrics.add(MetricNames.webhookEventsAccepted, 'Count', 1, { type: eventType(event) });
    if (event.kind === 'account') {
      users.add('account');
    } else {
      correlationIds.push(logIdOf(event.wamid));
      users.add(maskIdentifier(event.user.key));
    }
  }
  deps.logger.info('Webhook events queued', {
    queued: queued.length,
    duplicates,
    correlationIds,
    users: Array.from(users),
  });

  if (notQueued.length > 0) {
    await releaseAll(
      deps,
      notQueued.map((event) => event.eventId),
    );
    throw new TransientError(
      'queue_unavailable',
      `${notQueued.length} of ${claimed.length} events not queued: ${sent.reason ?? 'no reason given'}`,
    );
  }
  return text(200, 'OK');
};

/** `POST /webhook`: size, signature, JSON, envelope, normalise, deduplicate, queue — then 200. */
export const receiveDelivery = async (
  request: WebhookRequest,
  deps: IngressDeps,
): Promise<WebhookResponse> => {
  if (isOverLimit(request.body, MAX_WEBHOOK_BYTES)) {
    throw new PayloadTooLargeError(byteLengthOf(request.body), MAX_WEBHOOK_BYTES);
  }
  const { appSecret } = await deps.secrets();
  if (!isValidSignature(request.body, request.headers[SIGNATURE_HEADER], appSecret)) {
    throw new InvalidSignatureError();
  }
  const json = parseJson(request.body);
  if (!json.ok) return keepPoisonBody(deps, bytesOf(request.body), 'invalid_json', json.error);
  const envelope = envelopeSchema.safeParse(json.value);
  if (!envelope.success) {
    const detail = envelope.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    return keepPoisonBody(deps, bytesOf(request.body), 'not_whatsapp_envelope', detail);
  }
  const events = normalizeEnvelope(envelope.data, deps.clock.now());
  return enqueueOnce(deps, events);
};

export const receiveWebhook = async (
  request: WebhookRequest,
  deps: IngressDeps,
): Promise<WebhookResponse> => {
  const started = performance.now();
  try {
    if (request.method === 'GET') return await verifySubscription(request.query, deps);
    if (request.method === 'POST') return await receiveDelivery(request, deps);
    throw new MethodNotAllowedError(request.method);
  } catch (error) {
    // Anything unexpected (secrets, the dead-letter store) answers 500: Meta retries, nothing is lost.
    return refuse(deps, error);
  } finally {
    deps.metrics.add(MetricNames.webhookAckLatency, 'Milliseconds', performance.now() - started);
    deps.metrics.flush();
  }
};
