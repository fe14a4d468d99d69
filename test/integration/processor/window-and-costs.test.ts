import { MetricNames } from '../../../layers/core/observability/metric-names';
import {
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
  textOf,
} from '../../support/processor-harness';

const NOW = new Date('2026-11-22T15:00:00Z');
const HOUR_MS = 3_600_000;
/** Meta's explanation in a `failed` status for a free-form message sent outside the window. */
const WINDOW_CLOSED = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  details:
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
};

let harness: ProcessorHarness;
let users = 0;

/** A Colombian user (country CO, from the number) who has not written yet. */
const newUser = (): HarnessUser => {
  users += 1;
  return { waId: `5730022200${String(users).padStart(2, '0')}`, name: `User ${users}` };
};

const outbound = async (user: HarnessUser) => {
  const { rows } = await harness.db.query<{
    wamid: string | null;
    type: string;
    body: string | null;
    status: string;
    cost_usd: string | null;
    idempotency_key: string | null;
  }>(
    `SELECT m.wamid, m.type, m.body, m.status, m.cost_usd, m.idempotency_key FROM messages m
     JOIN users u ON u.id = m.user_id WHERE u.wa_id = $1 AND m.direction = 'out' ORDER BY m.created_at`,
    [user.waId],
  );
  return rows;
};

const windowOf = async (user: HarnessUser) => {
  const { rows } = await harness.db.query<{ window_expires_at: Date | null }>(
    'SELECT window_expires_at FROM users WHERE wa_id = $1',
    [user.waId],
  );
  return rows[0]?.window_expires_at;
};

beforeAll(async () => {
  harness = await startProcessorHarness({ now: NOW });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.setNow(NOW));

describe('customer service window', () => {
  it('answers inside the window with free text, and counts the send by kind', async () => {
    const user = newUser();
    const before = harness.metrics.total(MetricNames.whatsappMessagesSent, { kind: 'text' });
    await harness.say(user, 'hola');
    expect(harness.sent(user).map((body) => body.type)).toEqual(['text']);
    expect(harness.metrics.total(MetricNames.whatsappMessagesSent, { kind: 'text' })).toBe(before + 1);
  });

  it('decides at send time: a message answered 25 hours late (a redrive) gets the re-engagement template', async () => {
    // Prepare: the message was sent yesterday and only now reaches the processor.
    const user = newUser();
    const late = harness.inbound(user, { type: 'text', text: 'gasté 20.000 en taxi' });
    const event = { ...late, sentAt: new Date(NOW.getTime() - 25 * HOUR_MS).toISOString() };

    // Act
    const response = await harness.process([event]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const [reply] = harness.sent(user);
    expect(reply).toMatchObject({
      type: 'template',
      template: { name: 'reengagement_es', language: { code: 'es' } },
    });
    const parameter = (reply!.template as { components: { parameters: { text: string }[] }[] }).components[0]!
      .parameters[0]!.text;
    expect(parameter).toContain('taxi');
    expect(parameter).not.toMatch(/\n/);
    expect(await outbound(user)).toEqual([
      expect.objectContaining({ type: 'template', idempotency_key: `reply:${event.wamid}:0` }),
    ]);
  });

  it('on a failed status with 131047 closes the window and sends the message once as its template', async () => {
    // Prepare
    const user = newUser();
    await harness.say(user, 'hola');
    const [reply] = await outbound(user);
    const sentBefore = harness.sent(user).length;
    const failed = harness.status(reply!.wamid!, user, 'failed', { errors: [WINDOW_CLOSED] });

    // Act: Meta delivers the status twice.
    const first = await harness.process([failed]);
    const again = await harness.process([failed], 2);

    // Assess
    expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
    const sent = harness.sent(user).slice(sentBefore);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'template', template: { name: 'reengagement_es' } });
    expect(await windowOf(user)).toEqual(expect.any(Date));
    expect((await windowOf(user))!.getTime()).toBeLessThanOrEqual(NOW.getTime());
    const rows = await outbound(user);
    expect(rows.map((row) => [row.type, row.status, row.idempotency_key])).toEqual([
      [reply!.type, 'failed', reply!.idempotency_key],
      ['template', 'pending', `${reply!.idempotency_key}:template`],
    ]);
  });

  it('keeps no window closed once the user writes again: the next reply is free text', async () => {
    // Prepare: a window Meta said is closed.
    const user = newUser();
    await harness.say(user, 'hola');
    const [reply] = await outbound(user);
    await harness.process([harness.status(reply!.wamid!, user, 'failed', { errors: [WINDOW_CLOSED] })]);

    // Act: the user writes again, which opens a new window.
    harness.setNow(new Date(NOW.getTime() + 60_000));
    await harness.say(user, '¿qué puedes hacer?');

    // Assess
    expect(harness.sent(user).at(-1)).toMatchObject({ type: 'text' });
    expect((await windowOf(user))!.getTime()).toBe(NOW.getTime() + 60_000 + 24 * HOUR_MS);
  });

  it('sends no template to a user who opted out after the refused message', async () => {
    // Prepare: the reply is refused as late, and in between the user sent STOP.
    const user = newUser();
    await harness.say(user, 'hola');
    const [reply] = await outbound(user);
    await harness.say(user, 'STOP');
    const before = harness.sent(user).length;

    // Act
    await harness.process([harness.status(reply!.wamid!, user, 'failed', { errors: [WINDOW_CLOSED] })]);

    // Assess
    expect(harness.sent(user)).toHaveLength(before);
  });

  it('does not answer a failed template with another template', async () => {
    const user = newUser();
    const late = harness.inbound(user, { type: 'text', text: 'hola' });
    await harness.process([{ ...late, sentAt: new Date(NOW.getTime() - 30 * HOUR_MS).toISOString() }]);
    const [template] = await outbound(user);
    const before = harness.sent(user).length;
    await harness.process([harness.status(template!.wamid!, user, 'failed', { errors: [WINDOW_CLOSED] })]);
    expect(harness.sent(user)).toHaveLength(before);
  });
});

describe('message costs', () => {
  it('gives a template its cost from the first status with pricing, once, and emits the cost metric once', async () => {
    // Prepare: a Colombian user's reply that had to go as a template.
    const user = newUser();
    const late = harness.inbound(user, { type: 'text', text: 'hola' });
    await harness.process([{ ...late, sentAt: new Date(NOW.getTime() - 30 * HOUR_MS).toISOString() }]);
    const [template] = await outbound(user);
    const pricing = { type: 'regular', category: 'utility', pricingModel: 'PMP' };
    const before = harness.metrics.recorded(MetricNames.whatsappMessageCostUsd).length;

    // Act
    await harness.process([harness.status(template!.wamid!, user, 'sent', { pricing })]);
    await harness.process([harness.status(template!.wamid!, user, 'delivered', { pricing })]);
    await harness.process([harness.status(template!.wamid!, user, 'sent', { pricing })], 2);

    // Assess: Colombia's utility rate.
    expect(Number((await outbound(user))[0]!.cost_usd)).toBe(0.0008);
    expect(harness.metrics.recorded(MetricNames.whatsappMessageCostUsd).slice(before)).toEqual([
      expect.objectContaining({ value: 0.0008, dimensions: { category: 'utility' } }),
    ]);
  });

  it('records a free reply inside the window at zero', async () => {
    const user = newUser();
    await harness.say(user, 'hola');
    const [reply] = await outbound(user);
    await harness.process([
      harness.status(reply!.wamid!, user, 'delivered', {
        pricing: { type: 'free_customer_service', category: 'service', pricingModel: 'PMP' },
      }),
    ]);
    expect(Number((await outbound(user))[0]!.cost_usd)).toBe(0);
    expect(textOf(harness.sent(user)[0]!)).not.toBe('');
  });

  it('gives a message that failed no cost', async () => {
    const user = newUser();
    await harness.say(user, 'hola');
    const [reply] = await outbound(user);
    await harness.process([
      harness.status(reply!.wamid!, user, 'failed', {
        errors: [{ code: 131026, title: 'Message undeliverable' }],
        pricing: { type: 'regular', category: 'utility' },
      }),
    ]);
    expect((await outbound(user))[0]!.cost_usd).toBeNull();
  });
});
