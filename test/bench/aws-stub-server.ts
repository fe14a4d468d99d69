import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the AWS JSON-protocol APIs the ingress calls (Secrets Manager,
 * DynamoDB, SQS), so a fresh process can run the real bundle and real SDK clients without
 * reaching AWS.
 */
export const startAwsStub = async (
  secret: Record<string, string>,
): Promise<{ url: string; server: Server }> => {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        Entries?: { Id: string; MessageBody: string }[];
        SecretId?: string;
      };
      let body: unknown = {};
      if (target.endsWith('GetSecretValue')) {
        body = {
          ARN: input.SecretId,
          Name: 'whatsapp',
          SecretString: JSON.stringify(secret),
          VersionId: 'v1',
        };
      } else if (target.endsWith('SendMessageBatch')) {
        body = {
          Successful: (input.Entries ?? []).map((entry) => ({
            Id: entry.Id,
            MessageId: `${entry.Id}-${Date.now()}`,
            MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
            SequenceNumber: '1',
          })),
          Failed: [],
        };
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
};
