import type { DeadLetteredMessage, MoveTask, Peek, RedriveQueue } from '../../redrive/ports';
import type { LocalFifoQueue, StoredMessage } from './local-fifo-queue';

/**
 * The redrive port over the local queue's dead letters. The local move is instant, so a task is never still
 * running; the DLQ's receipt handle is the message id, which the local queue keeps until a redrive.
 */
export class LocalRedriveQueue implements RedriveQueue {
  private moves = 0;

  constructor(private readonly queue: LocalFifoQueue) {}

  peek(limit: number): Promise<Peek> {
    const waiting = this.queue.deadLetterMessages();
    const messages = waiting.slice(0, limit).map((message): DeadLetteredMessage => ({
      messageId: message.messageId,
      receiptHandle: message.messageId,
      groupId: message.groupId,
      body: message.body,
      receiveCount: message.receiveCount,
      ...(message.lastError !== undefined && { lastError: message.lastError }),
    }));
    return Promise.resolve({ messages, complete: waiting.length <= limit });
  }

  /**
   * LocalFifoQueue has no call to drop one dead letter; its `deadLetterMessages()` hands out the live list, so
   * the message is removed from that. The depth check fails loudly if the queue ever returns a copy instead,
   * since a parked message that is not removed would be redriven again.
   */
  delete(message: DeadLetteredMessage): Promise<void> {
    const live = this.queue.deadLetterMessages() as StoredMessage[];
    const index = live.findIndex((candidate) => candidate.messageId === message.receiptHandle);
    if (index === -1) return Promise.resolve();
    const before = this.queue.depth().deadLetters;
    live.splice(index, 1);
    if (this.queue.depth().deadLetters !== before - 1) {
      return Promise.reject(
        new Error('LocalFifoQueue no longer exposes its dead letters; cannot delete one'),
      );
    }
    return Promise.resolve();
  }

  latestMoveTask(): Promise<MoveTask | undefined> {
    return Promise.resolve(this.moves === 0 ? undefined : { status: 'COMPLETED' });
  }

  startMove(): Promise<string> {
    this.queue.redrive();
    this.moves += 1;
    return Promise.resolve(`local-move-${this.moves}`);
  }
}
