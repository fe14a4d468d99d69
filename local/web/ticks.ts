import { h } from './dom';
import type { OutboxEntry, UserMessageStatus } from './types';

export type TickStatus = OutboxEntry['status'] | UserMessageStatus;

/** Statuses may arrive out of order or skip a step (FACTS.md): never move one backwards; failed is terminal. */
const RANK: Record<TickStatus, number> = {
  sending: 0,
  accepted: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
};

export const laterStatus = <S extends TickStatus>(current: S | undefined, next: S): S =>
  current !== undefined && RANK[current] > RANK[next] ? current : next;

const LOOK: Record<TickStatus, { symbol: string; label: string }> = {
  sending: { symbol: '🕓', label: 'Sending' },
  accepted: { symbol: '🕓', label: 'Accepted, not sent yet' },
  sent: { symbol: '✓', label: 'Sent' },
  delivered: { symbol: '✓✓', label: 'Delivered' },
  read: { symbol: '✓✓', label: 'Read' },
  failed: { symbol: '⚠', label: 'Failed' },
};

/** The tick mark for a status; a failure names its cause (Meta's error code, or the HTTP answer). */
export const ticks = (status: TickStatus, error?: string): HTMLSpanElement => {
  const { symbol, label } = LOOK[status];
  const text = error === undefined ? symbol : `${symbol} ${error}`;
  return h(
    'span',
    {
      class: `ticks ticks-${status}`,
      'data-testid': 'ticks',
      'data-status': status,
      role: 'img',
      'aria-label': error === undefined ? label : `${label}: ${error}`,
    },
    text,
  );
};
