import type { Database } from '../../db/database';
import { recordDeadLetter } from '../../db/repositories';
import type { RawDeadLetter, RawDeadLetterStore } from '../../ports/raw-dead-letters';

/** Locally there is no S3: a poison webhook body goes to `dead_letters`, byte for byte (base64). */
export class DatabaseRawDeadLetterStore implements RawDeadLetterStore {
  constructor(private readonly db: Database) {}

  async put(letter: RawDeadLetter): Promise<string> {
    const body = Buffer.from(letter.body);
    const { id } = await recordDeadLetter(this.db, {
      source: 'ingress',
      reason: letter.reason,
      payload: { receivedAt: letter.receivedAt.toISOString(), bodyBase64: body.toString('base64') },
      receiveCount: 1,
      ...(letter.detail && { lastError: letter.detail }),
    });
    return `dead_letters/${id}`;
  }
}
