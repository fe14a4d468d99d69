import { MemoryBreakerStore } from '../../../layers/core/adapters/local/memory-breaker-store';
import { ANTHROPIC_PROVIDER } from '../../../layers/core/llm/anthropic';
import { OPENAI_PROVIDER } from '../../../layers/core/llm/openai';
import type { BreakerState } from '../../../layers/core/ports/breaker-store';
import { holdFor, type HoldDeps } from '../../../layers/core/redrive/hold';
import type { AlarmStateValue, MoveTask, RedriveQueue } from '../../../layers/core/redrive/ports';
import { LLM_PROVIDERS } from '../../../layers/core/redrive/providers';

const build = async (options: {
  alarm?: AlarmStateValue;
  task?: MoveTask;
  breakers?: Record<string, BreakerState>;
}) => {
  const breakers = new MemoryBreakerStore();
  for (const [provider, state] of Object.entries(options.breakers ?? {})) {
    await breakers.put(
      provider,
      { state, consecutiveFailures: 3, openedAt: new Date(), updatedAt: new Date() },
      0,
    );
  }
  let taskReads = 0;
  const queue: Pick<RedriveQueue, 'latestMoveTask'> = {
    latestMoveTask: () => {
      taskReads += 1;
      return Promise.resolve(options.task);
    },
  };
  const deps: HoldDeps = {
    queue: queue as RedriveQueue,
    ...(options.alarm && { alarm: { current: () => Promise.resolve(options.alarm!) } }),
    breakers,
    providers: LLM_PROVIDERS,
  };
  return { deps, taskReads: () => taskReads };
};

describe('redrive hold rule', () => {
  it('names the same providers as the breakers of the processor', () => {
    // Assess
    expect(LLM_PROVIDERS).toEqual([ANTHROPIC_PROVIDER, OPENAI_PROVIDER]);
  });

  it('lets a scheduled run redrive when the alarm reports waiting messages and every breaker is closed', async () => {
    // Prepare
    const { deps } = await build({
      alarm: 'ALARM',
      task: { status: 'COMPLETED' },
      breakers: { anthropic: 'closed' },
    });

    // Act
    const hold = await holdFor(deps, 'schedule');

    // Assess
    expect(hold).toBeUndefined();
  });

  it('holds a scheduled run while the alarm is OK, without asking SQS anything', async () => {
    // Prepare
    const { deps, taskReads } = await build({ alarm: 'OK' });

    // Act
    const hold = await holdFor(deps, 'schedule');

    // Assess
    expect(hold).toEqual({ reason: 'dlq_empty' });
    expect(taskReads()).toBe(0);
  });

  it('looks at the DLQ on schedule when the alarm has no data yet or there is no alarm at all', async () => {
    // Prepare
    const noData = await build({ alarm: 'INSUFFICIENT_DATA' });
    const noAlarm = await build({});

    // Act
    const holds = [await holdFor(noData.deps, 'schedule'), await holdFor(noAlarm.deps, 'schedule')];

    // Assess
    expect(holds).toEqual([undefined, undefined]);
  });

  it('holds a scheduled run while a breaker is open or half-open, and lets a manual run through', async () => {
    // Prepare
    const { deps } = await build({ alarm: 'ALARM', breakers: { anthropic: 'open', openai: 'half_open' } });

    // Act
    const scheduled = await holdFor(deps, 'schedule');
    const manual = await holdFor(deps, 'manual');

    // Assess
    expect(scheduled).toEqual({ reason: 'providers_unhealthy', detail: 'anthropic open, openai half_open' });
    expect(manual).toBeUndefined();
  });

  it('holds both kinds of run while a move task is running or cancelling', async () => {
    // Prepare
    const running = await build({ alarm: 'ALARM', task: { status: 'RUNNING' } });
    const cancelling = await build({ alarm: 'ALARM', task: { status: 'CANCELLING' } });

    // Act
    const holds = [
      await holdFor(running.deps, 'schedule'),
      await holdFor(running.deps, 'manual'),
      await holdFor(cancelling.deps, 'manual'),
    ];

    // Assess
    expect(holds).toEqual([
      { reason: 'move_running' },
      { reason: 'move_running' },
      { reason: 'move_running' },
    ]);
  });

  it('holds a scheduled run after a failed move task until a manual run has gone through', async () => {
    // Prepare
    const { deps } = await build({
      alarm: 'ALARM',
      task: { status: 'FAILED', failureReason: 'AccessDenied' },
    });

    // Act
    const scheduled = await holdFor(deps, 'schedule');
    const manual = await holdFor(deps, 'manual');

    // Assess
    expect(scheduled).toEqual({ reason: 'last_move_failed', detail: 'AccessDenied' });
    expect(manual).toBeUndefined();
  });
});
