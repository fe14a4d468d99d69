import type { SQSEvent } from 'aws-lambda';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFifoQueue } from '../../../layers/core/adapters/local/local-fifo-queue';
import { LocalSqsConsumer } from '../../../local/sqs-consumer';

const message = (group: string, id: string) => ({
  body: JSON.stringify({ id }),
  groupId: group,
  deduplicationId: id,
});

const makeQueue = () => {
  let now = 1_000_000;
  const queue = new LocalFifoQueue({ visibilityTimeoutMs: 30_000, maxReceiveCount: 5, now: () => now });
  return { queue, advance: (ms: number) => (now += ms) };
};

describe('local FIFO queue', () => {
  it('hands out as many of a group as fit, in order, and nothing more of it while they are in flight', async () => {
    const { queue } = makeQueue();
    await queue.send([message('a', 'a1'), message('b', 'b1'), message('a', 'a2'), message('a', 'a3')]);
    const first = queue.receive(2);
    expect(first.map((m) => m.deduplicationId)).toEqual(['a1', 'a2']);
    expect(queue.receive(10).map((m) => m.deduplicationId)).toEqual(['b1']);
    expect(queue.receive(10)).toEqual([]);
    for (const received of first) queue.delete(received.messageId);
    expect(queue.receive(10).map((m) => m.deduplicationId)).toEqual(['a3']);
  });

  it('redelivers a failed message after the visibility timeout, before later messages of its group', async () => {
    const { queue, advance } = makeQueue();
    await queue.send([message('a', 'a1'), message('a', 'a2')]);
    const [first] = queue.receive(10);
    queue.fail(first!.messageId, 'boom');
    expect(queue.receive(10)).toEqual([]);
    advance(30_001);
    const [again] = queue.receive(10);
    expect(again).toMatchObject({ deduplicationId: 'a1', receiveCount: 2, lastError: 'boom' });
  });

  it('moves a message to the dead-letter queue after 5 receives, and redrive brings it back', async () => {
    const { queue, advance } = makeQueue();
    await queue.send([message('a', 'a1'), message('a', 'a2')]);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const [received] = queue.receive(1);
      expect(received?.deduplicationId).toBe('a1');
      queue.fail(received!.messageId, `attempt ${attempt}`);
      advance(30_001);
    }
    expect(queue.depth()).toEqual({ visible: 1, inFlight: 0, deadLetters: 1 });
    expect(queue.deadLetterMessages()[0]).toMatchObject({ deduplicationId: 'a1', lastError: 'attempt 5' });
    expect(queue.receive(10).map((m) => m.deduplicationId)).toEqual(['a2']);
    expect(queue.redrive()).toBe(1);
    expect(queue.depth().deadLetters).toBe(0);
  });

  it('drops a repeated deduplication id within five minutes but accepts it afterwards', async () => {
    const { queue, advance } = makeQueue();
    await queue.send([message('a', 'a1')]);
    await queue.send([message('a', 'a1')]);
    expect(queue.depth().visible).toBe(1);
    advance(5 * 60 * 1000 + 1);
    await queue.send([message('a', 'a1')]);
    expect(queue.depth().visible).toBe(2);
  });

  it('keeps queued and dead-lettered messages across a save and a load', async () => {
    const { queue } = makeQueue();
    await queue.send([message('a', 'a1'), message('b', 'b1')]);
    queue.receive(1);
    const file = join(mkdtempSync(join(tmpdir(), 'queue-')), 'queue.json');
    await queue.saveTo(file);
    const restored = makeQueue().queue;
    expect(await restored.loadFrom(file)).toBe(2);
    expect(restored.receive(10).map((m) => m.deduplicationId)).toEqual(['a1', 'b1']);
    expect(await makeQueue().queue.loadFrom(join(tmpdir(), 'missing-queue.json'))).toBe(0);
  });
});

describe('local SQS consumer', () => {
  it('hands SQS-shaped batches to the handler and honours batch item failures', async () => {
    const queue = new LocalFifoQueue({ visibilityTimeoutMs: 60_000, maxReceiveCount: 5 });
    await queue.send([message('a', 'a1'), message('b', 'b1')]);
    const events: SQSEvent[] = [];
    const consumer = new LocalSqsConsumer(
      queue,
      (event) => {
        events.push(event);
        const failed = event.Records.filter((record) => record.attributes.MessageGroupId === 'b');
        return Promise.resolve({
          batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })),
        });
      },
      {
        queueArn: 'arn:aws:sqs:local:000000000000:events.fifo',
        functionName: 'processor',
        batchSize: 10,
        concurrency: 1,
      },
    );
    expect(await consumer.runOnce()).toBe(2);
    expect(events[0]!.Records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      attributes: { MessageGroupId: 'a', MessageDeduplicationId: 'a1', ApproximateReceiveCount: '1' },
    });
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 1, deadLetters: 0 });
  });

  it('fails the whole batch when the handler throws', async () => {
    const queue = new LocalFifoQueue({ visibilityTimeoutMs: 0, maxReceiveCount: 5 });
    await queue.send([message('a', 'a1')]);
    const errors: unknown[] = [];
    const consumer = new LocalSqsConsumer(queue, () => Promise.reject(new Error('db down')), {
      queueArn: 'arn',
      functionName: 'processor',
      batchSize: 10,
      concurrency: 1,
      onError: (error) => errors.push(error),
    });
    await consumer.runOnce();
    expect(errors).toHaveLength(1);
    expect(queue.receive(1)[0]).toMatchObject({ receiveCount: 2, lastError: 'db down' });
  });

  it('runs in the background until stopped, processing what arrives', async () => {
    const queue = new LocalFifoQueue({ visibilityTimeoutMs: 1000, maxReceiveCount: 5 });
    const seen: string[] = [];
    const consumer = new LocalSqsConsumer(
      queue,
      (event) => {
        seen.push(...event.Records.map((record) => record.attributes.MessageDeduplicationId!));
        return Promise.resolve({ batchItemFailures: [] });
      },
      { queueArn: 'arn', functionName: 'processor', batchSize: 10, concurrency: 2 },
    );
    consumer.start();
    await queue.send([message('a', 'a1'), message('a', 'a2'), message('b', 'b1')]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await consumer.stop();
    expect(seen.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(seen).toContain('b1');
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, deadLetters: 0 });
  });
});
