/** One message waiting in the processing DLQ, as a peek sees it. */
export interface DeadLetteredMessage {
  /** This stay's id: a message moved back and dead-lettered again comes back under a new one. */
  readonly messageId: string;
  /** Deletes this stay; valid only while the peek keeps the message hidden. */
  readonly receiptHandle: string;
  readonly groupId: string;
  readonly body: string;
  /** As the queue reports it when peeked; earlier peeks count too. */
  readonly receiveCount: number;
  /** The consumer's last error, where the queue keeps it (the local queue; SQS does not). */
  readonly lastError?: string;
}

export interface Peek {
  readonly messages: readonly DeadLetteredMessage[];
  /**
   * False when the peek stopped at its limit or could not reach every message (a FIFO queue shows no more of a
   * group while earlier messages of it are hidden): a move then also takes messages nobody counted.
   */
  readonly complete: boolean;
}

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface MoveTask {
  readonly status: MoveTaskStatus;
  readonly failureReason?: string;
}

/** The processing DLQ and the one move task it may have at a time (StartMessageMoveTask, FACTS "Redrive"). */
export interface RedriveQueue {
  /** Up to `limit` messages, oldest first per group, without removing them. */
  peek(limit: number): Promise<Peek>;
  /** Removes a peeked message for good. */
  delete(message: DeadLetteredMessage): Promise<void>;
  /** The most recent move task out of the DLQ, if there ever was one. */
  latestMoveTask(): Promise<MoveTask | undefined>;
  /** Starts moving every message in the DLQ back to the source queue, rate-limited; returns the task's handle. */
  startMove(): Promise<string>;
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** The "processing DLQ not empty" CloudWatch alarm. */
export interface AlarmState {
  current(): Promise<AlarmStateValue>;
}
