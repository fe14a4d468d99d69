import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { processFifoGroupsAtOnce } from '../../layers/core/adapters/aws/fifo-batch';
import type { ProcessorDeps } from '../../layers/core/processor/deps';
import { processQueueRecord } from '../../layers/core/processor/process-record';

/** The SQS FIFO batch handler: one user's records in order, different users at once (fifo-batch.ts). */
export const createProcessor =
  (deps: ProcessorDeps | Promise<ProcessorDeps>) =>
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const ready = await deps;
    if (context) ready.logger.addContext(context);
    const recordHandler = (record: SQSRecord) =>
      processQueueRecord(ready, {
        messageId: record.messageId,
        body: record.body,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        sentAt: Number(record.attributes.SentTimestamp),
      });
    try {
      return await processFifoGroupsAtOnce(event, recordHandler, context);
    } finally {
      ready.metrics.flush();
    }
  };
