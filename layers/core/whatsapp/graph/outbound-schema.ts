import * as z from 'zod/mini';
import { MessageValidationError } from './errors';
import {
  BUTTON_BODY_MAX,
  BUTTON_ID_MAX,
  BUTTON_TITLE_MAX,
  FOOTER_TEXT_MAX,
  HEADER_TEXT_MAX,
  LIST_BODY_MAX,
  LIST_BUTTON_LABEL_MAX,
  LIST_ROW_DESCRIPTION_MAX,
  LIST_ROW_ID_MAX,
  LIST_ROW_TITLE_MAX,
  LIST_ROWS_MAX,
  LIST_SECTION_TITLE_MAX,
  LIST_SECTIONS_MAX,
  MEDIA_CAPTION_MAX,
  REPLY_BUTTONS_MAX,
  TEMPLATE_NAME_MAX,
  TEXT_BODY_MAX,
} from './limits';

/**
 * The request bodies of `POST /{phone_number_id}/messages`, as one schema. The builders check
 * what they build against it and the local stand-in checks what it receives against it, so a
 * payload the stand-in accepts is one the builders can produce, and the other way round.
 *
 * Objects are strict: Meta answers an unknown field with error 100, and a typo must fail here
 * rather than in production.
 */

/** A phone number as Meta's `wa_id` (digits, E.164 without the plus; the plus is tolerated). */
export const PHONE_NUMBER = /^\+?\d{6,15}$/;
/** A business-scoped user id: country code, optional `ENT.` (parent id), up to 128 alphanumerics. */
export const BSUID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;

const text = (what: string, max: number) =>
  z
    .string()
    .check(
      z.minLength(1, `${what} must not be empty`),
      z.maxLength(max, `${what} exceeds ${max} characters`),
    );

const unique = (values: string[]): boolean => new Set(values).size === values.length;

const envelope = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.optional(z.literal('individual')),
  /** Meta: `to` takes a phone number; `recipient` a BSUID. When both are sent, `to` wins. */
  to: z.optional(z.string().check(z.regex(PHONE_NUMBER, 'to must be a phone number (wa_id)'))),
  recipient: z.optional(z.string().check(z.regex(BSUID, 'recipient must be a business-scoped user id'))),
  context: z.optional(z.strictObject({ message_id: text('context.message_id', 256) })),
  biz_opaque_callback_data: z.optional(z.string().check(z.maxLength(512))),
};

const textHeader = z.strictObject({ type: z.literal('text'), text: text('header', HEADER_TEXT_MAX) });
const footer = z.strictObject({ text: text('footer', FOOTER_TEXT_MAX) });

const buttonsInteractive = z.strictObject({
  type: z.literal('button'),
  header: z.optional(textHeader),
  body: z.strictObject({ text: text('body', BUTTON_BODY_MAX) }),
  footer: z.optional(footer),
  action: z.strictObject({
    buttons: z
      .array(
        z.strictObject({
          type: z.literal('reply'),
          reply: z.strictObject({
            id: text('button id', BUTTON_ID_MAX),
            title: text('button title', BUTTON_TITLE_MAX),
          }),
        }),
      )
      .check(
        z.minLength(1, 'at least one button is required'),
        z.maxLength(REPLY_BUTTONS_MAX, `at most ${REPLY_BUTTONS_MAX} buttons are allowed`),
        z.refine(
          (buttons) => unique(buttons.map((button) => button.reply.title)),
          'button titles must be unique',
        ),
        // Our own rule: a reply is routed by its id, so two buttons with one id are ambiguous.
        z.refine((buttons) => unique(buttons.map((button) => button.reply.id)), 'button ids must be unique'),
      ),
  }),
});

const listRow = z.strictObject({
  id: text('row id', LIST_ROW_ID_MAX),
  title: text('row title', LIST_ROW_TITLE_MAX),
  description: z.optional(text('row description', LIST_ROW_DESCRIPTION_MAX)),
});

const listSection = z.strictObject({
  title: z.optional(text('section title', LIST_SECTION_TITLE_MAX)),
  rows: z.array(listRow).check(z.minLength(1, 'every section needs at least one row')),
});

const listInteractive = z.strictObject({
  type: z.literal('list'),
  header: z.optional(textHeader),
  body: z.strictObject({ text: text('body', LIST_BODY_MAX) }),
  footer: z.optional(footer),
  action: z.strictObject({
    button: text('list button label', LIST_BUTTON_LABEL_MAX),
    sections: z.array(listSection).check(
      z.minLength(1, 'at least one section is required'),
      z.maxLength(LIST_SECTIONS_MAX, `at most ${LIST_SECTIONS_MAX} sections are allowed`),
      z.refine(
        (sections) => sections.flatMap((section) => section.rows).length <= LIST_ROWS_MAX,
        `at most ${LIST_ROWS_MAX} rows are allowed over all sections`,
      ),
      z.refine(
        (sections) => sections.length === 1 || sections.every((section) => section.title !== undefined),
        'every section needs a title when there is more than one',
      ),
      z.refine(
        (sections) => unique(sections.flatMap((section) => section.rows.map((row) => row.id))),
        'row ids must be unique',
      ),
    ),
  }),
});

/** Text parameters only: no template of ours has a media header or currency/date parameters yet. */
const textParameter = z.strictObject({
  type: z.literal('text'),
  text: z.string().check(z.minLength(1, 'template parameters must not be empty')),
  /** Named parameters (`{{first_name}}`) instead of positional ones. */
  parameter_name: z.optional(z.string()),
});

const templateComponent = z.strictObject({
  type: z.enum(['header', 'body', 'button']),
  sub_type: z.optional(z.enum(['quick_reply', 'url', 'copy_code'])),
  index: z.optional(z.string()),
  parameters: z.array(textParameter),
});

const mediaSource = {
  id: z.optional(z.string().check(z.minLength(1))),
  link: z.optional(z.url({ protocol: /^https?$/, error: 'media link must be an http(s) URL' })),
};
const oneSource = z.refine<{ id?: string | undefined; link?: string | undefined }>(
  (media) => (media.id === undefined) !== (media.link === undefined),
  'media needs exactly one of id or link',
);
const caption = z.optional(text('caption', MEDIA_CAPTION_MAX));
const plainMedia = z.strictObject(mediaSource).check(oneSource);
const captionedMedia = z.strictObject({ ...mediaSource, caption }).check(oneSource);
const documentMedia = z
  .strictObject({ ...mediaSource, caption, filename: z.optional(z.string().check(z.minLength(1))) })
  .check(oneSource);

const message = <T extends string, S extends Record<string, z.ZodMiniType>>(type: T, shape: S) =>
  z.strictObject({ ...envelope, type: z.literal(type), ...shape });

export const outboundMessageSchema = z
  .discriminatedUnion('type', [
    message('text', {
      text: z.strictObject({ body: text('text body', TEXT_BODY_MAX), preview_url: z.optional(z.boolean()) }),
    }),
    message('interactive', {
      interactive: z.discriminatedUnion('type', [buttonsInteractive, listInteractive]),
    }),
    message('template', {
      template: z.strictObject({
        name: z
          .string()
          .check(
            z.regex(/^[a-z0-9_]+$/, 'template names are lowercase, digits and _'),
            z.maxLength(TEMPLATE_NAME_MAX),
          ),
        language: z.strictObject({
          code: z.string().check(z.minLength(2)),
          policy: z.optional(z.literal('deterministic')),
        }),
        components: z.optional(z.array(templateComponent)),
      }),
    }),
    message('reaction', {
      // An empty emoji removes the reaction.
      reaction: z.strictObject({ message_id: z.string().check(z.minLength(1)), emoji: z.string() }),
    }),
    message('image', { image: captionedMedia }),
    message('video', { video: captionedMedia }),
    message('document', { document: documentMedia }),
    message('audio', { audio: plainMedia }),
    message('sticker', { sticker: plainMedia }),
  ])
  .check(
    z.refine((payload) => payload.to !== undefined || payload.recipient !== undefined, {
      error: 'a message needs to (phone number) or recipient (business-scoped user id)',
      path: ['to'],
    }),
  );

export type OutboundMessage = z.infer<typeof outboundMessageSchema>;
export type OutboundMessageType = OutboundMessage['type'];
export type MediaMessageType = Extract<
  OutboundMessageType,
  'image' | 'video' | 'document' | 'audio' | 'sticker'
>;
export type TemplateComponent = z.infer<typeof templateComponent>;
export type InteractiveMessage = Extract<OutboundMessage, { type: 'interactive' }>;

/** `POST /{phone_number_id}/messages` with `status: read`: mark as read, optionally showing typing. */
export const markReadSchema = z.strictObject({
  messaging_product: z.literal('whatsapp'),
  status: z.literal('read'),
  message_id: z.string().check(z.minLength(1)),
  typing_indicator: z.optional(z.strictObject({ type: z.literal('text') })),
});
export type MarkReadRequest = z.infer<typeof markReadSchema>;

/** `payload` as a valid message, or a `MessageValidationError` naming every problem (never the content). */
export const parseOutboundMessage = (payload: unknown): OutboundMessage => {
  const result = outboundMessageSchema.safeParse(payload);
  if (result.success) return result.data;
  throw new MessageValidationError(
    result.error.issues.map((issue) => ({
      path: issue.path.join('.') || '(message)',
      message: issue.message,
    })),
  );
};
