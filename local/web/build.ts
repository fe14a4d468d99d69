import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The pages the local stack serves, each an HTML file, a script and a stylesheet of the same name. */
export type Page = 'simulator' | 'dashboard';

export interface PageAssets {
  html: string;
  js: string;
  css: string;
}

/**
 * A page's HTML, script and styles, bundled in memory (libraries included, so the page loads
 * nothing from the internet). The local server calls this at start, so a page always matches the
 * checked-out source and nothing is written to disk.
 */
export const buildPageAssets = async (page: Page): Promise<PageAssets> => {
  const [bundle, html] = await Promise.all([
    build({
      // The stylesheet goes through esbuild too, so it may @import a library's CSS.
      entryPoints: [join(__dirname, `${page}.ts`), join(__dirname, `${page}.css`)],
      outdir: 'assets',
      bundle: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      minify: true,
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    }),
    readFile(join(__dirname, `${page}.html`), 'utf8'),
  ]);
  const output = (extension: string): string => {
    const file = bundle.outputFiles.find((candidate) => candidate.path.endsWith(`${page}${extension}`));
    if (!file) throw new Error(`esbuild produced no ${extension} for the ${page} page`);
    return file.text;
  };
  return { html, js: output('.js'), css: output('.css') };
};
