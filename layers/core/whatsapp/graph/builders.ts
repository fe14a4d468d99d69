import { MessageValidationError } from './errors';
import {
  BUTTON_BODY_MAX,
  BUTTON_TITLE_MAX,
  FOOTER_TEXT_MAX,
  HEADER_TEXT_MAX,
  LIST_BODY_MAX,
  LIST_BUTTON_LABEL_MAX,
  LIST_ROW_DESCRIPTION_MAX,
  LIST_ROW_TITLE_MAX,
  LIST_SECTION_TITLE_MAX,
  MEDIA_CAPTION_MAX,
} from './limits';
import {
  BSUID,
  type MediaMessageType,
  type OutboundMessage,
  parseOutboundMessage,
  type TemplateComponent,
} from './outbound-schema';
import { splitText, truncate } from './text-fit';

/**
 * Request bodies for `POST /{phone_number_id}/messages`. Every builder checks its result against
 * Meta's limits and throws `MessageValidationError` before anything is sent.
 */

/**
 * Who receives the message: a phone number (`wa_id`), a business-scoped user id, or a user
 * identity with either. Meta takes a phone number in `to` and a BSUID in `recipient`; with
 * both known we send only `to`, as Meta recommends, so webhooks keep carrying the phone number.
 */
export type Recipient = string | { waId?: string | undefined; bsuid?: string | undefined };

export interface ReplyOptions {
  /** The `wamid` being answered: WhatsApp shows the reply quoting it. */
  replyTo?: string;
}

export interface InteractiveOptions extends ReplyOptions {
  header?: string;
  footer?: string;
  /**
   * Shorten over-long text (body, header, footer, titles, labels, descriptions) with an ellipsis
   * instead of refusing it. Ids are never shortened: replies are routed by them.
   */
  fit?: boolean;
}

const address = (to: Recipient): { to: string } | { recipient: string } => {
  if (typeof to === 'string') return BSUID.test(to) ? { recipient: to } : { to };
  if (to.waId) return { to: to.waId };
  if (to.bsuid) return { recipient: to.bsuid };
  throw new MessageValidationError([
    { path: 'to', message: 'the user has neither a phone number nor a BSUID' },
  ]);
};

const envelope = (to: Recipient, replyTo: string | undefined) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  ...address(to),
  ...(replyTo !== undefined && { context: { message_id: replyTo } }),
});

const fitter =
  (fit: boolean | undefined) =>
  (text: string, max: number): string =>
    fit ? truncate(text, max) : text;

const decorations = (options: InteractiveOptions) => {
  const fit = fitter(options.fit);
  return {
    ...(options.header !== undefined && {
      header: { type: 'text', text: fit(options.header, HEADER_TEXT_MAX) },
    }),
    ...(options.footer !== undefined && { footer: { text: fit(options.footer, FOOTER_TEXT_MAX) } }),
  };
};

/**
 * A text message, split into several when the body is over 4096 characters (at paragraph
 * breaks, else sentence ends, else spaces). Only the first piece quotes `replyTo`.
 */
export const text = (
  to: Recipient,
  body: string,
  options: ReplyOptions & { previewUrl?: boolean } = {},
): OutboundMessage[] =>
  splitText(body).map((piece, index) =>
    parseOutboundMessage({
      ...envelope(to, index === 0 ? options.replyTo : undefined),
      type: 'text',
      text: { body: piece, ...(options.previewUrl !== undefined && { preview_url: options.previewUrl }) },
    }),
  );

export interface ReplyButton {
  id: string;
  title: string;
}

/** Up to three tappable buttons; titles at most 20 characters and unique. */
export const replyButtons = (
  to: Recipient,
  body: string,
  buttons: readonly ReplyButton[],
  options: InteractiveOptions = {},
): OutboundMessage => {
  const fit = fitter(options.fit);
  return parseOutboundMessage({
    ...envelope(to, options.replyTo),
    type: 'interactive',
    interactive: {
      type: 'button',
      ...decorations(options),
      body: { text: fit(body, BUTTON_BODY_MAX) },
      action: {
        buttons: buttons.map(({ id, title }) => ({
          type: 'reply',
          reply: { id, title: fit(title, BUTTON_TITLE_MAX) },
        })),
      },
    },
  });
};

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export interface ListSection {
  /** Required when there is more than one section. */
  title?: string;
  rows: readonly ListRow[];
}

/** A menu behind a button labelled `buttonLabel`: up to 10 sections and 10 rows in total. */
export const list = (
  to: Recipient,
  body: string,
  buttonLabel: string,
  sections: readonly ListSection[],
  options: InteractiveOptions = {},
): OutboundMessage => {
  const fit = fitter(options.fit);
  return parseOutboundMessage({
    ...envelope(to, options.replyTo),
    type: 'interactive',
    interactive: {
      type: 'list',
      ...decorations(options),
      body: { text: fit(body, LIST_BODY_MAX) },
      action: {
        button: fit(buttonLabel, LIST_BUTTON_LABEL_MAX),
        sections: sections.map((section) => ({
          ...(section.title !== undefined && { title: fit(section.title, LIST_SECTION_TITLE_MAX) }),
          rows: section.rows.map((row) => ({
            id: row.id,
            title: fit(row.title, LIST_ROW_TITLE_MAX),
            ...(row.description !== undefined && {
              description: fit(row.description, LIST_ROW_DESCRIPTION_MAX),
            }),
          })),
        })),
      },
    },
  });
};

/** An approved template: the only kind of message allowed outside the 24 h window. */
export const template = (
  to: Recipient,
  name: string,
  languageCode: string,
  components?: readonly TemplateComponent[],
): OutboundMessage =>
  parseOutboundMessage({
    ...envelope(to, undefined),
    type: 'template',
    template: { name, language: { code: languageCode }, ...(components && { components: [...components] }) },
  });

/** The body component filling a template's `{{1}}`, `{{2}}`… in order. */
export const bodyParameters = (...values: string[]): TemplateComponent => ({
  type: 'body',
  parameters: values.map((value) => ({ type: 'text', text: value })),
});

/** Reacts to `messageId` with `emoji`; an empty emoji removes the reaction. Meta reports only `sent`. */
export const reaction = (to: Recipient, messageId: string, emoji: string): OutboundMessage =>
  parseOutboundMessage({
    ...envelope(to, undefined),
    type: 'reaction',
    reaction: { message_id: messageId, emoji },
  });

export type MediaSource = { id: string } | { link: string };

/** An uploaded (`id`) or hosted (`link`) file. Captions suit image, video and document only. */
export const media = (
  to: Recipient,
  type: MediaMessageType,
  source: MediaSource,
  options: ReplyOptions & { caption?: string; filename?: string; fit?: boolean } = {},
): OutboundMessage =>
  parseOutboundMessage({
    ...envelope(to, options.replyTo),
    type,
    [type]: {
      ...source,
      ...(options.caption !== undefined && {
        caption: fitter(options.fit)(options.caption, MEDIA_CAPTION_MAX),
      }),
      ...(options.filename !== undefined && { filename: options.filename }),
    },
  });
