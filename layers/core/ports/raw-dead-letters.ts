/** A correctly signed request body that is not a WhatsApp envelope: kept for a human, never retried. */
export interface RawDeadLetter {
  reason: string;
  receivedAt: Date;
  body: Uint8Array;
  detail?: string;
}

export interface RawDeadLetterStore {
  /** Returns where it was kept (an object key or row id). */
  put(letter: RawDeadLetter): Promise<string>;
}
