import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ProcessorDeps } from '../../layers/core/processor/deps';
import { processQueueRecord } from '../../layers/core/processor/process-record';

/**
 * The SQS FIFO batch handler. With `skipGroupOnError`, a failed record holds back only the rest
 * of its own message group (that user's later messages), not other users' records in the batch.
 */
export const createProcessor =
  (deps: ProcessorDeps | Promise<ProcessorDeps>) =>
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const ready = await deps;
    if (context) ready.logger.addContext(context);
    // A processor per invocation: it holds the batch's state, and invocations may overlap locally.
    const processor = new SqsFifoPartialProcessorAsync();
    const recordHandler = (record: SQSRecord) =>
      processQueueRecord(ready, {
        messageId: record.messageId,
        body: record.body,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        sentAt: Number(record.attributes.SentTimestamp),
      });
    try {
      return await processPartialResponse(event, recordHandler, processor, {
        ...(context && { context }),
        skipGroupOnError: true,
        // Report a batch where every record failed like any other, rather than throwing: the effect
        // on SQS is the same, and the response says which records failed.
        throwOnFullBatchFailure: false,
      });
    } finally {
      ready.metrics.flush();
    }
  };
