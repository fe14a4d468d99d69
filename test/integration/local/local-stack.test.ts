import type { LocalStack } from '../../../local/stack';
import { signBody } from '../../../layers/core/whatsapp/signature';
import {
  buttonReplyWebhook,
  outbox,
  postWebhook,
  replyTo,
  startTestStack,
  tempDataDir,
  textWebhook,
  visibleText,
  waitFor,
} from '../../support/local-stack';

const ana = { waId: '573001112233', name: 'Ana' };
const bob = { waId: '16505551234', name: 'Bob' };

describe('local stack over HTTP', () => {
  let stack: LocalStack;
  const dataDir = tempDataDir();

  beforeAll(async () => {
    stack = await startTestStack(dataDir);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers the subscription check like Meta expects', async () => {
    const ok = await fetch(
      `${stack.url}/webhook?hub.mode=subscribe&hub.verify_token=local-verify-token&hub.challenge=42`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, '42']);
    const wrong = await fetch(
      `${stack.url}/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42`,
    );
    expect(wrong.status).toBe(403);
  });

  it('holds a Spanish conversation: a reminder and an expense, with replies in the outbox', async () => {
    const reminder = textWebhook(ana, 'recuérdame mañana a las 9 llamar a Juan');
    expect((await postWebhook(stack, reminder.body)).status).toBe(200);
    expect(visibleText(await replyTo(stack, ana.waId, reminder.wamid))).toContain('llamar a Juan');
    const expense = textWebhook(ana, 'gasté 45.000 en almuerzo');
    await postWebhook(stack, expense.body);
    expect(visibleText(await replyTo(stack, ana.waId, expense.wamid))).toContain('45.000');
    const reminders = (await (await fetch(`${stack.url}/local/users/${ana.waId}/reminders`)).json()) as {
      text: string;
    }[];
    expect(reminders.map((row) => row.text)).toEqual(['llamar a Juan']);
    const expenses = (await (await fetch(`${stack.url}/local/users/${ana.waId}/expenses`)).json()) as {
      amount: number;
    }[];
    expect(expenses.map((row) => row.amount)).toEqual([45000]);
  });

  it('opts out, hands over to a person and erases, over HTTP', async () => {
    const dora = { waId: '573009990011', name: 'Dora' };
    const ask = async (text: string) => {
      const message = textWebhook(dora, text);
      await postWebhook(stack, message.body);
      return replyTo(stack, dora.waId, message.wamid);
    };
    const rows = async (kind: string) =>
      (await (await fetch(`${stack.url}/local/users/${dora.waId}/${kind}`)).json()) as unknown[];

    expect(visibleText(await ask('BAJA'))).toContain('*ALTA*');
    expect(visibleText(await ask('hablar con una persona'))).toContain('soporte@chasqui.local');
    expect(await rows('handoffs')).toHaveLength(1);
    expect(visibleText(await ask('gasté 8.000 en pan'))).toContain('8.000');

    const question = await ask('borrar mis datos');
    const yes = question.body.interactive!.action!.buttons![0]!.reply;
    const tap = buttonReplyWebhook(dora, yes, question.wamid);
    await postWebhook(stack, tap.body);
    expect(visibleText(await replyTo(stack, dora.waId, tap.wamid))).toContain('borré todos tus datos');
    expect([await rows('handoffs'), await rows('expenses')]).toEqual([[], []]);
  });

  it('holds an English conversation, and the replies reach read status through signed status webhooks', async () => {
    const message = textWebhook(bob, 'I spent $12.50 on coffee');
    await postWebhook(stack, message.body);
    const reply = await replyTo(stack, bob.waId, message.wamid);
    expect(visibleText(reply)).toContain('$12.50');
    await waitFor(
      () => outbox(stack, bob.waId),
      (items) => items.some((item) => item.wamid === reply.wamid && item.status === 'read'),
    );
    const stored = await waitFor(
      async () =>
        (
          await stack.db.query<{ status: string }>('SELECT status FROM messages WHERE wamid = $1', [
            reply.wamid,
          ])
        ).rows[0]?.status,
      (status) => status === 'read',
    );
    expect(stored).toBe('read');
  });

  it.each([
    ['unsigned', null],
    ['wrongly signed', signBody(Buffer.from('something else'), 'local-app-secret')],
  ])('rejects a POST that is %s with 401 and produces nothing', async (_case, signature) => {
    const intruder = { waId: '15550009999', name: 'Mallory' };
    const message = textWebhook(intruder, 'remind me tomorrow at 9 to steal');
    const response = await postWebhook(stack, message.body, signature);
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await outbox(stack, intruder.waId)).toEqual([]);
    expect(await (await fetch(`${stack.url}/local/users/${intruder.waId}/reminders`)).json()).toEqual([]);
  });

  it('keeps a correctly signed body that is not an envelope as a dead letter, answering 200', async () => {
    const response = await postWebhook(stack, '{"hello":"world"}');
    expect(response.status).toBe(200);
    const { rows } = await stack.db.query<{ source: string; reason: string }>(
      "SELECT source, reason FROM dead_letters WHERE source = 'ingress'",
    );
    expect(rows).toEqual([{ source: 'ingress', reason: 'not_whatsapp_envelope' }]);
  });

  it('keeps users, history and reminders across a restart', async () => {
    await stack.close();
    stack = await startTestStack(dataDir);
    const reminders = (await (await fetch(`${stack.url}/local/users/${ana.waId}/reminders`)).json()) as {
      text: string;
    }[];
    expect(reminders.map((row) => row.text)).toEqual(['llamar a Juan']);
    const { rows } = await stack.db.query<{ count: number }>('SELECT count(*)::int AS count FROM messages');
    expect(rows[0]!.count).toBeGreaterThanOrEqual(6);
    const message = textWebhook(ana, '¿cuáles son mis recordatorios?');
    await postWebhook(stack, message.body);
    expect(visibleText(await replyTo(stack, ana.waId, message.wamid))).toContain('llamar a Juan');
  });
});

describe('local stack reminders', () => {
  it('fires a reminder created by chat exactly once through POST /local/scheduler/fire-due, also after a restart', async () => {
    const dataDir = tempDataDir();
    let stack = await startTestStack(dataDir);
    try {
      const carla = { waId: '34612345678', name: 'Carla' };
      const message = textWebhook(carla, 'recuérdame mañana a las 9 llamar a Juan');
      await postWebhook(stack, message.body);
      await replyTo(stack, carla.waId, message.wamid);
      await stack.close();
      stack = await startTestStack(dataDir);
      const until = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString();
      const fire = async () =>
        (await (
          await fetch(`${stack.url}/local/scheduler/fire-due`, {
            method: 'POST',
            body: JSON.stringify({ until }),
          })
        ).json()) as unknown[];
      expect(await fire()).toHaveLength(1);
      expect(await fire()).toHaveLength(0);
      const reminders = await waitFor(
        () => outbox(stack, carla.waId),
        (items) => items.some((item) => visibleText(item).includes('llamar a Juan') && !item.body.context),
      );
      expect(
        reminders.filter((item) => visibleText(item).includes('llamar a Juan') && !item.body.context),
      ).toHaveLength(1);
      const rows = (await (await fetch(`${stack.url}/local/users/${carla.waId}/reminders`)).json()) as {
        status: string;
      }[];
      expect(rows.map((row) => row.status)).toEqual(['sent']);
    } finally {
      await stack.close();
    }
  });
});
