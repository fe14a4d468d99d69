import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleLikeLambda } from '../bench/bundle';

/**
 * The ingress answers every webhook, and its cold start is on Meta's clock: its bundle must hold the
 * front door and nothing behind it. Sizes are deterministic, so this is a test; speed is the benchmark's.
 */
describe('ingress bundle', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chasqui-ingress-bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const bundle = () =>
    bundleLikeLambda(resolve(__dirname, '../../functions/ingress/handler.ts'), join(dir, 'ingress.js'));

  it('stays within 50 KB minified, as deployed', async () => {
    const { path } = await bundle();

    expect(statSync(path).size).toBeLessThanOrEqual(50 * 1024);
  });

  it("loads none of the processor's modules: no database, assistant, outbound messages or memory", async () => {
    const { sourceModules } = await bundle();

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
