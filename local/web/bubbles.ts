import { h } from './dom';
import { whatsappHtml } from './format';
import type { OutboundMessage } from './types';
import type { InteractiveReply } from './webhook';

type Interactive = Extract<OutboundMessage, { type: 'interactive' }>['interactive'];
export type ListMessage = Extract<Interactive, { type: 'list' }>;
type Template = Extract<OutboundMessage, { type: 'template' }>['template'];

export interface BubbleActions {
  choose: (reply: InteractiveReply, messageWamid: string) => void;
  openList: (list: ListMessage, messageWamid: string) => void;
}

export interface BubbleContent {
  body: Node[];
  /** Tappable replies, shown under the bubble as WhatsApp does. */
  actions?: HTMLElement;
}

export const formattedText = (text: string): HTMLDivElement => {
  const block = h('div', { class: 'text', 'data-testid': 'message-text' });
  // Safe: whatsappHtml escapes the text before adding its own tags.
  block.innerHTML = whatsappHtml(text);
  return block;
};

const MEDIA_LABELS = {
  image: '📷 Photo',
  video: '🎬 Video',
  document: '📄 Document',
  audio: '🎤 Audio',
  sticker: '🏷️ Sticker',
} as const;

const mediaContent = (type: keyof typeof MEDIA_LABELS, caption?: string): BubbleContent => ({
  body: [h('p', { class: 'media' }, MEDIA_LABELS[type]), ...(caption ? [formattedText(caption)] : [])],
});

const interactiveContent = (
  interactive: Interactive,
  wamid: string,
  actions: BubbleActions,
): BubbleContent => {
  const body: Node[] = [];
  if (interactive.header) body.push(h('p', { class: 'header' }, interactive.header.text));
  body.push(formattedText(interactive.body.text));
  if (interactive.footer) body.push(h('p', { class: 'footer' }, interactive.footer.text));
  if (interactive.type === 'list') {
    const open = h(
      'button',
      { type: 'button', class: 'reply', 'data-testid': 'list-button', 'aria-haspopup': 'dialog' },
      `☰ ${interactive.action.button}`,
    );
    open.addEventListener('click', () => actions.openList(interactive, wamid));
    return { body, actions: h('div', { class: 'replies' }, open) };
  }
  const buttons = interactive.action.buttons.map(({ reply }) => {
    const button = h(
      'button',
      { type: 'button', class: 'reply', 'data-testid': 'reply-button', 'data-id': reply.id },
      reply.title,
    );
    button.addEventListener('click', () =>
      actions.choose({ type: 'button_reply', button_reply: reply }, wamid),
    );
    return button;
  });
  return {
    body,
    actions: h('div', { class: 'replies', role: 'group', 'aria-label': 'Reply buttons' }, ...buttons),
  };
};

/** Meta renders the approved text; we have only the name and parameters, so show those. */
const templateContent = (template: Template): BubbleContent => ({
  body: [
    h(
      'p',
      { class: 'header' },
      `📋 ${template.name}`,
      h('span', { class: 'muted' }, ` · ${template.language.code}`),
    ),
    ...(template.components ?? []).map((component) =>
      h(
        'div',
        { class: 'template-component' },
        h(
          'span',
          { class: 'muted' },
          `${component.type}${component.index === undefined ? '' : ` ${component.index}`}: `,
        ),
        ...component.parameters.flatMap((parameter, index) => [
          ...(index === 0 ? [] : [' · ']),
          h('span', { class: 'parameter', 'data-testid': 'template-parameter' }, parameter.text),
        ]),
      ),
    ),
  ],
});

/** What an assistant message looks like on the user's phone. Reactions are not bubbles: see Conversation. */
export const outboundContent = (
  message: OutboundMessage,
  wamid: string,
  actions: BubbleActions,
): BubbleContent => {
  switch (message.type) {
    case 'text':
      return { body: [formattedText(message.text.body)] };
    case 'interactive':
      return interactiveContent(message.interactive, wamid, actions);
    case 'template':
      return templateContent(message.template);
    case 'reaction':
      return { body: [h('p', { class: 'muted' }, `Reacted ${message.reaction.emoji}`)] };
    case 'image':
      return mediaContent('image', message.image.caption);
    case 'video':
      return mediaContent('video', message.video.caption);
    case 'document':
      return mediaContent('document', message.document.caption ?? message.document.filename);
    case 'audio':
      return mediaContent('audio');
    case 'sticker':
      return mediaContent('sticker');
  }
};
