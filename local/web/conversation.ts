import { type BubbleActions, formattedText, outboundContent } from './bubbles';
import { h } from './dom';
import { laterStatus, type TickStatus, ticks } from './ticks';
import type { OutboundMessage, OutboxEntry, UserMessage, UserMessageStatus } from './types';

/**
 * The message list. Directions follow Chasqui's side of the wire, as the outbox and the
 * database do: `in` is what the user sent to the business, `out` what the assistant sent.
 *
 * Entries arrive from history and from the live stream, in any order and more than once (every
 * status change re-sends the entry): each message is drawn once, by wamid, in time order.
 */
export class Conversation {
  private readonly items = new Map<string, HTMLLIElement>();
  private readonly statuses = new Map<string, TickStatus>();
  private readonly reactionsSeen = new Set<string>();
  /** Reactions whose message is not on screen yet. */
  private readonly pendingReactions = new Map<string, string>();

  constructor(
    private readonly list: HTMLOListElement,
    private readonly actions: BubbleActions,
  ) {}

  clear(): void {
    this.list.replaceChildren();
    this.items.clear();
    this.statuses.clear();
    this.reactionsSeen.clear();
    this.pendingReactions.clear();
  }

  /** Draws or updates an assistant message; true when it is a new message on screen. */
  showOutbound(entry: OutboxEntry): boolean {
    // The stand-in accepted it, so it passed outboundMessageSchema.
    const message = entry.body as OutboundMessage;
    if (message.type === 'reaction') {
      if (!this.reactionsSeen.has(entry.wamid)) {
        this.reactionsSeen.add(entry.wamid);
        this.react(message.reaction.message_id, message.reaction.emoji);
      }
      return false;
    }
    const isNew = !this.items.has(entry.wamid);
    if (isNew) {
      const content = outboundContent(message, entry.wamid, this.actions);
      this.add(
        entry.wamid,
        entry.at,
        'out',
        [...this.quote(message.context?.message_id), ...content.body],
        content.actions,
      );
    }
    this.setStatus(
      entry.wamid,
      entry.status,
      entry.errorCode === undefined ? undefined : String(entry.errorCode),
    );
    return isNew;
  }

  showUserMessage(message: UserMessage, preview?: Node): void {
    if (!this.items.has(message.wamid)) {
      const body = [
        ...this.quote(message.contextWamid),
        ...(preview ? [preview] : []),
        ...(message.text ? [formattedText(message.text)] : []),
      ];
      this.add(message.wamid, message.at, 'in', body);
    }
    this.setStatus(message.wamid, message.status, message.error);
  }

  setUserStatus(wamid: string, status: UserMessageStatus, error?: string): void {
    this.setStatus(wamid, status, error);
  }

  /** Whether the user's message is on screen with no assistant message after it. */
  awaitsReply(wamid: string): boolean {
    const item = this.items.get(wamid);
    if (!item) return false;
    for (let node = item.nextElementSibling; node; node = node.nextElementSibling) {
      if (node.getAttribute('data-direction') === 'out') return false;
    }
    return true;
  }

  private add(wamid: string, at: string, direction: 'in' | 'out', body: Node[], actions?: HTMLElement): void {
    const time = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const meta = h('p', { class: 'meta' }, h('time', { datetime: at }, time));
    const item = h(
      'li',
      {
        class: `message message-${direction}`,
        'data-testid': 'message',
        'data-direction': direction,
        'data-wamid': wamid,
        'data-at': at,
      },
      h('div', { class: 'bubble' }, ...body, meta),
      ...(actions ? [actions] : []),
    );
    this.items.set(wamid, item);
    this.insertInOrder(item, at);
    const emoji = this.pendingReactions.get(wamid);
    if (emoji !== undefined) {
      this.pendingReactions.delete(wamid);
      this.react(wamid, emoji);
    }
  }

  private insertInOrder(item: HTMLLIElement, at: string): void {
    let before: Element | null = null;
    for (let node = this.list.lastElementChild; node; node = node.previousElementSibling) {
      if ((node.getAttribute('data-at') ?? '') <= at) break;
      before = node;
    }
    this.list.insertBefore(item, before);
    if (before === null) item.scrollIntoView({ block: 'end' });
  }

  private setStatus(wamid: string, status: TickStatus, error?: string): void {
    const item = this.items.get(wamid);
    const current = this.statuses.get(wamid);
    const next = laterStatus(current, status);
    if (!item || (next === current && error === undefined)) return;
    this.statuses.set(wamid, next);
    item.dataset.status = next;
    item.querySelector('.ticks')?.remove();
    item.querySelector('.meta')?.append(ticks(next, next === status ? error : undefined));
  }

  /** An empty emoji removes the reaction, as on WhatsApp. */
  private react(wamid: string, emoji: string): void {
    const item = this.items.get(wamid);
    if (!item) {
      this.pendingReactions.set(wamid, emoji);
      return;
    }
    item.querySelector('.reaction')?.remove();
    if (emoji) {
      item
        .querySelector('.bubble')
        ?.append(
          h(
            'span',
            { class: 'reaction', 'data-testid': 'reaction', 'aria-label': `Reaction ${emoji}` },
            emoji,
          ),
        );
    }
  }

  private quote(wamid: string | undefined): Node[] {
    const quoted = wamid === undefined ? undefined : this.items.get(wamid);
    const text = quoted?.querySelector('.text')?.textContent;
    return text ? [h('blockquote', { class: 'quote' }, text)] : [];
  }
}
