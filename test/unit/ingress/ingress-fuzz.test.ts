import fc from 'fast-check';
import { createIngress } from '../../../functions/ingress/ingress';
import { MemoryDedupStore } from '../../../layers/core/adapters/local/memory-dedup-store';
import { MemoryMetrics } from '../../../layers/core/adapters/local/memory-metrics';
import type { QueueMessage } from '../../../layers/core/ports/queue';
import { signBody } from '../../../layers/core/whatsapp/signature';
import { capturingLogger } from '../../support/logger';
import {
  apiGatewayEvent,
  fixtureBytes,
  fixtureNames,
  TEST_APP_SECRET,
  TEST_VERIFY_TOKEN,
} from '../../support/webhooks';

const fixtures = [...fixtureNames(), 'text-accents-emoji.meta-escaped.txt'].map((name) => fixtureBytes(name));

const build = () => {
  const queued: QueueMessage[] = [];
  const deadLetters: string[] = [];
  const handler = createIngress({
    secrets: () => Promise.resolve({ appSecret: TEST_APP_SECRET, verifyToken: TEST_VERIFY_TOKEN }),
    dedup: new MemoryDedupStore(),
    queue: {
      send: (messages) => {
        queued.push(...messages);
        return Promise.resolve({ failed: [] });
      },
    },
    deadLetters: {
      put: (letter) => {
        deadLetters.push(letter.reason);
        return Promise.resolve(String(deadLetters.length));
      },
    },
    metrics: new MemoryMetrics(),
    logger: capturingLogger().logger,
    clock: { now: () => new Date('2026-11-22T14:00:00Z') },
  });
  return { handler, queued, deadLetters };
};

const byteMutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
);
type ByteMutation = typeof byteMutation extends fc.Arbitrary<infer T> ? T : never;

const mutate = (body: Buffer, mutation: ByteMutation): Buffer => {
  const at = mutation.at % Math.max(body.length, 1);
  if (mutation.kind === 'flip') {
    const copy = Buffer.from(body);
    copy[at] = copy[at]! ^ (1 << mutation.bit);
    return copy;
  }
  if (mutation.kind === 'truncate') return body.subarray(0, at);
  return Buffer.concat([body.subarray(0, at), Buffer.from(mutation.bytes), body.subarray(at)]);
};

/** Replaces the value at a random path inside the JSON with an arbitrary JSON value. */
const replaceAt = (root: unknown, choices: number[], replacement: unknown): unknown => {
  if (choices.length === 0 || root === null || typeof root !== 'object') return replacement;
  const keys = Object.keys(root);
  if (keys.length === 0) return replacement;
  const key = keys[choices[0]! % keys.length]!;
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...root }) as Record<string, unknown>;
  copy[key] = replaceAt((root as Record<string, unknown>)[key], choices.slice(1), replacement);
  return copy;
};

describe('ingress handler under fuzzing', () => {
  it('answers 401 and queues nothing for any mutated body that keeps the original signature', async () => {
    const { handler, queued } = build();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: fixtures.length - 1 }),
        byteMutation,
        async (index, mutation) => {
          const original = fixtures[index]!;
          const body = mutate(original, mutation);
          fc.pre(!body.equals(original));
          const response = await handler(
            apiGatewayEvent(body, { signature: signBody(original, TEST_APP_SECRET) }),
          );
          expect(response.statusCode).toBe(401);
        },
      ),
      { numRuns: 2000 },
    );
    expect(queued).toHaveLength(0);
  });

  it('answers 401 to arbitrary signature headers', async () => {
    const { handler, queued } = build();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: fixtures.length - 1 }),
        fc.string(),
        async (index, header) => {
          const response = await handler(apiGatewayEvent(fixtures[index]!, { signature: header }));
          expect(response.statusCode).toBe(401);
        },
      ),
      { numRuns: 1000 },
    );
    expect(queued).toHaveLength(0);
  });

  it('never answers 5xx or throws for correctly signed garbage bytes', async () => {
    const { handler } = build();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: fixtures.length - 1 }),
        byteMutation,
        async (index, mutation) => {
          // Bytes that are not UTF-8 reach Lambda base64-encoded, as API Gateway sends them.
          const response = await handler(
            apiGatewayEvent(mutate(fixtures[index]!, mutation), { base64: true }),
          );
          expect(response.statusCode).toBe(200);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never answers 5xx or throws for correctly signed envelopes with arbitrary values anywhere', async () => {
    const { handler, queued, deadLetters } = build();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: fixtures.length - 1 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.jsonValue(),
        async (index, path, replacement) => {
          const envelope = JSON.parse(fixtures[index]!.toString('utf8')) as unknown;
          const body = JSON.stringify(replaceAt(envelope, path, replacement)) ?? 'null';
          const response = await handler(apiGatewayEvent(body));
          expect(response.statusCode).toBe(200);
        },
      ),
      { numRuns: 3000 },
    );
    // Both outcomes occur: some mutations still parse as envelopes, others are kept as dead letters.
    expect(queued.length).toBeGreaterThan(0);
    expect(deadLetters.length).toBeGreaterThan(0);
  });

  it('answers 200 to any signed JSON value', async () => {
    const { handler } = build();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const response = await handler(apiGatewayEvent(JSON.stringify(value) ?? 'null'));
        expect(response.statusCode).toBe(200);
      }),
      { numRuns: 1000 },
    );
  });
});
