import type { Database, TenantScope } from '../db/database';
import { getPreference, insertMemory, listOlderInboundMessages, setPreference } from '../db/repositories';
import type { Language } from '../assistant/replies';
import { say } from '../assistant/replies';
import { localDateOf } from '../tools/time';

/** Where the summaries stopped: the full-precision creation time of the last message summarised. */
const SUMMARIZED_THROUGH_KEY = 'memory.summarized_through';
/** User messages per summary: a summary is one memory, and a dozen lines still read as one conversation. */
export const SUMMARY_MESSAGES = 12;
const SUMMARY_LINE_CHARS = 120;

/**
 * Older conversation as memories of kind `summary`. The assistant reads the newest `keepRecent` messages
 * whole (and a line each for older ones that no longer fit its budget); what the user wrote before that
 * would otherwise be gone. Once a dozen such messages have gathered they become one summary — the user's
 * own words, a line each, with their dates — found later by memory search like any other memory. The
 * summary is extractive: it needs no model, so it costs nothing and invents nothing. Returns whether one
 * was written.
 */
export const summarizeOlderConversation = (
  db: Database,
  scope: Required<TenantScope>,
  options: { keepRecent: number; language: Language; timeZone: string },
): Promise<boolean> =>
  db.transaction(scope, async (tx) => {
    const marker = await getPreference(tx, SUMMARIZED_THROUGH_KEY);
    const older = await listOlderInboundMessages(tx, {
      keepRecent: options.keepRecent,
      ...(typeof marker === 'string' && { after: marker }),
      limit: SUMMARY_MESSAGES,
    });
    if (older.length < SUMMARY_MESSAGES) return false;
    const first = localDateOf(older[0]!.occurredAt, options.timeZone);
    const last = localDateOf(older.at(-1)!.occurredAt, options.timeZone);
    const period = first === last ? first : `${first} – ${last}`;
    const lines = older.map(
      (message) => `- ${message.body.replace(/\s+/g, ' ').slice(0, SUMMARY_LINE_CHARS)}`,
    );
    await insertMemory(tx, {
      kind: 'summary',
      content: `${say(options.language, `Conversación (${period}); el usuario escribió:`, `Conversation (${period}); the user wrote:`)}\n${lines.join('\n')}`,
      occurredAt: older[0]!.occurredAt,
    });
    await setPreference(tx, SUMMARIZED_THROUGH_KEY, older.at(-1)!.createdAt);
    return true;
  });
