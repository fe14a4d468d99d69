import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { runIngressBench } from './ingress';
import { runLocalStackBench } from './local-stack';
import { runMemoryBench } from './memory';
import { runProcessorBench } from './processor';

/**
 * `npm run bench [-- --only ingress] [--iterations N]`: benchmarks are scripts, not timed tests.
 * They print medians, tails and ratios against a floor measured in the same run.
 * `--only memory --users 100 --per-user 1000` sizes the memory benchmark (default 20 × 1,000).
 */
interface BenchOptions {
  iterations: number;
  users: number;
  perUser: number;
}

const benches: Record<string, (options: BenchOptions) => Promise<void>> = {
  ingress: ({ iterations }) => runIngressBench({ iterations, coldRuns: 7 }),
  processor: () => runProcessorBench({ users: 50, perUser: 20, database: 'in-process' }),
  'processor-db-apart': () => runProcessorBench({ users: 50, perUser: 20, database: 'separate' }),
  'local-stack': async () => {
    await runLocalStackBench({ users: 50, perUser: 20, timeoutMs: 180_000, thinkMs: 0 });
    await runLocalStackBench({ users: 50, perUser: 20, timeoutMs: 180_000, thinkMs: 3000 });
  },
  memory: ({ users, perUser }) => runMemoryBench({ users, perUser }),
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      iterations: { type: 'string', default: '20000' },
      users: { type: 'string', default: '20' },
      'per-user': { type: 'string', default: '1000' },
    },
  });
  const options: BenchOptions = {
    iterations: Number(values.iterations),
    users: Number(values.users),
    perUser: Number(values['per-user']),
  };
  const selected = values.only ? values.only.split(',') : Object.keys(benches);
  const unknown = selected.filter((name) => !benches[name]);
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark "${unknown.join(', ')}"; choose from ${Object.keys(benches).join(', ')}`,
    );
  }
  if (selected.length === 1) return benches[selected[0]!]!(options);
  // Each benchmark in a fresh process: memory a process once held is not given back, and JIT state
  // or an open database from one run would colour the next.
  for (const name of selected) {
    const code = await new Promise<number | null>((resolve) =>
      spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          __filename,
          '--only',
          name,
          '--iterations',
          values.iterations,
          '--users',
          values.users,
          '--per-user',
          values['per-user'],
        ],
        {
          stdio: 'inherit',
        },
      ).once('exit', resolve),
    );
    if (code !== 0) throw new Error(`benchmark ${name} failed (exit ${code})`);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
