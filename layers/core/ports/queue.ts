/** One message for a FIFO queue. */
export interface QueueMessage {
  body: string;
  /** Messages of one group are delivered in order; groups run in parallel. */
  groupId: string;
  /** The queue drops a second message with the same id within its deduplication interval. */
  deduplicationId: string;
}

export interface SendResult {
  /** Deduplication ids of the messages that could not be queued, even after retries. */
  failed: string[];
  /** Why the last failed attempt failed, for the logs; set only when something failed. */
  reason?: string;
}

export interface EventQueue {
  /** Sends every message, retrying only failures; never throws for a partial failure. */
  send(messages: QueueMessage[]): Promise<SendResult>;
}
