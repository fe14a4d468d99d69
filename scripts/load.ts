import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signBody } from '../layers/core/whatsapp/signature';
import { percentile } from '../test/bench/stats';
import { LOCAL_BUSINESS_ACCOUNT_ID, LOCAL_DISPLAY_PHONE_NUMBER, loadLocalEnv } from '../local/config';
import { messageWebhook, metaJson } from '../local/web/webhook';
import { startLocalStack } from '../local/stack';

/**
 * `npm run load [-- --users 200 --messages 10 --think-ms 20000 --timeout 600 --url http://127.0.0.1:3000]`:
 * simulated users chat with the local stack over HTTP exactly as Meta would deliver them — signed webhooks
 * to `/webhook` — and each waits for its reply in `/local/outbox` (the Graph API stand-in), reads it for
 * about `--think-ms`, then writes again. Reports throughput, webhook ACK and end-to-end percentiles, and
 * whether anything was lost, doubled or reordered. Without `--url` it starts the stack in this process on
 * a free port with a temporary data directory. Loopback only, and bounded in messages and in time.
 */

export interface LoadOptions {
  readonly users: number;
  readonly messages: number;
  /** Users chatting at once; the others wait for a free slot. */
  readonly concurrency: number;
  /** Mean pause between reading a reply and sending the next message (uniform in ±50 %); 0 = none. */
  readonly thinkMs: number;
  /** The whole run stops after this long; unanswered messages then count as lost. */
  readonly timeoutMs: number;
  /** A running local stack; when absent, one is started in this process. */
  readonly url?: string;
  /** What the stack signs with (`WHATSAPP_APP_SECRET`; the local default otherwise). */
  readonly appSecret: string;
  readonly phoneNumberId: string;
}

export interface LoadReport {
  readonly options: LoadOptions;
  readonly sent: number;
  readonly answered: number;
  readonly elapsedMs: number;
  readonly ackMs: readonly number[];
  readonly endToEndMs: readonly number[];
  /** Webhooks not answered 200, or not answered at all. */
  readonly errors: number;
  readonly lost: number;
  readonly duplicates: number;
  /** Users whose replies came in another order than they wrote. */
  readonly reordered: number;
}

/**
 * A person reads the reply and types the next message: about 20 s between a reply and their next message
 * (uniform in 10–30 s). 200 such users send the stack about 10 messages a second.
 */
const DEFAULT_THINK_MS = 20_000;
/** 200 users × 10 messages at that pace take about 3½ minutes. */
const DEFAULT_TIMEOUT_S = 600;
const MAX_USERS = 10_000;
const MAX_MESSAGES = 1_000;
const MAX_TIMEOUT_S = 3_600;
/** How often the outbox is read; end-to-end times come from the stand-in's own timestamps, not from this. */
const POLL_MS = 50;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const PHRASES = {
  es: [
    'gasté 12.000 en café',
    '¿cuánto gasté hoy?',
    'recuérdame mañana a las 9 llamar a Juan',
    '¿qué recordatorios tengo?',
    'hola',
  ],
  en: [
    'I spent $3 on gum',
    'how much did I spend this week?',
    'remind me in 2 hours to stretch',
    'what are my reminders?',
    'hi',
  ],
};

const USAGE = `Usage: npm run load -- [--users N] [--messages M] [--concurrency C] [--think-ms T] [--timeout S] [--url http://127.0.0.1:PORT]`;

const positiveInt = (name: string, value: string | undefined, fallback: number, max: number): number => {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > max) {
    throw new Error(`--${name} must be a whole number from 0 to ${max}\n${USAGE}`);
  }
  return number;
};

/** The stack must be on this machine: load is never sent anywhere else. */
export const assertLoopback = (url: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--url ${url} is not a URL`);
  }
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new Error(`--url must be a loopback http address (127.0.0.1, localhost or [::1]), not ${url}`);
  }
  return parsed.origin;
};

export const parseLoadOptions = (
  argv: readonly string[],
  env: Record<string, string | undefined>,
): LoadOptions => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      users: { type: 'string' },
      messages: { type: 'string' },
      concurrency: { type: 'string' },
      'think-ms': { type: 'string' },
      timeout: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const users = positiveInt('users', values.users, 200, MAX_USERS);
  const local = loadLocalEnv(env);
  return {
    users,
    messages: positiveInt('messages', values.messages, 10, MAX_MESSAGES),
    concurrency: Math.max(1, positiveInt('concurrency', values.concurrency, users, MAX_USERS)),
    thinkMs: positiveInt('think-ms', values['think-ms'], DEFAULT_THINK_MS, 600_000),
    timeoutMs: positiveInt('timeout', values.timeout, DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S) * 1000,
    ...(values.url !== undefined && { url: assertLoopback(values.url) }),
    appSecret: local.WHATSAPP_APP_SECRET,
    phoneNumberId: local.WHATSAPP_PHONE_NUMBER_ID,
  };
};

/** A user's text message, shaped and serialised as Meta sends it. */
const webhookBody = (phoneNumberId: string, waId: string, wamid: string, text: string): string =>
  metaJson(
    messageWebhook(
      {
        businessAccountId: LOCAL_BUSINESS_ACCOUNT_ID,
        displayPhoneNumber: LOCAL_DISPLAY_PHONE_NUMBER,
        phoneNumberId,
      },
      { name: `Load ${waId.slice(-5)}`, waId },
      { wamid, sentAt: new Date(), content: { type: 'text', text: { body: text } } },
    ),
  );

interface OutboxEntry {
  wamid: string;
  at: string;
  body: { context?: { message_id?: string } };
}

/** Watches the outbox for replies: one reader for every user, asking only for what is new. */
class ReplyWatcher {
  private since = new Date(Date.now() - 1000).toISOString();
  private readonly seen = new Set<string>();
  private readonly waiting = new Map<string, (at: number) => void>();
  /** Every reply seen, per inbound wamid, in outbox order: duplicates and order are judged from it. */
  readonly replies: { inbound: string; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly base: string) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.read()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, POLL_MS);
        });
    };
    tick();
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // One last read, so replies that arrived at the very end are counted.
    return this.read().catch(() => undefined);
  }

  /** Resolves with the time the stand-in accepted the reply to `wamid`, or undefined at `deadline`. */
  replyTo(wamid: string, deadline: number): Promise<number | undefined> {
    const known = this.replies.find((reply) => reply.inbound === wamid);
    if (known) return Promise.resolve(known.at);
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.waiting.delete(wamid);
          resolve(undefined);
        },
        Math.max(0, deadline - Date.now()),
      );
      this.waiting.set(wamid, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  private async read(): Promise<void> {
    const response = await fetch(`${this.base}/local/outbox?since=${encodeURIComponent(this.since)}`);
    const entries = (await response.json()) as OutboxEntry[];
    for (const entry of entries) {
      if (this.seen.has(entry.wamid)) continue;
      this.seen.add(entry.wamid);
      // `since` is inclusive: the next read starts at the newest time seen, and `seen` drops repeats.
      if (entry.at > this.since) this.since = entry.at;
      const inbound = entry.body.context?.message_id;
      if (!inbound) continue;
      const at = Date.parse(entry.at);
      this.replies.push({ inbound, at });
      this.waiting.get(inbound)?.(at);
      this.waiting.delete(inbound);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the load against `base` and reports; never throws for a failed webhook, it counts it. */
export const runLoad = async (options: LoadOptions, base: string): Promise<LoadReport> => {
  const run = Date.now().toString(36).toUpperCase();
  const deadline = Date.now() + options.timeoutMs;
  const watcher = new ReplyWatcher(base);
  const ackMs: number[] = [];
  const endToEndMs: number[] = [];
  const sentBy = new Map<string, string[]>();
  let errors = 0;
  let answered = 0;

  const user = async (index: number) => {
    const waId = `5731${String(index).padStart(8, '0')}`;
    const phrases = index % 2 === 0 ? PHRASES.es : PHRASES.en;
    const sent: string[] = [];
    sentBy.set(waId, sent);
    // People do not all start typing in the same millisecond.
    if (options.thinkMs > 0) await sleep(Math.random() * options.thinkMs);
    for (let message = 0; message < options.messages && Date.now() < deadline; message++) {
      const wamid = `wamid.LOAD${run}U${index}M${message}`;
      const body = webhookBody(
        options.phoneNumberId,
        waId,
        wamid,
        phrases[(index + message) % phrases.length]!,
      );
      const started = Date.now();
      const clock = performance.now();
      try {
        const response = await fetch(`${base}/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': signBody(Buffer.from(body), options.appSecret),
          },
          body,
          signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
        });
        await response.arrayBuffer();
        ackMs.push(performance.now() - clock);
        if (response.status !== 200) {
          errors += 1;
          continue;
        }
      } catch {
        errors += 1;
        continue;
      }
      sent.push(wamid);
      const repliedAt = await watcher.replyTo(wamid, deadline);
      if (repliedAt === undefined) break;
      answered += 1;
      endToEndMs.push(Math.max(0, repliedAt - started));
      if (options.thinkMs > 0) await sleep(options.thinkMs * (0.5 + Math.random()));
    }
  };

  watcher.start();
  const started = performance.now();
  let next = 0;
  const slot = async () => {
    while (next < options.users) await user(next++);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.users) }, slot));
  const elapsedMs = performance.now() - started;
  await watcher.stop();

  let lost = 0;
  let duplicates = 0;
  let reordered = 0;
  for (const sent of sentBy.values()) {
    const mine = new Set(sent);
    const replies = watcher.replies.filter((reply) => mine.has(reply.inbound)).map((reply) => reply.inbound);
    const distinct = [...new Set(replies)];
    lost += sent.length - distinct.length;
    duplicates += replies.length - distinct.length;
    if (distinct.some((wamid, position) => sent[position] !== wamid)) reordered += 1;
  }
  return {
    options,
    sent: [...sentBy.values()].reduce((sum, sent) => sum + sent.length, 0),
    answered,
    elapsedMs,
    ackMs,
    endToEndMs,
    errors,
    lost,
    duplicates,
    reordered,
  };
};

/** ACK p99 ≤ 50 ms and end-to-end p95 ≤ 300 ms (issue #9), and nothing lost or doubled. */
const TARGETS = { ackP99Ms: 50, endToEndP95Ms: 300 };

export const formatReport = (report: LoadReport): string => {
  const ms = (value: number) => (Number.isNaN(value) ? '-' : `${value.toFixed(1)} ms`);
  const { options } = report;
  const ack99 = percentile(report.ackMs, 99);
  const e2e95 = percentile(report.endToEndMs, 95);
  const rows: [string, string][] = [
    ['users × messages', `${options.users} × ${options.messages} (${options.concurrency} at once)`],
    ['think time', `${options.thinkMs} ms ± 50 %`],
    ['webhooks sent / answered', `${report.sent} / ${report.answered}`],
    ['elapsed', `${(report.elapsedMs / 1000).toFixed(1)} s`],
    ['throughput', `${(report.answered / (report.elapsedMs / 1000)).toFixed(1)} replies/s`],
    [
      'webhook ACK p50 / p95 / p99',
      `${ms(percentile(report.ackMs, 50))} / ${ms(percentile(report.ackMs, 95))} / ${ms(ack99)}` +
        `  (target p99 ≤ ${TARGETS.ackP99Ms} ms: ${ack99 <= TARGETS.ackP99Ms ? 'met' : 'missed'})`,
    ],
    [
      'end to end p50 / p95 / p99',
      `${ms(percentile(report.endToEndMs, 50))} / ${ms(e2e95)} / ${ms(percentile(report.endToEndMs, 99))}` +
        `  (target p95 ≤ ${TARGETS.endToEndP95Ms} ms: ${e2e95 <= TARGETS.endToEndP95Ms ? 'met' : 'missed'})`,
    ],
    ['errors', String(report.errors)],
    ['lost / duplicated / users reordered', `${report.lost} / ${report.duplicates} / ${report.reordered}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return ['Load on the local stack over HTTP', ...rows.map(([l, v]) => `  ${l.padEnd(width)}  ${v}`)].join(
    '\n',
  );
};

export async function main(argv: readonly string[]): Promise<LoadReport> {
  const options = parseLoadOptions(argv, process.env);
  if (options.url) return runLoad(options, options.url);
  const dataDir = await mkdtemp(join(tmpdir(), 'chasqui-load-'));
  const stack = await startLocalStack({
    ...loadLocalEnv({}),
    PORT: 0,
    DATA_DIR: dataDir,
    WHATSAPP_APP_SECRET: options.appSecret,
    WHATSAPP_PHONE_NUMBER_ID: options.phoneNumberId,
    logLevel: 'SILENT',
  });
  try {
    return await runLoad(options, stack.url);
  } finally {
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (report) => {
      console.log(formatReport(report));
      process.exit(report.lost > 0 || report.duplicates > 0 || report.errors > 0 ? 1 : 0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    },
  );
}
