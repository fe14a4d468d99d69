import type * as z from 'zod/mini';
import type { Tx } from '../db/database';
import type { Json } from '../db/repositories';
import type { Embedder } from '../ports/embedder';
import type { ReminderScheduler } from '../ports/scheduler';

/** The user a tool acts for, as the turn knows them. */
export interface ToolUser {
  id: string;
  tenantId: string;
  timeZone: string;
  locale: 'es' | 'en';
  currency: string;
}

/** Everything a tool may touch: the user's RLS transaction and the ports it needs. */
export interface ToolContext {
  tx: Tx;
  user: ToolUser;
  now: Date;
  /** The inbound message being answered: tool effects are recorded once per message. */
  messageWamid: string;
  scheduler: ReminderScheduler;
  /** How a person from the team reaches a user who asks for one (an e-mail, a number, a link). */
  operatorContact: string;
  /** Long-term memory's vectors. */
  embedder: Embedder;
}

/**
 * A failure the model (or the user) can fix: a past time, an unknown id, an ambiguous match.
 * It goes back to the model as the tool's result, never as a crash.
 */
export class ToolRefusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly details: Record<string, Json> = {},
  ) {
    super(message);
    this.name = 'ToolRefusal';
  }
}

export interface Tool<S extends z.ZodMiniType = z.ZodMiniType, Prepared = unknown> {
  name: string;
  /** Read by the model: say what the tool does and when to use it. */
  description: string;
  input: S;
  /**
   * Runs before the transaction opens, for what waits on another service (an embedding request): a
   * transaction held across it would hold one of the few pooled database connections all that time. Its
   * result is handed to `execute`. A replayed call still prepares (runToolCall finds the replay inside the
   * transaction) but skips `execute`. It must change nothing and refuse nothing:
   * effects and refusals belong in `execute`, where they are recorded with the call.
   */
  prepare?(context: Omit<ToolContext, 'tx'>, input: z.infer<S>): Promise<Prepared>;
  execute(context: ToolContext, input: z.infer<S>, prepared: Prepared): Promise<Record<string, Json>>;
}

/** Declares a tool with its input type inferred from the schema, and what it prepares from `prepare`. */
export const defineTool = <S extends z.ZodMiniType, Prepared = undefined>(
  tool: Tool<S, Prepared>,
): Tool<S, Prepared> => tool;
