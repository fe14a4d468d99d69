import * as z from 'zod/mini';
import { listMemories, type Memory, MEMORY_KINDS } from '../db/repositories';
import { embedOrSkip } from '../memory/embeddings';
import { searchMemories } from '../memory/search';
import { forget, remember } from '../memory/store';
import { endOfLocalDay, localDate, localDateOf, startOfLocalDay } from './time';
import { defineTool, type ToolContext, ToolRefusal } from './tool';

/** A memory is a sentence or two; a longer text is a document, not something to recall in a prompt. */
const MAX_MEMORY_CHARS = 500;
const MAX_RESULTS = 10;
const DEFAULT_LIST = 10;

export const memoryView = (memory: Memory, timeZone: string) => ({
  id: memory.id,
  kind: memory.kind,
  content: memory.content,
  date: localDateOf(memory.occurredAt, timeZone),
});

const dayRange = (context: ToolContext, from: string | undefined, to: string | undefined) => {
  const start = from === undefined ? undefined : startOfLocalDay(from, context.user.timeZone);
  const end = to === undefined ? undefined : endOfLocalDay(to, context.user.timeZone);
  if ((from !== undefined && !start) || (to !== undefined && !end) || (start && end && end <= start))
    throw new ToolRefusal('invalid_range', `${from ?? '…'}..${to ?? '…'} is not a valid range`);
  return { ...(start && { from: start }), ...(end && { to: end }) };
};

export const rememberTool = defineTool({
  name: 'remember',
  description:
    'Save something the user told you that will matter in later conversations — people and their birthdays, ' +
    'addresses, likes and dislikes, health facts (allergies), how they like things done — as one short ' +
    'standalone sentence in the user’s language, e.g. "My sister Ana’s birthday is May 3". Call it in the same ' +
    'turn whenever the user states such a fact, even unasked; a near-identical memory is updated, not ' +
    'duplicated. kind: fact (default) or preference. Not for reminders, events or expenses (they have their ' +
    'own tools), and never for card numbers or passwords.',
  input: z.object({
    content: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_MEMORY_CHARS)),
    kind: z.optional(z.enum(['fact', 'preference'])),
  }),
  prepare: (context, input) => embedOrSkip(context.embedder, input.content),
  async execute(context, input, vector) {
    const result = await remember(
      context.tx,
      context.embedder,
      { kind: input.kind ?? 'fact', content: input.content, occurredAt: context.now },
      vector,
    );
    return {
      memory: memoryView(result.memory, context.user.timeZone),
      merged: result.merged,
      ...(result.previous !== undefined && { previous: result.previous }),
    };
  },
});

export const searchMemoryTool = defineTool({
  name: 'search_memory',
  description:
    'Search what the user told you before (facts, preferences, summaries of older conversation) and the text ' +
    'of their expenses, events and reminders, by meaning and by exact words, names and amounts. Use it when ' +
    'the answer may be in something said earlier. Optional kind, and from/to local dates (yyyy-MM-dd, ' +
    'inclusive) on when it happened.',
  input: z.object({
    query: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_MEMORY_CHARS)),
    kind: z.optional(z.enum(MEMORY_KINDS)),
    from: z.optional(localDate),
    to: z.optional(localDate),
    limit: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_RESULTS))),
  }),
  prepare: (context, input) => embedOrSkip(context.embedder, input.query),
  async execute(context, input, vector) {
    const range = dayRange(context, input.from, input.to);
    const found = await searchMemories(
      context.tx,
      context.embedder,
      {
        text: input.query,
        ...(input.kind && { kinds: [input.kind] }),
        ...range,
        ...(input.limit && { limit: input.limit }),
      },
      vector,
    );
    return { query: input.query, memories: found.map((memory) => memoryView(memory, context.user.timeZone)) };
  },
});

export const listMemoriesTool = defineTool({
  name: 'list_memories',
  description:
    'List what you remember about the user, newest first: facts and preferences unless kind says otherwise. ' +
    'Use it for "what do you know about me?".',
  input: z.object({
    kind: z.optional(z.enum(MEMORY_KINDS)),
    limit: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_RESULTS * 2))),
  }),
  async execute(context, input) {
    const memories = await listMemories(context.tx, {
      kinds: input.kind ? [input.kind] : ['fact', 'preference'],
      limit: input.limit ?? DEFAULT_LIST,
    });
    return { memories: memories.map((memory) => memoryView(memory, context.user.timeZone)) };
  },
});

export const forgetMemoryTool = defineTool({
  name: 'forget_memory',
  description:
    'Forget something the user told you, when they ask ("forget my address"): by memory_id (from search_memory ' +
    'or list_memories) or by a short query. When several memories fit the query the tool refuses with them ' +
    'as candidates: ask the user which one.',
  input: z.object({
    memory_id: z.optional(z.string().check(z.uuid())),
    query: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_MEMORY_CHARS))),
  }),
  // An id needs no vector.
  prepare: async (context, input) =>
    input.memory_id || !input.query ? undefined : embedOrSkip(context.embedder, input.query),
  async execute(context, input, vector) {
    if (!input.memory_id && !input.query) throw new ToolRefusal('missing_target', 'Give memory_id or query');
    const outcome = await forget(
      context.tx,
      context.embedder,
      input.memory_id ? { id: input.memory_id } : { query: input.query!, vector },
    );
    if (outcome.kind === 'not_found') throw new ToolRefusal('not_found', 'No memory matches');
    if (outcome.kind === 'ambiguous') {
      throw new ToolRefusal('ambiguous', 'Several memories match', {
        candidates: outcome.candidates.map((memory) => memoryView(memory, context.user.timeZone)),
      });
    }
    return { forgotten: memoryView(outcome.memory, context.user.timeZone) };
  },
});

export const memoryTools = [rememberTool, searchMemoryTool, listMemoriesTool, forgetMemoryTool];
