import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import type { RawDeadLetter, RawDeadLetterStore } from '../../ports/raw-dead-letters';

export interface S3RawDeadLetterStoreOptions {
  bucketName: string;
  client?: S3Client;
}

/**
 * The ingress runs outside the VPC and cannot reach Postgres, and a body may be 3 MB — too big
 * for a DynamoDB item (400 KB) or an SQS message — so poison bodies go to S3, byte for byte.
 */
export class S3RawDeadLetterStore implements RawDeadLetterStore {
  private readonly client: S3Client;
  private readonly bucketName: string;

  constructor(options: S3RawDeadLetterStoreOptions) {
    this.client = options.client ?? new S3Client({});
    this.bucketName = options.bucketName;
  }

  async put(letter: RawDeadLetter): Promise<string> {
    const day = letter.receivedAt.toISOString().slice(0, 10);
    const key = `ingress/${day}/${letter.reason}/${randomUUID()}`;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Body: letter.body,
        ContentType: 'application/octet-stream',
        Metadata: {
          reason: letter.reason,
          'received-at': letter.receivedAt.toISOString(),
          // S3 metadata is ASCII-only and limited to 2 KB in total.
          detail: (letter.detail ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 1024),
        },
      }),
    );
    return `s3://${this.bucketName}/${key}`;
  }
}
