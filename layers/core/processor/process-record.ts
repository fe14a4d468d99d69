import { logIdOf } from '../logging';
import { recordDeadLetter } from '../db/repositories';
import { errorCode, isRetryable } from '../errors';
import { MetricNames } from '../observability/metric-names';
import { parseWebhookEvent } from '../whatsapp/event-schema';
import type { WebhookEvent } from '../whatsapp/events';
import type { ProcessorDeps } from './deps';
import { handleInboundMessage } from './inbound';
import { handleStatus } from './status';

export interface QueueRecord {
  messageId: string;
  body: string;
  receiveCount: number;
  /** When the ingress queued it (SQS `SentTimestamp`, epoch ms). */
  sentAt: number;
}

/**
 * The wamid follows a message from the ingress through the queue to its reply (and a status to the
 * message it is about); the record's logs carry its log id (`logIdOf`) as Powertools' `correlation_id`.
 */
const correlationIdOf = (event: WebhookEvent): string | undefined =>
  event.kind === 'account' ? undefined : logIdOf(event.wamid);

const dispatch = async (deps: ProcessorDeps, event: WebhookEvent): Promise<void> => {
  switch (event.kind) {
    case 'message':
      return handleInboundMessage(deps, event);
    case 'status': {
      const outcome = await handleStatus(deps, event);
      deps.metrics.add(MetricNames.statusUpdates, 'Count', 1, { outcome });
      return;
    }
    case 'account':
      deps.logger.info('Account notification received', {
        field: event.field,
        account: event.businessAccountId,
      });
      return;
  }
};

const keep = async (deps: ProcessorDeps, record: QueueRecord, reason: string, lastError?: string) => {
  await recordDeadLetter(deps.db, {
    source: 'processor',
    reason,
    payload: { body: record.body },
    receiveCount: record.receiveCount,
    ...(lastError && { lastError }),
    externalId: record.messageId,
  });
  deps.metrics.add(MetricNames.deadLetters, 'Count', 1, { source: 'processor' });
  deps.logger.warn('Queue record kept as a dead letter', { messageId: record.messageId, reason });
};

/**
 * One queue record. Resolves when the record is done (answered, applied, or kept as a dead
 * letter because it can never succeed); rejects when a retry may succeed, so SQS redelivers it.
 */
export const processQueueRecord = async (deps: ProcessorDeps, record: QueueRecord): Promise<void> => {
  deps.metrics.add(MetricNames.queueMessageAge, 'Milliseconds', deps.clock.now().getTime() - record.sentAt);
  const parsed = parseWebhookEvent(record.body);
  if (!parsed.ok) {
    await keep(deps, record, parsed.reason);
    deps.metrics.add(MetricNames.processorEvents, 'Count', 1, { kind: 'unknown', outcome: 'dead_letter' });
    return;
  }
  const { event } = parsed;
  const correlationId = correlationIdOf(event);
  // A child logger per record rather than a key on the shared one: the local stack runs several batches
  // at once through one processor, and a shared key would label one record's lines with another's id.
  const logger = correlationId
    ? deps.logger.createChild({ persistentKeys: { correlation_id: correlationId } })
    : deps.logger;
  await handle({ ...deps, logger }, record, event);
};

const handle = async (deps: ProcessorDeps, record: QueueRecord, event: WebhookEvent): Promise<void> => {
  try {
    await dispatch(deps, event);
    deps.metrics.add(MetricNames.processorEvents, 'Count', 1, { kind: event.kind, outcome: 'ok' });
  } catch (error) {
    if (isRetryable(error)) {
      deps.metrics.add(MetricNames.processorEvents, 'Count', 1, { kind: event.kind, outcome: 'retry' });
      throw error;
    }
    await keep(deps, record, errorCode(error), error instanceof Error ? error.message : String(error));
    deps.metrics.add(MetricNames.processorEvents, 'Count', 1, { kind: event.kind, outcome: 'dead_letter' });
  }
};
