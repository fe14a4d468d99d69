import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_BUSINESS_ACCOUNT_ID, LOCAL_DISPLAY_PHONE_NUMBER, loadLocalEnv } from '../../local/config';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { signBody } from '../../layers/core/whatsapp/signature';
import { newWamid } from '../../local/graph-stand-in/wamid';
import {
  type BusinessNumber,
  type InboundContent,
  messageWebhook as buildMessageWebhook,
  metaJson,
} from '../../local/web/webhook';

export const LOCAL_APP_SECRET = 'local-app-secret';

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'chasqui-local-'));

/** The local stack on a free port, with the contract's defaults and its own data directory. */
export const startTestStack = (dataDir = tempDataDir()): Promise<LocalStack> =>
  startLocalStack({ ...loadLocalEnv({}), PORT: 0, DATA_DIR: dataDir, logLevel: 'SILENT' });

/** The local stack's business number, as its webhooks are addressed. */
const LOCAL_NUMBER: BusinessNumber = {
  businessAccountId: LOCAL_BUSINESS_ACCOUNT_ID,
  displayPhoneNumber: LOCAL_DISPLAY_PHONE_NUMBER,
  phoneNumberId: loadLocalEnv({}).WHATSAPP_PHONE_NUMBER_ID,
};

/** A message webhook exactly as Meta shapes and serialises it, from a user to the local business number. */
export const messageWebhook = (
  from: { waId: string; name: string },
  content: InboundContent,
  at = new Date(),
  contextWamid?: string,
): { body: string; wamid: string } => {
  // Shaped like Meta's, with the sender's number inside, so tests see what logging a wamid would expose.
  const wamid = newWamid(from.waId);
  const message = { wamid, sentAt: at, content, ...(contextWamid !== undefined && { contextWamid }) };
  return { body: metaJson(buildMessageWebhook(LOCAL_NUMBER, from, message)), wamid };
};

/** A text message webhook exactly as Meta shapes it, from a user to the local business number. */
export const textWebhook = (
  from: { waId: string; name: string },
  text: string,
  at = new Date(),
): { body: string; wamid: string } => messageWebhook(from, { type: 'text', text: { body: text } }, at);

/** A tap on a reply button of the message `context`. */
export const buttonReplyWebhook = (
  from: { waId: string; name: string },
  button: { id: string; title: string },
  context: string,
  at = new Date(),
) =>
  messageWebhook(
    from,
    { type: 'interactive', interactive: { type: 'button_reply', button_reply: button } },
    at,
    context,
  );

export const postWebhook = (
  stack: LocalStack,
  body: string,
  signature: string | null = signBody(Buffer.from(body), LOCAL_APP_SECRET),
) =>
  fetch(`${stack.url}/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature !== null && { 'x-hub-signature-256': signature }),
    },
    body,
  });

export interface OutboxItem {
  wamid: string;
  to: string;
  type: string;
  body: {
    context?: { message_id?: string };
    text?: { body: string };
    interactive?: {
      body: { text: string };
      action?: { buttons?: { reply: { id: string; title: string } }[] };
    };
  };
  status: string;
}

export const outbox = async (stack: LocalStack, to: string): Promise<OutboxItem[]> =>
  (await (await fetch(`${stack.url}/local/outbox?to=${to}`)).json()) as OutboxItem[];

/** Polls until `read` returns a value that passes `done`, or fails after `timeoutMs`. */
export const waitFor = async <T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

export const replyTo = async (stack: LocalStack, to: string, wamid: string): Promise<OutboxItem> =>
  (
    await waitFor(
      () => outbox(stack, to),
      (items) => items.some((item) => item.body.context?.message_id === wamid),
    )
  ).find((item) => item.body.context?.message_id === wamid)!;

export const visibleText = (item: OutboxItem): string =>
  item.body.text?.body ?? item.body.interactive?.body.text ?? '';
