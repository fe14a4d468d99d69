import { OpenAiEmbedder } from '../../../layers/core/llm/openai-embedder';
import { MetricNames } from '../../../layers/core/observability/metric-names';
import { paidModelsAllowed } from '../../../layers/core/processor/budget';
import { LlmStubServer, OPENAI_EMBEDDINGS_PATH, openaiEmbeddings } from '../../support/llm-stub-server';
import {
  type HarnessUser,
  type ProcessorHarness,
  startProcessorHarness,
} from '../../support/processor-harness';

const NOW = new Date('2026-11-22T15:00:00Z');
const API_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';
const DIMENSIONS = 384;
/** Every stubbed request bills this many tokens: $0.02 per million makes each cost $0.0000008. */
const TOKENS = 40;
const COST = (TOKENS * 0.02) / 1e6;
const vector = Array.from({ length: DIMENSIONS }, (_, index) => (index === 0 ? 1 : 0));

const embeddingRows = async (harness: ProcessorHarness, wamid: string) => {
  const { rows } = await harness.db.query<{
    wa_id: string;
    input_tokens: number;
    output_tokens: number;
    cost_usd: string;
    outcome: string;
  }>(
    `SELECT u.wa_id, a.input_tokens, a.output_tokens, a.cost_usd, a.outcome
     FROM ai_usage a JOIN users u ON u.id = a.user_id
     WHERE a.message_wamid = $1 AND a.model = 'text-embedding-3-small'`,
    [wamid],
  );
  return rows.map((row) => ({ ...row, cost_usd: Number(row.cost_usd) }));
};

describe('processor: what OpenAI embeddings cost', () => {
  let stub: LlmStubServer;
  let harness: ProcessorHarness;
  let users = 0;
  const newUser = (): HarnessUser => {
    users += 1;
    return { waId: `5730044400${String(users).padStart(2, '0')}`, name: `User ${users}` };
  };

  beforeAll(async () => {
    stub = await LlmStubServer.start();
    harness = await startProcessorHarness({
      now: NOW,
      embedder: new OpenAiEmbedder({
        apiKey: API_KEY,
        model: 'text-embedding-3-small',
        dimensions: DIMENSIONS,
        baseURL: `${stub.origin}/v1`,
        maxRetries: 0,
      }),
    });
  });
  afterAll(async () => {
    await harness.close();
    await stub.close();
  });
  beforeEach(() => {
    stub.reset();
    // More answers than a message needs; each request takes one, whatever asked for it.
    stub.enqueue(
      OPENAI_EMBEDDINGS_PATH,
      ...Array.from({ length: 6 }, () => openaiEmbeddings({ vectors: [vector], promptTokens: TOKENS })),
    );
  });

  it('records every embedding request of a turn for the user, with its tokens and cost, and counts it in the metrics', async () => {
    // Prepare
    const user = newUser();
    const metricsBefore = harness.metrics.recorded().length;

    // Act: the recall before answering and the remember tool both embed.
    const event = await harness.say(user, 'recuerda que mi hermana Lucía cumple el 3 de mayo');

    // Assess
    const requests = stub.requests(OPENAI_EMBEDDINGS_PATH).length;
    expect(requests).toBeGreaterThanOrEqual(2);
    const rows = await embeddingRows(harness, event.wamid);
    expect(rows).toHaveLength(requests);
    for (const row of rows) {
      expect(row).toEqual({
        wa_id: user.waId,
        input_tokens: TOKENS,
        output_tokens: 0,
        cost_usd: expect.closeTo(COST, 12),
        outcome: 'ok',
      });
    }
    const spend = harness.metrics
      .recorded()
      .slice(metricsBefore)
      .filter(
        (point) =>
          point.name === MetricNames.llmCostUsd && point.dimensions.model === 'text-embedding-3-small',
      )
      .map((point) => point.value);
    expect(spend).toEqual(Array.from({ length: requests }, () => expect.closeTo(COST, 12)));
  });

  it('counts embedding spend against the user’s daily budget', async () => {
    // Prepare
    const user = newUser();
    await harness.say(user, 'recuerda que prefiero llamadas en la mañana');
    const scope = await harness.scopeOf(user);
    const requests = stub.requests(OPENAI_EMBEDDINGS_PATH).length;
    const allowed = (userDailyUsd: number) =>
      paidModelsAllowed(harness.db, scope, { dailyUsd: 100, userDailyUsd }, NOW)();

    // Act
    const budgetAboveSpend = await allowed(requests * COST * 1.01);
    const budgetBelowSpend = await allowed(requests * COST * 0.99);

    // Assess: no model but the embedder was paid for, so this spend is all embeddings.
    expect(budgetAboveSpend).toBe(true);
    expect(budgetBelowSpend).toBe(false);
  });

  it('records the re-embedding done after the reply as the message’s spend too', async () => {
    // Prepare: an expense's text becomes a memory without a vector, embedded after the reply.
    const user = newUser();

    // Act
    const event = await harness.say(user, 'gasté 12.000 en taxi');

    // Assess: the first request is the turn's recall of the message itself.
    const inputs = stub
      .requests(OPENAI_EMBEDDINGS_PATH)
      .map((request) => (request.body as { input: string[] }).input);
    expect(inputs.slice(1).flat().join(' ')).toContain('taxi');
    expect(await embeddingRows(harness, event.wamid)).toHaveLength(inputs.length);
  });
});
