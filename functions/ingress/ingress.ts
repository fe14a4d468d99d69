import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import {
  type IngressDeps,
  receiveWebhook,
  type WebhookRequest,
} from '../../layers/core/ingress/receive-webhook';

/** A plain loop: this runs on every webhook, and the entries/fromEntries round trip costs ~1 µs of ~30. */
const lowerCaseKeys = (headers: APIGatewayProxyEventV2['headers']): Record<string, string | undefined> => {
  const lowered: Record<string, string | undefined> = {};
  for (const name in headers) lowered[name.toLowerCase()] = headers[name];
  return lowered;
};

/** API Gateway may hand over the body base64-encoded; the signature covers the decoded bytes. */
export const toWebhookRequest = (event: APIGatewayProxyEventV2): WebhookRequest => ({
  method: event.requestContext.http.method.toUpperCase(),
  query: event.queryStringParameters ?? {},
  headers: lowerCaseKeys(event.headers),
  body: event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : (event.body ?? ''),
});

export const createIngress =
  (deps: IngressDeps) =>
  async (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    if (context) deps.logger.addContext(context);
    const response = await receiveWebhook(toWebhookRequest(event), deps);
    return {
      statusCode: response.statusCode,
      headers: { 'content-type': response.contentType },
      body: response.body,
    };
  };
