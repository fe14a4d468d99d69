import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../../lib/constructs/function-bundling';

export interface BundleOptions {
  /** Patterns of `FUNCTION_BUNDLING.externalModules` to bundle in anyway, to see what leaving them out saves. */
  bundleIn?: string[];
  /** More modules to leave out, e.g. ones that load files from beside their own module. */
  external?: string[];
}

export interface Bundle {
  readonly path: string;
  /** The project's own modules in the bundle, relative to the repository root. */
  readonly sourceModules: readonly string[];
  /** The npm packages bundled in, by name. */
  readonly packages: readonly string[];
}

const PACKAGE_NAME = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/;

/**
 * Bundles `entry` as `NodejsFunction` bundles a function (`FUNCTION_BUNDLING`), so a benchmark measures
 * the code as deployed. The output resolves its external modules from the project's node_modules when
 * run with `NODE_PATH` pointing there, as a Lambda resolves them from the runtime and its layers.
 */
export const bundleLikeLambda = async (
  entry: string,
  outfile: string,
  options: BundleOptions = {},
): Promise<Bundle> => {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    target: FUNCTION_BUNDLING.target,
    external: [
      ...FUNCTION_BUNDLING.externalModules.filter((pattern) => !(options.bundleIn ?? []).includes(pattern)),
      ...(options.external ?? []),
    ],
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  const inputs = Object.keys(metafile.inputs);
  return {
    path: outfile,
    sourceModules: inputs.filter((input) => !input.includes('node_modules/')),
    packages: [...new Set(inputs.flatMap((input) => PACKAGE_NAME.exec(input)?.[1] ?? []))],
  };
};
