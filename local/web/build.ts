import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SimulatorAssets {
  html: string;
  js: string;
  css: string;
}

/**
 * The chat simulator's page, script and styles, bundled in memory. The local server calls this
 * once at start, so the page always matches the checked-out source and nothing is written to disk.
 */
export const buildSimulatorAssets = async (): Promise<SimulatorAssets> => {
  const [bundle, html, css] = await Promise.all([
    build({
      entryPoints: [join(__dirname, 'simulator.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      minify: true,
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    }),
    readFile(join(__dirname, 'simulator.html'), 'utf8'),
    readFile(join(__dirname, 'simulator.css'), 'utf8'),
  ]);
  const script = bundle.outputFiles[0];
  if (!script) throw new Error('esbuild produced no output for the chat simulator');
  return { html, js: script.text, css };
};
