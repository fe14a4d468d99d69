import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { EventQueue, QueueMessage, SendResult } from '../../ports/queue';

/** SQS FIFO drops a repeated deduplication id for five minutes (FACTS.md "SQS FIFO"). */
const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;

export interface StoredMessage extends QueueMessage {
  messageId: string;
  sentAt: number;
  receiveCount: number;
  visibleAt: number;
  lastError?: string;
}

export interface LocalFifoQueueOptions {
  /** How long a received message stays hidden before it is delivered again. */
  visibilityTimeoutMs: number;
  /** After this many receives, a failed message moves to the dead-letter queue (as on SQS). */
  maxReceiveCount: number;
  now?: () => number;
}

/**
 * An in-process SQS FIFO queue with the semantics the processor relies on: message groups
 * delivered in order and never in two batches at once, a visibility timeout, receive
 * counts, a dead-letter queue after `maxReceiveCount`, redrive, and five-minute deduplication.
 */
export class LocalFifoQueue implements EventQueue {
  private messages: StoredMessage[] = [];
  private deadLetters: StoredMessage[] = [];
  private readonly recentDeduplicationIds = new Map<string, number>();
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: LocalFifoQueueOptions) {
    this.now = options.now ?? Date.now;
  }

  send(messages: QueueMessage[]): Promise<SendResult> {
    const now = this.now();
    // Ids are remembered in the order they were sent, so the expired ones are at the front.
    for (const [id, at] of this.recentDeduplicationIds) {
      if (now - at <= DEDUPLICATION_INTERVAL_MS) break;
      this.recentDeduplicationIds.delete(id);
    }
    for (const message of messages) {
      if (this.recentDeduplicationIds.has(message.deduplicationId)) continue;
      this.recentDeduplicationIds.set(message.deduplicationId, now);
      this.messages.push({
        ...message,
        messageId: randomUUID(),
        sentAt: now,
        receiveCount: 0,
        visibleAt: now,
      });
    }
    this.notify();
    return Promise.resolve({ failed: [] });
  }

  /**
   * Up to `max` messages, as SQS FIFO hands them out: as many of one group as possible, in order, then the
   * next group's; a group with a message in flight (or waiting out a failure) gives nothing, so a group is
   * strictly ordered and its messages never run in two batches at once.
   */
  receive(max: number): StoredMessage[] {
    const now = this.now();
    const byGroup = new Map<string, StoredMessage[] | 'blocked'>();
    for (const message of this.messages) {
      const group = byGroup.get(message.groupId);
      if (group === 'blocked') continue;
      if (group === undefined) {
        byGroup.set(message.groupId, message.visibleAt > now ? 'blocked' : [message]);
      } else {
        group.push(message);
      }
    }
    const received: StoredMessage[] = [];
    for (const group of byGroup.values()) {
      if (group === 'blocked') continue;
      for (const message of group) {
        if (received.length >= max) break;
        message.receiveCount += 1;
        message.visibleAt = now + this.options.visibilityTimeoutMs;
        received.push(message);
      }
      if (received.length >= max) break;
    }
    return received.map((message) => ({ ...message }));
  }

  /** The consumer finished a message: it leaves the queue. */
  delete(messageId: string): void {
    this.messages = this.messages.filter((message) => message.messageId !== messageId);
    this.notify();
  }

  /**
   * The consumer failed a message: it becomes visible again after the visibility timeout, or
   * moves to the dead-letter queue once it has been received `maxReceiveCount` times.
   */
  fail(messageId: string, error: string): void {
    const message = this.messages.find((candidate) => candidate.messageId === messageId);
    if (!message) return;
    message.lastError = error;
    if (message.receiveCount >= this.options.maxReceiveCount) {
      this.messages = this.messages.filter((candidate) => candidate !== message);
      this.deadLetters.push(message);
    }
    this.notify();
  }

  /** Moves every dead letter back to the queue with a new id, as SQS's message move task does. */
  redrive(): number {
    const moved = this.deadLetters.map((message) => ({
      ...message,
      messageId: randomUUID(),
      receiveCount: 0,
      visibleAt: this.now(),
    }));
    this.deadLetters = [];
    this.messages.push(...moved);
    this.notify();
    return moved.length;
  }

  depth(): { visible: number; inFlight: number; deadLetters: number } {
    const now = this.now();
    const inFlight = this.messages.filter((message) => message.visibleAt > now).length;
    return { visible: this.messages.length - inFlight, inFlight, deadLetters: this.deadLetters.length };
  }

  /** When the next hidden message becomes visible, if any: lets a consumer sleep exactly that long. */
  nextVisibleAt(): number | undefined {
    const times = this.messages.map((message) => message.visibleAt);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  deadLetterMessages(): readonly StoredMessage[] {
    return this.deadLetters;
  }

  /** Drops one dead letter, as deleting it from an SQS DLQ does (a parked message leaves the DLQ). */
  removeDeadLetter(messageId: string): boolean {
    const before = this.deadLetters.length;
    this.deadLetters = this.deadLetters.filter((message) => message.messageId !== messageId);
    return this.deadLetters.length < before;
  }

  /** Called on every change, so a consumer can wait for work instead of polling. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Writes the queue to disk so stopping the local stack loses nothing; in-flight messages are
   * saved as visible, to be delivered again on the next start (at-least-once, like SQS).
   */
  async saveTo(file: string): Promise<void> {
    const snapshot = {
      messages: this.messages.map((message) => ({ ...message, visibleAt: 0 })),
      deadLetters: this.deadLetters,
    };
    await writeFile(`${file}.tmp`, JSON.stringify(snapshot));
    await rename(`${file}.tmp`, file);
  }

  async loadFrom(file: string): Promise<number> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const snapshot = JSON.parse(text) as { messages: StoredMessage[]; deadLetters: StoredMessage[] };
    this.messages.push(...snapshot.messages);
    this.deadLetters.push(...snapshot.deadLetters);
    this.notify();
    return snapshot.messages.length;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
