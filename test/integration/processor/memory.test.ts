import { MetricNames } from '../../../layers/core/observability/metric-names';
import {
  buttonsOf,
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
  textOf,
} from '../../support/processor-harness';

const NOW = new Date('2026-05-01T15:00:00Z'); // Friday; 10:00 in Bogotá and in Lima
const DAY_MS = 86_400_000;
const ana: HarnessUser = { waId: '573001112233', name: 'Ana' };
const bob: HarnessUser = { waId: '16505551234', name: 'Bob' };
const carla: HarnessUser = { waId: '51987654321', name: 'Carla' };

let harness: ProcessorHarness;

const lastReply = (user: HarnessUser) => textOf(harness.sent(user).at(-1)!);

const memories = async (user: HarnessUser) => {
  const { rows } = await harness.db.query<{ kind: string; content: string; embedding_model: string | null }>(
    `SELECT m.kind, m.content, m.embedding_model FROM user_memory m JOIN users u ON u.id = m.user_id
     WHERE u.wa_id = $1 ORDER BY m.created_at`,
    [user.waId],
  );
  return rows;
};

beforeAll(async () => {
  harness = await startProcessorHarness({ now: NOW });
});
afterAll(() => harness.close());

describe('processor: long-term memory with the offline planner and the offline embedder', () => {
  it('remembers a fact and finds it weeks later, in Spanish', async () => {
    // Prepare
    harness.setNow(NOW);
    await harness.say(ana, 'recuerda que mi hermana Lucía cumple el 3 de mayo');
    const saved = lastReply(ana);
    harness.setNow(new Date(NOW.getTime() + 3 * 7 * DAY_MS));
    await harness.say(ana, 'gasté 12.000 en taxi');

    // Act
    await harness.say(ana, '¿cuándo cumple mi hermana Lucía?');

    // Assess
    expect(saved).toBe('🧠 Lo recordaré: *mi hermana Lucía cumple el 3 de mayo*.');
    expect(lastReply(ana)).toContain('Esto es lo que recuerdo');
    expect(lastReply(ana)).toContain('mi hermana Lucía cumple el 3 de mayo');
    expect(await memories(ana)).toEqual(
      expect.arrayContaining([
        {
          kind: 'fact',
          content: 'mi hermana Lucía cumple el 3 de mayo',
          embedding_model: 'chasqui-lexical-v1',
        },
      ]),
    );
  });

  it('keeps one memory when the same fact is said again in other words, and lists what it remembers', async () => {
    // Prepare
    harness.setNow(NOW);
    await harness.say(bob, 'remember that I prefer morning calls');

    // Act
    await harness.say(bob, 'remember that I prefer calls in the morning');
    const merged = lastReply(bob);
    await harness.say(bob, 'what do you remember about me?');

    // Assess
    expect(merged).toBe('🧠 Updated what I knew: *I prefer calls in the morning*.');
    expect(lastReply(bob)).toBe('🧠 What I remember about you:\n• I prefer calls in the morning (May 1)');
    expect((await memories(bob)).filter((memory) => memory.kind === 'fact')).toHaveLength(1);
  });

  it('forgets on request, and no longer finds what it forgot', async () => {
    // Prepare
    harness.setNow(NOW);
    await harness.say(bob, 'remember that my address is 221B Baker Street');
    await harness.say(bob, 'remember that I am allergic to peanuts');

    // Act
    await harness.say(bob, 'forget my address');
    const forgotten = lastReply(bob);
    await harness.say(bob, "what's my address?");

    // Assess
    expect(forgotten).toBe('🗑️ Done, I forgot: *my address is 221B Baker Street*.');
    expect(lastReply(bob)).not.toContain('221B');
    expect((await memories(bob)).map((memory) => memory.content)).toContain('I am allergic to peanuts');
  });

  it('asks which memory to forget when several fit, and forgets the one tapped', async () => {
    // Prepare
    harness.setNow(NOW);
    await harness.say(carla, 'recuerda que mi dirección es Calle 5 #10-20');
    await harness.say(carla, 'recuerda que la dirección de mi oficina es Carrera 7 #45-10');
    const question = await harness.say(carla, 'olvida la dirección');
    const office = buttonsOf(harness.sent(carla).at(-1)!).find((button) =>
      button.title.startsWith('la dirección'),
    )!;

    // Act
    const tap = harness.inbound(
      carla,
      { type: 'interactive', reply: { kind: 'button', id: office.id, title: office.title } },
      { contextWamid: question.wamid },
    );
    const response = await harness.process([tap]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(lastReply(carla)).toBe('🗑️ Listo, olvidé: *la dirección de mi oficina es Carrera 7 #45-10*.');
    expect((await memories(carla)).map((memory) => memory.content)).toEqual([
      'mi dirección es Calle 5 #10-20',
    ]);
  });

  it('makes an expense searchable by its exact amount, embedded right after the reply', async () => {
    // Prepare
    harness.setNow(NOW);
    await harness.say(carla, 'gasté 45,90 en almuerzo con Juan');

    // Act
    await harness.say(carla, '¿qué fue lo de 45,90?');

    // Assess
    expect(await memories(carla)).toEqual(
      expect.arrayContaining([
        {
          kind: 'expense',
          content: 'Gasto: 45.90 PEN en comida — almuerzo con Juan (2026-05-01)',
          embedding_model: 'chasqui-lexical-v1',
        },
      ]),
    );
    expect(lastReply(carla)).toContain('Gasto: 45.90 PEN en comida — almuerzo con Juan');
    expect(harness.metrics.total(MetricNames.memoriesEmbedded, { outcome: 'embedded' })).toBeGreaterThan(0);
  });
});
