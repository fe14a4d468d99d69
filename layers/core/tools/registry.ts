import type { Database, TenantScope } from '../db/database';
import {
  findToolExecution,
  type Json,
  recordToolExecution,
  type ToolExecution,
  type ToolExecutionStatus,
} from '../db/repositories';
import { invalidJsonOf, type ToolInput } from '../llm/chat-model';
import { MetricNames } from '../observability/metric-names';
import type { MetricsPort } from '../ports/metrics';
import { calendarTools } from './calendar';
import { expenseTools } from './expenses';
import { handoffTools } from './handoff';
import { memoryTools } from './memory';
import { preferenceTools } from './preferences';
import { reminderTools } from './reminders';
import { usageTools } from './usage';
import { type Tool, type ToolContext, ToolRefusal, type ToolUser } from './tool';

export const ALL_TOOLS: readonly Tool[] = [
  ...reminderTools,
  ...expenseTools,
  ...calendarTools,
  ...preferenceTools,
  ...handoffTools,
  ...usageTools,
  ...memoryTools,
];

export interface ToolCall {
  id: string;
  name: string;
  input: ToolInput;
}

export interface ToolOutcome {
  toolUseId: string;
  name: string;
  status: ToolExecutionStatus;
  output: Record<string, Json>;
  /** True when this call had already run for this message: its recorded result is returned, nothing runs again. */
  replayed: boolean;
}

const asJson = (value: unknown): Json => JSON.parse(JSON.stringify(value ?? null)) as Json;

/** What a tool call runs with: the tool's own context (less the transaction, opened here) and the metrics. */
export interface ToolCallContext extends Omit<ToolContext, 'tx'> {
  readonly metrics: MetricsPort;
  /**
   * What the effect happens once for, when that is not the inbound message: a button tapped twice is two
   * messages, but one confirmation of the message that carried the button.
   */
  readonly effectKey?: string;
}

/** What every tool call may use, whoever makes it: the turn, a command, a tapped button. */
export type ToolPorts = Pick<ToolCallContext, 'scheduler' | 'operatorContact' | 'embedder' | 'metrics'>;

/** The context of the tool calls made for `scope`'s user while answering their message `messageWamid`. */
export const toolCallContext = (
  ports: ToolPorts,
  scope: Required<TenantScope>,
  user: Omit<ToolUser, 'id' | 'tenantId'>,
  message: { messageWamid: string; now: Date },
): ToolCallContext => ({
  user: { ...user, id: scope.userId, tenantId: scope.tenantId },
  now: message.now,
  messageWamid: message.messageWamid,
  scheduler: ports.scheduler,
  operatorContact: ports.operatorContact,
  embedder: ports.embedder,
  metrics: ports.metrics,
});

const replayOf = (call: ToolCall, previous: ToolExecution): ToolOutcome => ({
  toolUseId: call.id,
  name: call.name,
  status: previous.status,
  output: (previous.output ?? {}) as Record<string, Json>,
  replayed: true,
});

/**
 * Runs one tool call inside the user's RLS transaction and records it in `tool_executions` in the
 * same transaction. The call key (message wamid, tool, index) makes a replayed message return
 * the first result instead of repeating the effect. A refusal rolls back to a savepoint, so a
 * half-done effect never commits with it. A tool's `prepare` step runs before that transaction opens.
 * Infrastructure errors propagate: the turn fails and the queue retries it.
 */
export const runToolCall = async (
  db: Database,
  scope: TenantScope,
  call: ToolCall,
  callIndex: number,
  { metrics, effectKey, ...context }: ToolCallContext,
  tools: readonly Tool[] = ALL_TOOLS,
): Promise<ToolOutcome> => {
  const key = { messageWamid: effectKey ?? context.messageWamid, tool: call.name, callIndex };
  const tool = tools.find((candidate) => candidate.name === call.name);
  const rawJson = invalidJsonOf(call.input);
  const parsed = tool && rawJson === undefined ? tool.input.safeParse(call.input) : undefined;

  let prepared: unknown;
  let preparingMs = 0;
  if (tool?.prepare && parsed?.success) {
    // Even for a replay, which the transaction finds below: looking first would cost every call a
    // transaction to spare the rare redelivery one embedding request.
    const preparing = performance.now();
    prepared = await tool.prepare(context, parsed.data);
    preparingMs = performance.now() - preparing;
  }

  const outcome = await db.transaction(scope, async (tx): Promise<ToolOutcome> => {
    const previous = await findToolExecution(tx, key);
    if (previous) return replayOf(call, previous);
    const started = performance.now();
    let status: ToolExecutionStatus;
    let output: Record<string, Json>;
    if (!tool) {
      status = 'invalid';
      output = {
        error: 'unknown_tool',
        message: `There is no tool named ${call.name}`,
        tools: tools.map((t) => t.name),
      };
    } else if (rawJson !== undefined) {
      status = 'invalid';
      output = { error: 'invalid_json', message: 'The arguments were not valid JSON; send a JSON object' };
    } else if (!parsed?.success) {
      status = 'invalid';
      output = {
        error: 'invalid_arguments',
        issues: (parsed?.error.issues ?? []).map(
          (issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`,
        ),
      };
    } else {
      await tx.query('SAVEPOINT tool_call');
      try {
        output = await tool.execute({ ...context, tx }, parsed.data, prepared);
        status = 'ok';
      } catch (error) {
        if (!(error instanceof ToolRefusal)) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT tool_call');
        status = 'error';
        output = { error: error.reason, message: error.message, ...error.details };
      }
    }
    const { execution } = await recordToolExecution(tx, {
      ...key,
      input: asJson(call.input),
      output: asJson(output),
      status,
      durationMs: preparingMs + performance.now() - started,
    });
    return {
      toolUseId: call.id,
      name: call.name,
      status,
      output: asJson(execution.output) as Record<string, Json>,
      replayed: false,
    };
  });
  // Counted after the commit, once per call: a replay repeats no work. A name the model made up is
  // one `unknown` value, so the dimension stays as small as the tool list.
  if (!outcome.replayed)
    metrics.add(MetricNames.toolCalls, 'Count', 1, {
      tool: tool ? tool.name : 'unknown',
      status: outcome.status,
    });
  return outcome;
};
