import type * as S3Module from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
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
  private client: S3Client | undefined;
  private readonly bucketName: string;

  constructor(options: S3RawDeadLetterStoreOptions) {
    this.client = options.client;
    this.bucketName = options.bucketName;
  }

  async put(letter: RawDeadLetter): Promise<string> {
    // Loaded on first use: poison bodies are rare, and the S3 client adds ~20 ms to every cold start.
    // `require`, not `import()`: under nodenext a dynamic import would load the SDK's ESM build, a
    // second copy of its classes, next to the CommonJS one the rest of the code uses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PutObjectCommand, S3Client } = require('@aws-sdk/client-s3') as typeof S3Module;
    this.client ??= new S3Client({});
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
