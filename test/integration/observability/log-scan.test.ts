import { rm } from 'node:fs/promises';
import { loadLocalEnv } from '../../../local/config';
import { type LocalStack, startLocalStack } from '../../../local/stack';
import { logIdOf } from '../../../layers/core/logging';
import { signBody } from '../../../layers/core/whatsapp/signature';
import { outbox, postWebhook, replyTo, tempDataDir, textWebhook, waitFor } from '../../support/local-stack';

/** Users whose numbers must never appear whole in a log line. */
const USERS = [
  { waId: '573009871234', name: 'Lucía Prueba' },
  { waId: '14155550176', name: 'Sam Probe' },
];
/** Messages with words no log line has any business printing. */
const CONVERSATION: [user: number, text: string, secret: string][] = [
  [0, 'recuérdame mañana a las 9 regar la planta quokka', 'quokka'],
  [1, 'I spent 12.50 on zanzibar coffee', 'zanzibar'],
  [0, 'llámame al +57 300 555 0199 por lo del wombat', 'wombat'],
  [1, 'remember that my locker code is 4417-narwhal', 'narwhal'],
  [0, '/cost', '/cost'],
];
const LEVELS_SCANNED = new Set(['INFO', 'WARN', 'ERROR', 'CRITICAL']);

interface LogLine {
  level: string;
  message: string;
  correlation_id?: string;
  [key: string]: unknown;
}

describe('logs of a scripted run of the local stack', () => {
  let stack: LocalStack;
  let dataDir: string;
  const printed: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    // The handlers log through Powertools, which writes to stdout and stderr with its own console.
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    stack = await startLocalStack({
      ...loadLocalEnv({}),
      PORT: 0,
      DATA_DIR: dataDir,
      logLevel: 'INFO',
    });
  });

  afterAll(async () => {
    await stack?.close();
    jest.restoreAllMocks();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('never shows a phone number, a wamid (which holds one) or a message body at info level; correlates by a digest of the wamid', async () => {
    // Act: a conversation, the delivery statuses that follow each reply, a refused request and a reminder.
    const wamids: string[] = [];
    for (const [user, text] of CONVERSATION) {
      const { body, wamid } = textWebhook(USERS[user]!, text);
      expect((await postWebhook(stack, body)).status).toBe(200);
      await replyTo(stack, USERS[user]!.waId, wamid);
      wamids.push(wamid);
    }
    await waitFor(
      () => outbox(stack, USERS[0]!.waId),
      (items) => items.every((item) => item.status === 'read'),
    );
    const forged = textWebhook(USERS[1]!, 'forged zanzibar');
    expect((await postWebhook(stack, forged.body, signBody(Buffer.from(forged.body), 'wrong'))).status).toBe(
      401,
    );
    const fired = await fetch(`${stack.url}/local/scheduler/fire-due`, {
      method: 'POST',
      body: JSON.stringify({ until: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
    });
    expect(fired.status).toBe(200);
    await waitFor(
      () => outbox(stack, USERS[0]!.waId),
      (items) => items.some((item) => item.body.interactive?.body.text.includes('quokka')),
    );

    // Assess
    const standInWamids = (waId: string) => stack.standIn.outbox({ to: waId }).map((entry) => entry.wamid);
    const lines = printed
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => LEVELS_SCANNED.has(line.level));
    const text = lines.map((line) => JSON.stringify(line));
    expect(lines.length).toBeGreaterThan(10);
    for (const { waId } of USERS) expect(text.filter((line) => line.includes(waId))).toEqual([]);
    expect(text.filter((line) => line.includes('3005550199') || line.includes('300 555 0199'))).toEqual([]);
    for (const [, , secret] of CONVERSATION) expect(text.filter((line) => line.includes(secret))).toEqual([]);
    expect(text.filter((line) => line.includes('forged'))).toEqual([]);
    const sentWamids = [...USERS].flatMap(({ waId }) => standInWamids(waId));
    expect(sentWamids.length).toBeGreaterThan(CONVERSATION.length);
    for (const wamid of [...wamids, ...sentWamids])
      expect(text.filter((line) => line.includes(wamid))).toEqual([]);
    // Users show up masked, and each answered message under its own log id, from the ingress to the reminder.
    expect(text.some((line) => line.includes('********1234'))).toBe(true);
    const logIds = wamids.map(logIdOf);
    const answered = lines.filter((line) => line.message === 'Message answered');
    expect(answered.map((line) => line.correlation_id).sort()).toEqual([...logIds].sort());
    const queued = lines.filter((line) => line.message === 'Webhook events queued');
    expect(queued.flatMap((line) => line['correlationIds'] as string[]).sort()).toEqual(
      expect.arrayContaining([...logIds].sort()),
    );
    expect(
      lines.some((line) => line.message === 'Reminder fired' && logIds.includes(line.correlation_id ?? '')),
    ).toBe(true);
  });
});
