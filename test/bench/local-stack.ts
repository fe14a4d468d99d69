import { loadLocalEnv } from '../../local/config';
import { startLocalStack } from '../../local/stack';
import { signBody } from '../../layers/core/whatsapp/signature';
import { tempDataDir, textWebhook } from '../support/local-stack';
import { formatMs, median, percentile, printTable } from './stats';

const PHRASES = [
  'gasté 12.000 en café',
  'I spent $3 on gum',
  'what are my reminders?',
  'hola',
  '¿cuánto gasté hoy?',
];
const APP_SECRET = 'local-app-secret';

/**
 * 50 simulated users chatting at once over HTTP: each sends a signed webhook, waits for the reply
 * to appear in the outbox, then sends the next. Reports webhook ACK time and end-to-end time
 * (POST sent → reply in the outbox), and checks nothing was lost, doubled or reordered.
 */
export const runLocalStackBench = async (options: {
  users: number;
  perUser: number;
  timeoutMs: number;
  /** Pause between a reply and the user's next message, as a person reading and typing; 0 = as fast as possible. */
  thinkMs: number;
}) => {
  const stack = await startLocalStack({
    ...loadLocalEnv({}),
    PORT: 0,
    DATA_DIR: tempDataDir(),
    logLevel: 'SILENT',
  });
  const ackMs: number[] = [];
  const endToEndMs: number[] = [];
  let lost = 0;
  let duplicated = 0;
  let reordered = 0;
  const deadline = Date.now() + options.timeoutMs;

  const repliesTo = (to: string) =>
    stack.standIn
      .outbox({ to })
      .filter((entry) => (entry.body as { context?: unknown }).context !== undefined);

  const user = async (index: number) => {
    if (options.thinkMs > 0)
      await new Promise((resolve) => setTimeout(resolve, Math.random() * options.thinkMs));
    const waId = `57310${String(index).padStart(7, '0')}`;
    const sent: string[] = [];
    for (let message = 0; message < options.perUser && Date.now() < deadline; message++) {
      const { body, wamid } = textWebhook(
        { waId, name: `User ${index}` },
        PHRASES[(index + message) % PHRASES.length]!,
      );
      const started = performance.now();
      const response = await fetch(`${stack.url}/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signBody(Buffer.from(body), APP_SECRET),
        },
        body,
      });
      ackMs.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      sent.push(wamid);
      for (;;) {
        const replies = repliesTo(waId).filter(
          (entry) => (entry.body as { context: { message_id: string } }).context.message_id === wamid,
        );
        if (replies.length > 0) break;
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      endToEndMs.push(performance.now() - started);
      // Users start out of step, as people do; then each reads and types for about `thinkMs`.
      if (options.thinkMs > 0)
        await new Promise((resolve) => setTimeout(resolve, options.thinkMs * (0.5 + Math.random())));
    }
    const answered = repliesTo(waId).map(
      (entry) => (entry.body as { context: { message_id: string } }).context.message_id,
    );
    lost += sent.filter((wamid) => !answered.includes(wamid)).length;
    duplicated += answered.length - new Set(answered).size;
    const order = answered.filter((wamid, position) => answered.indexOf(wamid) === position);
    reordered += order.some((wamid, position) => sent.indexOf(wamid) !== position) ? 1 : 0;
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: options.users }, (_, index) => user(index)));
  const elapsedS = (performance.now() - started) / 1000;
  await stack.close();
  printTable(
    `Local stack over HTTP, offline planner (${options.users} concurrent users × ${options.perUser} messages, each waits for its reply, think time ${options.thinkMs} ms)`,
    [
      ['messages', String(endToEndMs.length)],
      ['throughput', `${(endToEndMs.length / elapsedS).toFixed(1)} msg/s`],
      ['webhook ACK p50 / p99', `${formatMs(median(ackMs))} / ${formatMs(percentile(ackMs, 99))}`],
      ['end to end p50', formatMs(median(endToEndMs))],
      ['end to end p95', `${formatMs(percentile(endToEndMs, 95))} (target ≤ 150 ms)`],
      ['end to end p99', `${formatMs(percentile(endToEndMs, 99))} (target ≤ 300 ms)`],
      ['lost / duplicated / users reordered', `${lost} / ${duplicated} / ${reordered}`],
    ],
  );
};
