import * as z from 'zod/mini';
import { type Tx } from '../database';
import { json, type Json, jsonParam, parseFirstRow, timestamp } from './rows';

export type ToolExecutionStatus = 'ok' | 'error' | 'invalid';

const toolExecutionRow = z.object({
  id: z.string(),
  messageWamid: z.string(),
  tool: z.string(),
  callIndex: z.number().check(z.int()),
  input: json,
  output: z.nullable(json),
  status: z.enum(['ok', 'error', 'invalid']),
  durationMs: z.number().check(z.int()),
  createdAt: timestamp,
});
export type ToolExecution = z.infer<typeof toolExecutionRow>;

const TOOL_EXECUTION_COLUMNS = `id, message_wamid AS "messageWamid", tool, call_index AS "callIndex", input,
  output, status, duration_ms AS "durationMs", created_at AS "createdAt"`;

/** Identifies one tool call: the n-th call of a tool while answering one inbound message. */
export interface ToolCallKey {
  readonly messageWamid: string;
  readonly tool: string;
  readonly callIndex: number;
}

export interface ToolExecutionRecord extends ToolCallKey {
  readonly input: Json;
  readonly output?: Json;
  readonly status: ToolExecutionStatus;
  readonly durationMs: number;
}

/**
 * Records a tool call. Recorded in the same transaction as the tool's effect, the unique call key makes the
 * effect happen once: for a replayed message `isNew` is false and the first execution is returned.
 */
export async function recordToolExecution(
  tx: Tx,
  execution: ToolExecutionRecord,
): Promise<{ execution: ToolExecution; isNew: boolean }> {
  const { rows } = await tx.query(
    `INSERT INTO tool_executions (message_wamid, tool, call_index, input, output, status, duration_ms)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7)
     ON CONFLICT (message_wamid, tool, call_index) DO NOTHING
     RETURNING ${TOOL_EXECUTION_COLUMNS}`,
    [
      execution.messageWamid,
      execution.tool,
      execution.callIndex,
      jsonParam(execution.input),
      jsonParam(execution.output),
      execution.status,
      Math.round(execution.durationMs),
    ],
  );
  const created = parseFirstRow(toolExecutionRow, rows);
  if (created) return { execution: created, isNew: true };
  const existing = await findToolExecution(tx, execution);
  if (!existing) throw new Error('Tool call key is recorded outside this scope');
  return { execution: existing, isNew: false };
}

export async function findToolExecution(tx: Tx, key: ToolCallKey): Promise<ToolExecution | undefined> {
  const { rows } = await tx.query(
    `SELECT ${TOOL_EXECUTION_COLUMNS} FROM tool_executions
     WHERE message_wamid = $1 AND tool = $2 AND call_index = $3`,
    [key.messageWamid, key.tool, key.callIndex],
  );
  return parseFirstRow(toolExecutionRow, rows);
}
