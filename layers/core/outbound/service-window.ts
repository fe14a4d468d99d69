import type { User } from '../db/repositories';

/**
 * Meta judges the window when it processes a message, and may report a miss only later, in a
 * `failed` status: too late to switch. A window about to close is treated as closed.
 */
const WINDOW_MARGIN_MS = 60_000;

/**
 * Whether free-form messages reach the user now: their last message opened a 24 h window
 * (`recordInboundActivity`) that has not run out, and Meta has not since said it closed
 * (`closeServiceWindow`). Decided at send time, never when a batch started.
 */
export const serviceWindowOpen = (user: Pick<User, 'windowExpiresAt'>, now: Date): boolean =>
  user.windowExpiresAt !== null && now.getTime() + WINDOW_MARGIN_MS < user.windowExpiresAt.getTime();
