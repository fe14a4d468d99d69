import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

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
 * Runs an SQS FIFO batch with its message groups at once, each through its own Powertools
 * `SqsFifoPartialProcessorAsync`: a group's records stay in order, its first failure holds back only
 * its own later records, and one slow group (Meta's pair rate limit waits seconds) delays no other.
 */
export const processFifoGroupsAtOnce = async (
  event: SQSEvent,
  recordHandler: (record: SQSRecord) => Promise<unknown>,
  context?: Context,
): Promise<SQSBatchResponse> => {
  const responses = await Promise.all(
    byMessageGroup(event.Records).map((records) =>
      // A processor per group: it holds the group's state while the groups run at once.
      processPartialResponse({ Records: records }, recordHandler, new SqsFifoPartialProcessorAsync(), {
        ...(context && { context }),
        // Report a group where every record failed like any other, rather than throwing: the effect on
        // SQS is the same, and the response says which records failed.
        throwOnFullBatchFailure: false,
      }),
    ),
  );
  return { batchItemFailures: responses.flatMap((response) => response.batchItemFailures) };
};
