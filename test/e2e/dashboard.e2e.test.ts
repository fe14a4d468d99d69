import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { loadLocalEnv } from '../../local/config';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { ANTHROPIC_PATH, anthropicMessage, LlmStubServer } from '../support/llm-stub-server';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = join(__dirname, '..', '..', 'test-results', 'dashboard.png');
/** A priced model ($3 in, $15 out per million tokens; see layers/core/llm/prices.ts). */
const MODEL = 'claude-sonnet-4-6';
const TIMEOUT_MS = 10_000;

/** The amount a card or cell shows, e.g. "$0.0123" → 0.0123. */
const amountOf = (text: string): number => Number(text.replace(/[^0-9.]/g, ''));

describe('cost and latency dashboard in a browser, against the local stack', () => {
  let dataDir: string;
  let stub: LlmStubServer;
  let stack: LocalStack;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `The browser tests need Debian's Chromium at ${CHROMIUM} (apt-get install -y chromium); CI installs it.`,
      );
    }
    dataDir = await mkdtemp(join(tmpdir(), 'chasqui-dashboard-'));
    // The offline planner costs nothing: a stand-in for Anthropic on loopback answers with priced usage,
    // through the real SDK, router and price table.
    stub = await LlmStubServer.start();
    const env = loadLocalEnv({
      PORT: '0',
      DATA_DIR: dataDir,
      ANTHROPIC_API_KEY: 'sk-ant-local-test',
      ANTHROPIC_MODEL: MODEL,
      ANTHROPIC_BASE_URL: stub.origin,
    });
    stack = await startLocalStack({ ...env, logLevel: 'ERROR' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await stub?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const newPage = async (url: string, viewport = { width: 480, height: 900 }): Promise<Page> => {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    expect(errors).toEqual([]);
    return page;
  };

  /** One turn through the model: a tool call, then the words of the answer, each with its tokens. */
  const scriptTurn = (tool: { name: string; input: Record<string, unknown> }, answer: string) => {
    stub.enqueue(
      ANTHROPIC_PATH,
      anthropicMessage({
        model: MODEL,
        content: [{ type: 'tool_use', id: `toolu_${tool.name}`, name: tool.name, input: tool.input }],
        stopReason: 'tool_use',
        usage: { input_tokens: 1800, output_tokens: 60, cache_read_input_tokens: 1200 },
      }),
      anthropicMessage({
        model: MODEL,
        content: [{ type: 'text', text: answer }],
        usage: { input_tokens: 1900, output_tokens: 40 },
      }),
    );
  };

  it('shows non-zero cost and latency after a scripted conversation, and follows new messages live', async () => {
    // Prepare: a conversation in the simulator, answered by the (stand-in) paid model.
    const chat = await newPage(stack.url);
    await chat.locator('[data-testid="business-number"]:not(:empty)').waitFor();
    if (!(await chat.getByTestId('user-form').isVisible())) await chat.getByTestId('new-user').click();
    await chat.getByTestId('user-name').fill('Dana Dashboard');
    await chat.getByTestId('user-locale').selectOption('en');
    await chat.getByTestId('create-user').click();
    await chat.locator('[data-testid="composer"]:enabled').waitFor();
    const say = async (text: string, reply: string | RegExp) => {
      await chat.getByTestId('composer').fill(text);
      await chat.getByTestId('composer').press('Enter');
      await chat
        .locator('[data-testid="message"][data-direction="out"]')
        .filter({ hasText: reply })
        .last()
        .waitFor({ timeout: TIMEOUT_MS });
    };
    scriptTurn(
      { name: 'add_expense', input: { amount: 12.5, category: 'food', description: 'coffee' } },
      'Noted $12.50 for coffee.',
    );
    await say('I spent 12.50 on coffee', 'Noted $12.50 for coffee.');
    scriptTurn(
      { name: 'create_reminder', input: { text: 'call John', due_local: '2099-01-05T09:00' } },
      "I'll remind you to call John.",
    );
    await say('remind me on 5 January 2099 at 9 to call John', 'remind you to call John');
    await say('/cost', 'Your use of the assistant');
    expect(stub.requests(ANTHROPIC_PATH)).toHaveLength(4);

    // Act
    const dashboard = await newPage(`${stack.url}/dashboard`, { width: 1280, height: 1000 });
    await dashboard.locator('[data-testid="state"][data-state="live"]').waitFor({ timeout: TIMEOUT_MS });

    // Assess: cost from the database, priced by the real price table.
    const llmToday = amountOf(await dashboard.getByTestId('cost-llm-today').innerText());
    expect(llmToday).toBeGreaterThan(0);
    expect(amountOf(await dashboard.getByTestId('cost-projection').innerText())).toBeGreaterThanOrEqual(
      llmToday,
    );
    const byModel = await dashboard.getByTestId('cost-by-model').innerText();
    expect(byModel).toContain(`anthropic ${MODEL}`);
    expect(await dashboard.getByTestId('cost-by-user').innerText()).toContain('Dana Dashboard');
    expect(await dashboard.getByTestId('cost-by-user').innerText()).not.toMatch(/\d{8,}/);
    // Latency from the handlers' metrics: ACK, turn and the model's calls.
    const latencyRow = async (what: string) =>
      (
        await dashboard.getByTestId('latency').locator('tr', { hasText: what }).locator('td').allInnerTexts()
      ).map((cell) => cell.replace(/,/g, ''));
    const [, ackCount, , ackP95] = await latencyRow('Webhook ACK');
    expect(Number(ackCount)).toBeGreaterThanOrEqual(3);
    expect(Number(ackP95)).toBeGreaterThanOrEqual(0);
    const [, turns, turnP50, turnP95, turnP99] = await latencyRow('Turn, end to end');
    expect(Number(turns)).toBeGreaterThanOrEqual(3);
    for (const value of [turnP50, turnP95, turnP99]) expect(Number(value)).toBeGreaterThan(0);
    const llmRow = await dashboard
      .getByTestId('latency-by-model')
      .locator('tr', { hasText: `anthropic ${MODEL}` })
      .locator('td')
      .allInnerTexts();
    expect(Number(llmRow[1])).toBe(4);
    expect(await dashboard.locator('[data-testid="cost-chart"] canvas').count()).toBeGreaterThan(0);
    expect(await dashboard.locator('[data-testid="latency-chart"] canvas').count()).toBeGreaterThan(0);
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await dashboard.screenshot({ path: SCREENSHOT, fullPage: true });

    // Live: a new message shows up without reloading the page.
    const eventsBefore = Number(
      (await dashboard.getByTestId('counter-webhookEvents').innerText()).replace(/,/g, ''),
    );
    await say('/cost', 'Your use of the assistant');
    await dashboard
      .getByTestId('counter-webhookEvents')
      .filter({ hasNotText: new RegExp(`^${eventsBefore}$`) })
      .waitFor({ timeout: TIMEOUT_MS });

    await chat.context().close();
    await dashboard.context().close();
  });
});
