import type { ListMessage } from './bubbles';
import { byId, h } from './dom';
import type { InteractiveReply } from './webhook';

/**
 * The sheet WhatsApp opens from a list message's button: its sections and rows. A native modal
 * dialog gives focus trapping and Escape to close for free.
 */
export const listDialog = (choose: (reply: InteractiveReply, messageWamid: string) => void) => {
  const dialog = byId('list-dialog', HTMLDialogElement);
  const title = byId('list-dialog-title', HTMLHeadingElement);
  const sections = byId('list-dialog-sections', HTMLDivElement);

  return (list: ListMessage, messageWamid: string): void => {
    title.textContent = list.action.button;
    sections.replaceChildren(
      ...list.action.sections.map((section) =>
        h(
          'section',
          { class: 'list-section' },
          ...(section.title ? [h('h3', {}, section.title)] : []),
          ...section.rows.map((row) => {
            const button = h(
              'button',
              { type: 'button', class: 'list-row', 'data-testid': 'list-row', 'data-id': row.id },
              h('span', { class: 'row-title' }, row.title),
              ...(row.description ? [h('span', { class: 'row-description' }, row.description)] : []),
            );
            button.addEventListener('click', () => {
              dialog.close();
              choose({ type: 'list_reply', list_reply: row }, messageWamid);
            });
            return button;
          }),
        ),
      ),
    );
    dialog.showModal();
    sections.querySelector('button')?.focus();
  };
};
