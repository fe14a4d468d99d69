import * as z from 'zod/mini';

/**
 * What the Graph API answers. Objects are loose: Meta adds response fields without notice, and a
 * new field must not turn a message that was sent into an error (a retry would send it twice).
 */

const optionalString = z.optional(z.string());

const sentMessage = z.looseObject({ id: z.string().check(z.minLength(1)), message_status: optionalString });

/** `POST /{phone_number_id}/messages`. `wa_id` is absent when the send used a BSUID. */
export const sendMessageResponseSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  contacts: z.optional(
    z.array(z.looseObject({ input: optionalString, wa_id: optionalString, user_id: optionalString })),
  ),
  messages: z.tuple([sentMessage], sentMessage),
});

/** Mark as read (and typing indicator). */
export const successResponseSchema = z.looseObject({ success: z.literal(true) });

/** `GET /{media_id}`. Meta has sent `file_size` both as a number and as a numeric string. */
export const mediaUrlResponseSchema = z.looseObject({
  url: z.url(),
  mime_type: z.string(),
  sha256: z.string(),
  file_size: z.coerce.number().check(z.int(), z.nonnegative()),
  id: optionalString,
});
export type MediaUrl = Pick<
  z.infer<typeof mediaUrlResponseSchema>,
  'url' | 'mime_type' | 'sha256' | 'file_size'
>;

/** Every Graph API error: `{error:{message,type,code,error_subcode,error_data:{details},fbtrace_id}}`. */
export const metaErrorResponseSchema = z.looseObject({
  error: z.looseObject({
    message: optionalString,
    type: optionalString,
    code: z.number(),
    error_subcode: z.optional(z.number()),
    error_data: z.optional(z.looseObject({ messaging_product: optionalString, details: optionalString })),
    error_user_title: optionalString,
    error_user_msg: optionalString,
    fbtrace_id: optionalString,
  }),
});
export type MetaErrorResponse = z.infer<typeof metaErrorResponseSchema>;
