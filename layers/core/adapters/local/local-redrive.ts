import type { DeadLetteredMessage, MoveTask, Peek, RedriveQueue } from '../../redrive/ports';
import type { LocalFifoQueue } from './local-fifo-queue';

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

  delete(message: DeadLetteredMessage): Promise<void> {
    this.queue.removeDeadLetter(message.receiptHandle);
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
