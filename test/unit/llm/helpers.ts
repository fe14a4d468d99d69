import type {
  ChatModel,
  ChatRequest,
  ChatResponse,
  ToolDefinition,
} from '../../../layers/core/llm/chat-model';
import type { Clock } from '../../../layers/core/ports/clock';

export const TEST_API_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';

export const manualClock = (start = new Date('2026-11-22T14:00:00Z')) => {
  let now = start.getTime();
  const clock: Clock = { now: () => new Date(now) };
  return {
    clock,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

export const REMINDER_TOOL: ToolDefinition = {
  name: 'create_reminder',
  description: 'Schedules a reminder for the user.',
  inputSchema: {
    type: 'object',
    properties: { text: { type: 'string' }, dueAt: { type: 'string', format: 'date-time' } },
    required: ['text', 'dueAt'],
  },
};

export const EXPENSE_TOOL: ToolDefinition = {
  name: 'record_expense',
  description: 'Records an expense.',
  inputSchema: {
    type: 'object',
    properties: { amount: { type: 'number' }, currency: { type: 'string' } },
    required: ['amount'],
  },
};

export const SYSTEM_PROMPT = 'Eres Chasqui, un asistente de recordatorios y gastos.';

export const helloRequest = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  system: SYSTEM_PROMPT,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hola' }] }],
  tools: [REMINDER_TOOL, EXPENSE_TOOL],
  ...overrides,
});

/** Stands in for the offline planner: free, local, answers every request. */
export const offlinePlanner = (): ChatModel & { calls: ChatRequest[] } => {
  const calls: ChatRequest[] = [];
  return {
    provider: 'offline',
    model: 'planner',
    calls,
    complete(request: ChatRequest): Promise<ChatResponse> {
      calls.push(request);
      return Promise.resolve({
        content: [{ type: 'text', text: 'Modo sin conexión: ¿qué recordatorio creo?' }],
        stopReason: 'end_turn',
        usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
        provider: 'offline',
        model: 'planner',
        latencyMs: 1,
      });
    },
  };
};
