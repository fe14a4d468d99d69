import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleLikeLambda } from './bundle';
import type { ProcessorBenchOptions } from './processor-driver';

const ROOT = resolve(__dirname, '..', '..');

/**
 * Runs the processor benchmark in the processor as deployed: bundled with the functions' esbuild settings,
 * in a fresh Node process with the functions' `NODE_OPTIONS` (source maps on), so memory is not the
 * TypeScript loader's. PGlite stays outside the bundle because it loads its WASM from beside its module.
 */
export const runProcessorBench = async (
  options: Omit<ProcessorBenchOptions, 'serverScript'>,
): Promise<void> => {
  const outDir = mkdtempSync(join(tmpdir(), 'chasqui-bench-'));
  try {
    const { path: bundle } = await bundleLikeLambda(
      join(__dirname, 'processor-driver.ts'),
      join(outDir, 'processor-driver.js'),
      { external: ['@electric-sql/*'] },
    );
    const driverOptions: ProcessorBenchOptions = {
      ...options,
      serverScript: join(__dirname, 'pglite-server-process.ts'),
    };
    const code = await new Promise<number | null>((done) =>
      spawn(process.execPath, ['--enable-source-maps', bundle, JSON.stringify(driverOptions)], {
        stdio: 'inherit',
        env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
      }).once('exit', done),
    );
    if (code !== 0) throw new Error(`processor benchmark exited with ${code}`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
};
