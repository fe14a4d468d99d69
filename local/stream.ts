import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphStandIn, OutboxEntry } from './graph-stand-in';

/** Often enough to feel live in the simulator; the outbox is in memory, so a poll costs microseconds. */
const POLL_MS = 100;
const KEEPALIVE_MS = 15_000;

/**
 * Server-sent events for the simulator: every outbound message to the user (and each change of
 * its status), and the read receipts and typing indicators for the user's own messages.
 */
export const streamConversation = (
  request: IncomingMessage,
  response: ServerResponse,
  standIn: GraphStandIn,
  to: string | undefined,
): void => {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.write('retry: 1000\n\n');
  const seen = new Map<string, OutboxEntry['status']>();
  let readsSeen = 0;
  const send = (event: string, data: unknown) =>
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const poll = () => {
    for (const entry of standIn.outbox({ to })) {
      if (seen.get(entry.wamid) === entry.status) continue;
      seen.set(entry.wamid, entry.status);
      send('outbound', entry);
    }
    const reads = standIn.reads();
    for (const receipt of reads.slice(readsSeen))
      send('read', { messageId: receipt.messageId, typing: receipt.typing });
    readsSeen = reads.length;
  };
  poll();
  const timer = setInterval(poll, POLL_MS);
  const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
  request.on('close', () => {
    clearInterval(timer);
    clearInterval(keepalive);
  });
};
