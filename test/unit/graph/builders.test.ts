import {
  bodyParameters,
  list,
  type ListSection,
  media,
  reaction,
  replyButtons,
  template,
  text,
} from '../../../layers/core/whatsapp/graph/builders';
import { MessageValidationError } from '../../../layers/core/whatsapp/graph/errors';
import * as limits from '../../../layers/core/whatsapp/graph/limits';

const USER = '573001234567';
const BSUID = 'CO.13491208655302741918';
const WAMID = 'wamid.HBgMNTczMDAxMjM0NTY3FQIAEhgUM0FGMQAA';
const chars = (n: number, fill = 'x') => fill.repeat(n);

const validationError = (build: () => unknown): MessageValidationError => {
  try {
    build();
  } catch (error) {
    if (error instanceof MessageValidationError) return error;
    throw error;
  }
  throw new Error('expected a MessageValidationError');
};

const buttons = (n: number, title = (i: number) => `Opción ${i}`, id = (i: number) => `b${i}`) =>
  Array.from({ length: n }, (_, i) => ({ id: id(i), title: title(i) }));

const rows = (n: number, prefix = 'r') =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Fila ${i}` }));

describe('text', () => {
  it('builds the exact Cloud API body, quoting the message it answers', () => {
    expect(text(USER, 'Hola', { replyTo: WAMID, previewUrl: true })).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: USER,
        context: { message_id: WAMID },
        type: 'text',
        text: { body: 'Hola', preview_url: true },
      },
    ]);
  });

  it('addresses a business-scoped user id through recipient, not to', () => {
    const [message] = text(BSUID, 'Hola');
    expect(message).toMatchObject({ recipient: BSUID });
    expect(message).not.toHaveProperty('to');
  });

  it('prefers the phone number when an identity has both, as Meta recommends', () => {
    expect(text({ waId: USER, bsuid: BSUID }, 'Hola')[0]).toMatchObject({ to: USER });
    expect(text({ bsuid: BSUID }, 'Hola')[0]).toMatchObject({ recipient: BSUID });
  });

  it.each([
    ['an identity with neither id', {}],
    ['a malformed phone number', '57-300-abc'],
  ])('refuses %s before any request', (_case, to) => {
    expect(validationError(() => text(to, 'Hola')).issues[0]?.path).toBe('to');
  });

  it('sends a body of exactly 4096 characters as one message and 4097 as two', () => {
    expect(text(USER, chars(limits.TEXT_BODY_MAX))).toHaveLength(1);
    const split = text(USER, `${chars(limits.TEXT_BODY_MAX - 5)} ${chars(5)}`, { replyTo: WAMID });
    expect(split).toHaveLength(2);
    expect(split[0]).toHaveProperty('context');
    expect(split[1]).not.toHaveProperty('context');
  });

  it('refuses an empty body', () => {
    expect(validationError(() => text(USER, '')).issues).toEqual([
      { path: 'text.body', message: 'text body must not be empty' },
    ]);
  });
});

describe('replyButtons', () => {
  it('accepts every field at its limit', () => {
    const message = replyButtons(
      USER,
      chars(limits.BUTTON_BODY_MAX),
      buttons(
        limits.REPLY_BUTTONS_MAX,
        (i) => chars(limits.BUTTON_TITLE_MAX, String(i)),
        (i) => chars(limits.BUTTON_ID_MAX, String(i)),
      ),
      { header: chars(limits.HEADER_TEXT_MAX), footer: chars(limits.FOOTER_TEXT_MAX), replyTo: WAMID },
    );
    expect(message).toMatchObject({
      type: 'interactive',
      context: { message_id: WAMID },
      interactive: {
        type: 'button',
        header: { type: 'text', text: chars(limits.HEADER_TEXT_MAX) },
        footer: { text: chars(limits.FOOTER_TEXT_MAX) },
        action: {
          buttons: [{ type: 'reply', reply: { id: chars(256, '0'), title: chars(20, '0') } }, {}, {}],
        },
      },
    });
  });

  it.each([
    ['four buttons', () => replyButtons(USER, 'b', buttons(4)), 'interactive.action.buttons'],
    ['no button', () => replyButtons(USER, 'b', []), 'interactive.action.buttons'],
    [
      'a 21-character title',
      () =>
        replyButtons(
          USER,
          'b',
          buttons(1, () => chars(21)),
        ),
      'interactive.action.buttons.0.reply.title',
    ],
    [
      'a 257-character id',
      () =>
        replyButtons(
          USER,
          'b',
          buttons(1, undefined, () => chars(257)),
        ),
      'interactive.action.buttons.0.reply.id',
    ],
    ['a 1025-character body', () => replyButtons(USER, chars(1025), buttons(1)), 'interactive.body.text'],
    [
      'a 61-character header',
      () => replyButtons(USER, 'b', buttons(1), { header: chars(61) }),
      'interactive.header.text',
    ],
    [
      'a 61-character footer',
      () => replyButtons(USER, 'b', buttons(1), { footer: chars(61) }),
      'interactive.footer.text',
    ],
    [
      'two equal titles',
      () =>
        replyButtons(
          USER,
          'b',
          buttons(2, () => 'Sí'),
        ),
      'interactive.action.buttons',
    ],
    [
      'two equal ids',
      () =>
        replyButtons(
          USER,
          'b',
          buttons(2, undefined, () => 'same'),
        ),
      'interactive.action.buttons',
    ],
  ])('refuses %s, naming the field', (_case, build, path) => {
    expect(validationError(build).issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('never puts the message text in the error, which may be logged', () => {
    const secret = `Mi cuenta es ${chars(1030)}`;
    expect(validationError(() => replyButtons(USER, secret, buttons(1))).message).not.toContain('Mi cuenta');
  });

  it('shortens over-long titles, header and body with an ellipsis when asked to fit', () => {
    const message = replyButtons(USER, chars(1100), [{ id: 'book', title: 'Reservar una mesa para dos' }], {
      header: chars(70),
      fit: true,
    });
    expect(message).toMatchObject({
      interactive: {
        header: { text: `${chars(59)}…` },
        body: { text: `${chars(1023)}…` },
        action: { buttons: [{ reply: { id: 'book', title: 'Reservar una mesa…' } }] },
      },
    });
  });
});

describe('list', () => {
  const atLimits: ListSection[] = Array.from({ length: limits.LIST_SECTIONS_MAX }, (_, i) => ({
    title: chars(limits.LIST_SECTION_TITLE_MAX, String(i)),
    rows: [
      {
        id: chars(limits.LIST_ROW_ID_MAX, String(i)),
        title: chars(limits.LIST_ROW_TITLE_MAX),
        description: chars(limits.LIST_ROW_DESCRIPTION_MAX),
      },
    ],
  }));

  it('accepts ten sections, ten rows and every text at its limit', () => {
    const message = list(USER, chars(limits.LIST_BODY_MAX), chars(limits.LIST_BUTTON_LABEL_MAX), atLimits, {
      header: chars(limits.HEADER_TEXT_MAX),
      footer: chars(limits.FOOTER_TEXT_MAX),
    });
    expect(message).toMatchObject({
      type: 'interactive',
      interactive: { type: 'list', action: { button: chars(20), sections: atLimits } },
    });
  });

  it('accepts one untitled section', () => {
    expect(list(USER, 'Elige', 'Ver', [{ rows: rows(2) }])).toMatchObject({
      interactive: { action: { sections: [{ rows: rows(2) }] } },
    });
  });

  const section = (patch: Partial<ListSection>): ListSection[] => [{ title: 'S', rows: rows(1), ...patch }];
  const row = (patch: object) => section({ rows: [{ id: 'r', title: 'T', ...patch }] });

  it.each([
    ['11 sections', [...atLimits, { title: 'S', rows: rows(1, 'x') }], 'interactive.action.sections'],
    [
      '11 rows over two sections',
      [
        { title: 'A', rows: rows(6) },
        { title: 'B', rows: rows(5, 's') },
      ],
      'interactive.action.sections',
    ],
    [
      'two sections, one untitled',
      [{ title: 'A', rows: rows(1) }, { rows: rows(1, 's') }],
      'interactive.action.sections',
    ],
    ['a 25-character section title', section({ title: chars(25) }), 'interactive.action.sections.0.title'],
    ['a 25-character row title', row({ title: chars(25) }), 'interactive.action.sections.0.rows.0.title'],
    [
      'a 73-character description',
      row({ description: chars(73) }),
      'interactive.action.sections.0.rows.0.description',
    ],
    ['a 201-character row id', row({ id: chars(201) }), 'interactive.action.sections.0.rows.0.id'],
    ['a section without rows', section({ rows: [] }), 'interactive.action.sections.0.rows'],
    ['two rows with one id', section({ rows: [rows(1)[0]!, rows(1)[0]!] }), 'interactive.action.sections'],
  ])('refuses %s, naming the field', (_case, sections, path) => {
    expect(validationError(() => list(USER, 'Elige', 'Ver', sections)).issues.map((i) => i.path)).toEqual([
      path,
    ]);
  });

  it('refuses a 21-character button label and a 4097-character body', () => {
    expect(validationError(() => list(USER, 'b', chars(21), section({}))).issues[0]?.path).toBe(
      'interactive.action.button',
    );
    expect(validationError(() => list(USER, chars(4097), 'Ver', section({}))).issues[0]?.path).toBe(
      'interactive.body.text',
    );
  });

  it('fits an over-long label, row title and description when asked to', () => {
    const message = list(
      USER,
      'b',
      'Ver todas las opciones',
      row({ title: chars(30), description: chars(80) }),
      {
        fit: true,
      },
    );
    expect(message).toMatchObject({
      interactive: {
        action: {
          button: 'Ver todas las…',
          sections: [{ rows: [{ title: `${chars(23)}…`, description: `${chars(71)}…` }] }],
        },
      },
    });
  });
});

describe('template, reaction and media', () => {
  it('builds a template with positional body parameters', () => {
    expect(template(USER, 'reminder_due', 'es', [bodyParameters('Ana', 'mañana 9:00')])).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: USER,
      type: 'template',
      template: {
        name: 'reminder_due',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: 'mañana 9:00' },
            ],
          },
        ],
      },
    });
  });

  it('accepts a template name of 512 characters and refuses 513', () => {
    expect(template(USER, chars(limits.TEMPLATE_NAME_MAX, 'a'), 'es')).toMatchObject({ type: 'template' });
    expect(
      validationError(() => template(USER, chars(limits.TEMPLATE_NAME_MAX + 1, 'a'), 'es')).issues,
    ).toEqual([expect.objectContaining({ path: 'template.name' })]);
  });

  it('refuses a template name Meta would not have approved', () => {
    expect(validationError(() => template(USER, 'Reminder Due', 'es')).issues[0]?.path).toBe('template.name');
  });

  it('builds a reaction, and an empty emoji to remove it', () => {
    expect(reaction(USER, WAMID, '👍')).toMatchObject({
      type: 'reaction',
      reaction: { message_id: WAMID, emoji: '👍' },
    });
    expect(reaction(USER, WAMID, '')).toMatchObject({ reaction: { emoji: '' } });
  });

  it('builds media by id or link, with a caption and a document filename', () => {
    expect(media(USER, 'image', { id: '1234567890' }, { caption: 'Tu recibo' })).toMatchObject({
      type: 'image',
      image: { id: '1234567890', caption: 'Tu recibo' },
    });
    expect(
      media(
        USER,
        'document',
        { link: 'https://example.com/r.pdf' },
        { filename: 'recibo.pdf', replyTo: WAMID },
      ),
    ).toMatchObject({
      type: 'document',
      document: { link: 'https://example.com/r.pdf', filename: 'recibo.pdf' },
    });
  });

  it('accepts a caption of 1024 characters', () => {
    expect(media(USER, 'image', { id: '1' }, { caption: chars(limits.MEDIA_CAPTION_MAX) })).toMatchObject({
      image: { caption: chars(limits.MEDIA_CAPTION_MAX) },
    });
  });

  it.each([
    ['a caption on a voice note', () => media(USER, 'audio', { id: '1' }, { caption: 'x' }), 'audio'],
    ['a filename on an image', () => media(USER, 'image', { id: '1' }, { filename: 'x.png' }), 'image'],
    [
      'a link that is not http(s)',
      () => media(USER, 'image', { link: 'ftp://example.com/x.png' }),
      'image.link',
    ],
    [
      'a 1025-character caption',
      () => media(USER, 'video', { id: '1' }, { caption: chars(1025) }),
      'video.caption',
    ],
  ])('refuses %s', (_case, build, path) => {
    expect(validationError(build).issues[0]?.path).toBe(path);
  });
});
