import { createReminderHandler } from '../../../functions/reminder/reminder';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../../layers/core/outbound/templates';
import type { GraphApi } from '../../../layers/core/whatsapp/graph/client';
import { graphNetworkError } from '../../../layers/core/whatsapp/graph/errors';
import { lambdaContext } from '../../../local/lambda-context';
import { type ReminderHarness, startReminderHarness } from './harness';

const NOW = new Date('2026-11-22T15:00:00Z');
const user = { waId: '573001119988', name: 'Lucía' };

let harness: ReminderHarness;

beforeAll(async () => {
  harness = await startReminderHarness({ now: NOW });
});
afterAll(() => harness.close());

describe('reminder function: a send whose outcome is unknown', () => {
  it('is never sent twice: the retry keeps it as a dead letter with its reason instead', async () => {
    // Prepare: Meta accepts the reminder, but its answer is lost on the way back.
    await harness.say(user, 'hola');
    const reminder = await harness.createReminder(user, {
      text: 'tomar agua',
      due_local: '2026-11-22T12:00',
    });
    const fire = await harness.fireOf(user, reminder);
    const real = harness.deps.graph;
    const losingAnswers: GraphApi = {
      sendMessage: async (...args) => {
        await real.sendMessage(...args);
        throw graphNetworkError(new Error('The operation was aborted due to timeout'), true);
      },
      markRead: (...args) => real.markRead(...args),
      getMediaUrl: (...args) => real.getMediaUrl(...args),
      downloadMedia: (...args) => real.downloadMedia(...args),
      fetchMedia: (...args) => real.fetchMedia(...args),
    };
    const handler = createReminderHandler({
      db: harness.db,
      graph: losingAnswers,
      clock: harness.deps.clock,
      logger: harness.deps.logger,
      metrics: harness.metrics,
      schedulerFor: () => harness.scheduler,
      config: { templates: DEFAULT_MESSAGE_TEMPLATES },
    });
    harness.setNow(reminder.due_at);
    const before = harness.sent(user).length;

    // Act
    const first = handler(fire, lambdaContext('chasqui-test-reminder'));
    await expect(first).rejects.toMatchObject({ code: 'graph_timeout', retryable: true });
    const retried = await handler(fire, lambdaContext('chasqui-test-reminder'));

    // Assess
    expect(retried).toEqual({ outcome: 'dead_letter', reason: 'send_outcome_unknown' });
    expect(harness.sent(user).length).toBe(before + 1);
    const { rows } = await harness.db.query<{ source: string; reason: string }>(
      'SELECT source, reason FROM dead_letters WHERE external_id = $1',
      [`reminder:${reminder.id}:v${reminder.version}`],
    );
    expect(rows).toEqual([{ source: 'reminder', reason: 'send_outcome_unknown' }]);
  });
});
