import { randomBytes } from 'node:crypto';
import type * as z from 'zod/mini';

/**
 * Meta's error answers, as the Cloud API sends them: the message texts and HTTP statuses of
 * Meta's error-code reference. Graph answers most errors with 400; what clients must act on is
 * `error.code`.
 */
const KNOWN: Record<number, { message: string; status: number; type?: string }> = {
  2: { message: '(#2) Service temporarily unavailable', status: 503 },
  100: { message: '(#100) Invalid parameter', status: 400 },
  190: { message: 'Invalid OAuth access token - Cannot parse access token', status: 401 },
  368: { message: '(#368) Temporarily blocked for policies violations', status: 403 },
  130429: { message: '(#130429) Rate limit hit', status: 400 },
  131000: { message: '(#131000) Something went wrong', status: 500 },
  131008: { message: '(#131008) Required parameter is missing', status: 400 },
  131009: { message: '(#131009) Parameter value is not valid', status: 400 },
  131026: { message: '(#131026) Message undeliverable', status: 400 },
  131047: { message: '(#131047) Re-engagement message', status: 400 },
  131051: { message: '(#131051) Unsupported message type', status: 400 },
  131056: { message: '(#131056) (Business Account, Consumer Account) pair rate limit hit', status: 400 },
  131057: { message: '(#131057) Account in maintenance mode', status: 400 },
  132000: {
    message: '(#132000) Number of parameters does not match the expected number of params',
    status: 400,
  },
  132001: { message: '(#132001) Template name does not exist in the translation', status: 400 },
};

/** Meta's explanation in a failed status webhook for a message sent outside the 24 h window. */
export const WINDOW_CLOSED_STATUS_ERROR = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  error_data: {
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
};

export interface MetaErrorAnswer {
  status: number;
  body: { error: Record<string, unknown> };
}

const fbtraceId = (): string => randomBytes(12).toString('base64url').slice(0, 23);

export const metaError = (
  code: number,
  options: { status?: number; details?: string; message?: string; subcode?: number } = {},
): MetaErrorAnswer => {
  const known = KNOWN[code];
  return {
    status: options.status ?? known?.status ?? 400,
    body: {
      error: {
        message: options.message ?? known?.message ?? `(#${code}) Error`,
        type: 'OAuthException',
        code,
        ...(options.subcode !== undefined && { error_subcode: options.subcode }),
        ...(options.details !== undefined && {
          error_data: { messaging_product: 'whatsapp', details: options.details },
        }),
        fbtrace_id: fbtraceId(),
      },
    },
  };
};

/** Meta reports these as 100: "Param text['body'] must be at most 4096 characters long", "The parameter to is required". */
const REPORTED_AS_100 = new Set<PropertyKey>(['text', 'to']);

/**
 * Meta's answer to a request body our schema rejects: out-of-range values are 131009, an unknown
 * `type` is 131051, anything structural is 100.
 */
export const invalidRequest = (issues: readonly z.core.$ZodIssue[]): MetaErrorAnswer => {
  const details = issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
  const [first] = issues;
  if (first?.path[0] === 'type' && first.code === 'invalid_union') return metaError(131051, { details });
  const outOfRange = first?.code === 'too_big' || first?.code === 'too_small' || first?.code === 'custom';
  return metaError(outOfRange && !REPORTED_AS_100.has(first.path[0] ?? '') ? 131009 : 100, { details });
};
