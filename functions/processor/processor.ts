import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ProcessorDeps } from '../../layers/core/processor/deps';
import { processQueueRecord } from '../../layers/core/processor/process-record';

/** The batch's records by message group (one conversation each), in queue order within a group. */
const byMessageGroup = (records: SQSRecord[]): SQSRecord[][] => {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const groupId = record.attributes.MessageGroupId ?? record.messageId;
    const group = groups.get(groupId);
    if (group) group.push(record);
    else groups.set(groupId, [record]);
  }
  return [...groups.values()];
};

/**
 * The SQS FIFO batch handler. Each message group (one user's conversation) runs through its own
 * `SqsFifoPartialProcessor` with `skipGroupOnError`, and the groups run at once: a user's records
 * stay in order and a failure holds back only that user's later records, while one user's slow
 * reply (Meta's pair rate limit waits seconds) no longer delays everyone after them in the batch.
 */
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
      const responses = await Promise.all(
        byMessageGroup(event.Records).map((records) =>
          // A processor per group: it holds the group's state while the groups run at once.
          processPartialResponse({ Records: records }, recordHandler, new SqsFifoPartialProcessorAsync(), {
            ...(context && { context }),
            skipGroupOnError: true,
            // Report a group where every record failed like any other, rather than throwing: the effect
            // on SQS is the same, and the response says which records failed.
            throwOnFullBatchFailure: false,
          }),
        ),
      );
      return { batchItemFailures: responses.flatMap((response) => response.batchItemFailures) };
    } finally {
      ready.metrics.flush();
    }
  };
