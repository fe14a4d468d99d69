import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { type LocalEnv, loadLocalEnv } from '../../local/config';
import { type LocalStack, startLocalStack } from '../../local/stack';

/** Debian's Chromium: CI installs it with apt; playwright-core bundles no browser. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = join(__dirname, '..', '..', 'test-results', 'simulator.png');
/** A 1×1 PNG: the smallest real photo to upload. */
const PIXEL_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8cf500f00038601805a347d6b0000000049454e44ae426082',
  'hex',
);
/** The offline planner answers in milliseconds; this only bounds a slow CI machine. */
const REPLY_TIMEOUT_MS = 10_000;

describe('chat simulator in a browser, against the local stack', () => {
  let dataDir: string;
  let env: LocalEnv;
  let stack: LocalStack;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `The browser tests need Debian's Chromium at ${CHROMIUM} (apt-get install -y chromium); CI installs it.`,
      );
    }
    dataDir = await mkdtemp(join(tmpdir(), 'chasqui-e2e-'));
    // An explicit environment: a developer's LLM keys must not turn the offline planner off.
    env = loadLocalEnv({ PORT: '0', DATA_DIR: dataDir });
    stack = await startLocalStack({ ...env, logLevel: 'ERROR' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const openSimulator = async (): Promise<Page> => {
    // A fresh context per test: its own localStorage, so no user leaks between tests.
    const context = await browser.newContext({ viewport: { width: 480, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(stack.url);
    await page.locator('[data-testid="business-number"]:not(:empty)').waitFor();
    expect(errors).toEqual([]);
    return page;
  };

  /** Creates a user through the form; returns their wa_id. */
  const createUser = async (page: Page, name: string, locale: 'es' | 'en'): Promise<string> => {
    if (!(await page.getByTestId('user-form').isVisible())) await page.getByTestId('new-user').click();
    await page.getByTestId('user-name').fill(name);
    await page.getByTestId('user-locale').selectOption(locale);
    const waId = (await page.getByTestId('user-number').inputValue()).replace(/\D/g, '');
    await page.getByTestId('create-user').click();
    await page.locator('[data-testid="composer"]:enabled').waitFor();
    return waId;
  };

  const say = async (page: Page, text: string): Promise<void> => {
    await page.getByTestId('composer').fill(text);
    await page.getByTestId('composer').press('Enter');
  };

  const fromAssistant = (page: Page) => page.locator('[data-testid="message"][data-direction="out"]');
  const fromUser = (page: Page) => page.locator('[data-testid="message"][data-direction="in"]');

  const reply = async (page: Page, text: string | RegExp): Promise<Locator> => {
    const message = fromAssistant(page).filter({ hasText: text }).last();
    await message.waitFor({ timeout: REPLY_TIMEOUT_MS });
    return message;
  };

  /**
   * Waits until a message's ticks reach `status` or a later one: they only move forward, and a fast
   * assistant may mark the user's message read before the test looks for "delivered".
   */
  const reachesStatus = (message: Locator, status: 'delivered' | 'read') => {
    const atLeast = status === 'delivered' ? ['delivered', 'read'] : ['read'];
    const selector = atLeast.map((value) => `[data-status="${value}"]`).join(', ');
    return message.and(message.page().locator(selector)).waitFor({ timeout: REPLY_TIMEOUT_MS });
  };

  const getJson = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${stack.url}${path}`);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  const fireDue = async (until: Date): Promise<unknown> => {
    const response = await fetch(`${stack.url}/local/scheduler/fire-due`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ until: until.toISOString() }),
    });
    expect(response.status).toBe(200);
    return response.json();
  };

  it('sets a reminder in English, lists it with a button, and shows it exactly once when it fires', async () => {
    const page = await openSimulator();
    const waId = await createUser(page, 'John Tester', 'en');

    await say(page, 'remind me tomorrow at 9 to call John');
    const confirmation = await reply(page, "I'll remind you to call John");
    expect(await confirmation.locator('strong').allInnerTexts()).toEqual(['call John']);
    expect(await confirmation.getByTestId('reply-button').allInnerTexts()).toEqual(['Undo', 'My reminders']);
    await reachesStatus(fromUser(page).first(), 'read');
    await reachesStatus(confirmation, 'read');
    expect(await page.getByTestId('typing').isHidden()).toBe(true);

    await confirmation.getByTestId('reply-button').filter({ hasText: 'My reminders' }).click();
    const list = await reply(page, 'Your reminders');
    expect(await list.innerText()).toContain('call John');
    expect(await fromUser(page).last().innerText()).toContain('My reminders');
    const reminders = await getJson<{ text: string; status: string }[]>(`/local/users/${waId}/reminders`);
    expect(reminders).toEqual([expect.objectContaining({ text: 'call John' })]);

    const before = await fromAssistant(page).count();
    await fireDue(new Date(Date.now() + 2 * 24 * 60 * 60 * 1000));
    const fired = await reply(page, 'Reminder: call John');
    expect(await fired.getByTestId('reply-button').count()).toBeGreaterThan(0);
    // A second sweep over the same period must not deliver it again.
    await fireDue(new Date(Date.now() + 2 * 24 * 60 * 60 * 1000));
    await page.waitForTimeout(500);
    expect(await fromAssistant(page).count()).toBe(before + 1);
    expect(await fromAssistant(page).filter({ hasText: 'Reminder: call John' }).count()).toBe(1);
    const [sent] = await getJson<{ status: string }[]>(`/local/users/${waId}/reminders`);
    expect(sent?.status).toBe('sent');

    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    await page.context().close();
  });

  it('holds a Spanish conversation: a reminder undone, an expense noted, accents signed as Meta signs them', async () => {
    const page = await openSimulator();
    const waId = await createUser(page, 'María Pérez', 'es');

    await say(page, 'recuérdame mañana a las 9 llamar a Juan');
    const confirmation = await reply(page, 'te recordaré llamar a Juan');
    expect(await confirmation.getByTestId('reply-button').allInnerTexts()).toEqual([
      'Deshacer',
      'Mis recordatorios',
    ]);
    await confirmation.getByTestId('reply-button').filter({ hasText: 'Deshacer' }).click();
    await reply(page, 'Cancelé el recordatorio llamar a Juan');
    const reminders = await getJson<{ status: string }[]>(`/local/users/${waId}/reminders`);
    expect(reminders.map((reminder) => reminder.status)).toEqual(['cancelled']);

    await say(page, 'gasté 45.000 en almuerzo');
    const noted = await reply(page, 'Anotado');
    expect(await noted.innerText()).toMatch(/45\.000/);
    const expenses = await getJson<{ amount: number | string }[]>(`/local/users/${waId}/expenses`);
    expect(expenses.map((expense) => Number(expense.amount))).toEqual([45000]);

    // Every accented message passed the ingress's signature check: none failed, all were read.
    const statuses = await fromUser(page).evaluateAll((items) => items.map((item) => item.dataset.status));
    expect(statuses).not.toContain('failed');
    await page.context().close();
  });

  /** Sends through the Graph API stand-in, as the assistant would: the simulator must draw what Meta accepts. */
  const sendAsBusiness = async (to: string, message: object): Promise<void> => {
    const response = await fetch(`${stack.graphUrl}/v23.0/${env.WHATSAPP_PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.WHATSAPP_ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to, ...message }),
    });
    expect(response.status).toBe(200);
  };

  it('draws text safely, sends a photo as a media webhook, and renders lists, templates and reactions', async () => {
    const page = await openSimulator();
    const waId = await createUser(page, 'Ana <b>Lista</b>', 'es');

    await say(page, 'hola <img src=x onerror="document.title=1"> *negrita* _cursiva_ ~tachado~ ```mono```');
    const greeting = fromUser(page).first();
    expect(await greeting.locator('img').count()).toBe(0);
    expect(await greeting.locator('strong, em, s, code').allInnerTexts()).toEqual([
      'negrita',
      'cursiva',
      'tachado',
      'mono',
    ]);
    await reply(page, /Puedo ayudarte|No entendí/);

    await page
      .getByTestId('image-input')
      .setInputFiles({ name: 'recibo.png', mimeType: 'image/png', buffer: PIXEL_PNG });
    const photo = fromUser(page).filter({ has: page.locator('img.preview') });
    await reachesStatus(photo, 'delivered');

    await sendAsBusiness(waId, {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: '¿En qué *categoría*?' },
        action: {
          button: 'Elegir',
          sections: [
            { title: 'Comunes', rows: [{ id: 'cat:food', title: 'Comida', description: 'Restaurantes' }] },
            { title: 'Otras', rows: [{ id: 'cat:other', title: 'Otros' }] },
          ],
        },
      },
    });
    await sendAsBusiness(waId, {
      type: 'template',
      template: {
        name: 'reminder_es',
        language: { code: 'es' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'llamar a Juan' }] }],
      },
    });
    const greetingWamid = (await greeting.getAttribute('data-wamid'))!;
    await sendAsBusiness(waId, { type: 'reaction', reaction: { message_id: greetingWamid, emoji: '👍' } });

    await page.getByTestId('template-parameter').filter({ hasText: 'llamar a Juan' }).waitFor();
    await greeting.getByTestId('reaction').filter({ hasText: '👍' }).waitFor();
    await page.getByTestId('list-button').click();
    expect(await page.getByTestId('list-row').allInnerTexts()).toEqual(['Comida\nRestaurantes', 'Otros']);
    await page.getByTestId('list-row').filter({ hasText: 'Comida' }).click();
    const choice = fromUser(page).filter({ hasText: 'Comida' });
    expect(await choice.locator('.quote').innerText()).toBe('¿En qué categoría?');
    await reachesStatus(choice, 'delivered');
    expect(await page.title()).not.toBe('1');
    await page.context().close();
  });
});
