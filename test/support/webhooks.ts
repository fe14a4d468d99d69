import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { signBody } from '../../layers/core/whatsapp/signature';

export const TEST_APP_SECRET = 'test-app-secret-0123456789';
export const TEST_VERIFY_TOKEN = 'test-verify-token';

const FIXTURES = join(__dirname, '..', 'fixtures', 'webhooks');

/** The exact bytes of a captured-shape webhook fixture. */
export const fixtureBytes = (name: string): Buffer =>
  readFileSync(join(FIXTURES, name.includes('.') ? name : `${name}.json`));

export const fixtureNames = (): string[] =>
  readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''));

export interface EventOptions {
  method?: 'GET' | 'POST' | 'PUT';
  signature?: string | null;
  base64?: boolean;
  query?: Record<string, string>;
}

/** An API Gateway HTTP API (payload v2) event as Lambda receives it. */
export const apiGatewayEvent = (
  body: Buffer | string,
  options: EventOptions = {},
): APIGatewayProxyEventV2 => {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const method = options.method ?? 'POST';
  const signature = options.signature === undefined ? signBody(bytes, TEST_APP_SECRET) : options.signature;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'facebookexternalua',
  };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return {
    version: '2.0',
    routeKey: `${method} /webhook`,
    rawPath: '/webhook',
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers,
    ...(options.query && { queryStringParameters: options.query }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method,
        path: '/webhook',
        protocol: 'HTTP/1.1',
        sourceIp: '173.252.88.1',
        userAgent: 'facebookexternalua',
      },
      requestId: 'request',
      routeKey: `${method} /webhook`,
      stage: '$default',
      time: '22/Nov/2026:14:00:00 +0000',
      timeEpoch: 1_763_820_000_000,
    },
    body: options.base64 ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: options.base64 ?? false,
  };
};
