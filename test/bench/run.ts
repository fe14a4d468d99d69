import { parseArgs } from 'node:util';
import { runIngressBench } from './ingress';
import { runLocalStackBench } from './local-stack';
import { runProcessorBench } from './processor';

/**
 * `npm run bench [-- --only ingress] [--iterations N]`: benchmarks are scripts, not timed tests.
 * They print medians, tails and ratios against a floor measured in the same run.
 */
const benches: Record<string, (iterations: number) => Promise<void>> = {
  ingress: (iterations) => runIngressBench({ iterations, coldRuns: 7 }),
  processor: () => runProcessorBench({ users: 50, perUser: 20 }),
  'local-stack': async () => {
    await runLocalStackBench({ users: 50, perUser: 20, timeoutMs: 180_000, thinkMs: 0 });
    await runLocalStackBench({ users: 50, perUser: 20, timeoutMs: 180_000, thinkMs: 3000 });
  },
};

const main = async () => {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, iterations: { type: 'string', default: '5000' } },
  });
  const selected = values.only ? values.only.split(',') : Object.keys(benches);
  for (const name of selected) {
    const bench = benches[name];
    if (!bench)
      throw new Error(`Unknown benchmark "${name}"; choose from ${Object.keys(benches).join(', ')}`);
    await bench(Number(values.iterations));
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
