import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Bundle, bundleLikeLambda } from '../bench/bundle';

/**
 * The ingress answers every webhook, and its cold start is on Meta's clock: its bundle must hold the
 * front door and nothing behind it. Sizes are deterministic, so this is a test; speed is the benchmark's.
 */
describe('ingress bundle', () => {
  let dir: string;
  let bundle: Bundle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chasqui-ingress-bundle-'));
    bundle = await bundleLikeLambda(
      resolve(__dirname, '../../functions/ingress/handler.ts'),
      join(dir, 'ingress.js'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stays within 50 KB minified, as deployed', () => {
    const { path } = bundle;

    expect(statSync(path).size).toBeLessThanOrEqual(50 * 1024);
  });

  it("loads none of the processor's modules: no database, assistant, outbound messages or memory", () => {
    const { sourceModules } = bundle;

    expect(sourceModules).toContain('functions/ingress/handler.ts');
    expect(
      sourceModules.filter((module) =>
        /layers\/core\/(db|assistant|outbound|memory|tools|llm|privacy|processor|reminders|whatsapp\/graph)\//.test(
          module,
        ),
      ),
    ).toEqual([]);
  });
});
