import { createRedrive } from '../../functions/redrive/redrive';
import { LocalRedriveQueue } from '../../layers/core/adapters/local/local-redrive';
import type { LocalFifoQueue } from '../../layers/core/adapters/local/local-fifo-queue';
import { LLM_PROVIDERS } from '../../layers/core/redrive/providers';
import type { RedriveDeps } from '../../layers/core/redrive/redrive';
import { LocalSqsConsumer, type SqsBatchHandler } from '../../local/sqs-consumer';

/**
 * What stands behind the local queue in a test that drives it: a consumer that runs one batch at a
 * time when asked, and the redrive function over the same queue, parking after three redrives.
 */
export const consumerAndRedrive = (
  queue: LocalFifoQueue,
  processor: SqsBatchHandler,
  deps: Pick<RedriveDeps, 'db' | 'breakers' | 'logger' | 'metrics'>,
) => ({
  consumer: new LocalSqsConsumer(queue, processor, {
    queueArn: 'arn:aws:sqs:us-east-1:123456789012:events.fifo',
    functionName: 'processor',
    batchSize: 10,
    concurrency: 1,
  }),
  redrive: createRedrive({
    ...deps,
    queue: new LocalRedriveQueue(queue),
    providers: LLM_PROVIDERS,
    config: { maxRedrives: 3 },
  }),
});
