import {
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
  textOf,
} from '../../support/processor-harness';
import { paidRouter } from '../../support/paid-router';

const NOW = new Date('2026-11-22T15:00:00Z');
const dan: HarnessUser = { waId: '16505550101', name: 'Dan' };

describe('processor: daily budgets', () => {
  let harness: ProcessorHarness;
  let paidCalls = 0;

  beforeAll(async () => {
    const model = paidRouter(() => paidCalls++);
    harness = await startProcessorHarness({ now: NOW, model });
  });
  afterAll(() => harness.close());

  it('uses the paid model under budget, the offline planner over it, and says so once a day', async () => {
    await harness.say(dan, 'hello there');
    expect(textOf(harness.sent(dan).at(-1)!)).toBe('paid answer');
    expect(paidCalls).toBe(1);

    await harness.spend(dan, 2);

    await harness.say(dan, 'what are my reminders?');
    const overBudget = textOf(harness.sent(dan).at(-1)!);
    expect(overBudget).toContain('usage limit was reached');
    expect(overBudget).toContain('You have no upcoming reminders.');
    await harness.say(dan, 'what are my reminders?');
    expect(textOf(harness.sent(dan).at(-1)!)).not.toContain('usage limit');
    expect(paidCalls).toBe(1);
  });
});
