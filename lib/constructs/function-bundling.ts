import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { type ILayerVersion, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const POWERTOOLS_SCOPE = '@aws-lambda-powertools/';

/**
 * How every function is bundled (esbuild through `NodejsFunction`). The ingress benchmark builds its bundle
 * from this same definition, so the size it reports is the size deployed.
 */
export const FUNCTION_BUNDLING = {
  minify: true,
  sourceMap: true,
  /**
   * Maps without the sources embedded: stack traces still point at file and line, and a function that
   * runs with `--enable-source-maps` loads its map at start — with sources, the processor's is 9 MB and
   * costs it ≈45 MB of memory.
   */
  sourcesContent: false,
  target: 'node22',
  /**
   * Present at run time, so not bundled: the Node 22 runtime ships AWS SDK v3, Powertools comes from its
   * official layer (see `powertoolsLayer`), and pg tries `pg-native` only if it is installed. Bundling
   * Powertools Logger and Metrics would add ≈40 KB to every function, the ingress included, whose bundle
   * budget is 50 KB (issue #3).
   */
  externalModules: ['@aws-sdk/*', `${POWERTOOLS_SCOPE}*`, 'pg-native'],
} as const;

/**
 * The Powertools version the code is tested with. The layer must be exactly this version, so every
 * Powertools package in package.json must be pinned to one version (FACTS.md asks for that anyway).
 */
export const powertoolsVersion = (packageJsonPath = path.join(PROJECT_ROOT, 'package.json')): string => {
  const { dependencies = {} } = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const versions = new Set(
    Object.entries(dependencies)
      .filter(([name]) => name.startsWith(POWERTOOLS_SCOPE))
      .map(([, version]) => version),
  );
  const [version] = versions;
  if (versions.size !== 1 || version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `Powertools packages must be pinned to one exact version for the Lambda layer to match; found ${[...versions].join(', ') || 'none'}`,
    );
  }
  return version;
};

/** AWS publishes the layer ARN of each Powertools release in every commercial region under this name. */
export const powertoolsLayerParameterName = (version: string): string =>
  `/aws/service/powertools/typescript/generic/all/${version}`;

const POWERTOOLS_LAYER_ID = 'PowertoolsLayer';

/**
 * The official Powertools for AWS Lambda (TypeScript) layer of the pinned version, one per stack. Its ARN
 * is resolved from the public SSM parameter at deploy time, so synth stays offline.
 */
export const powertoolsLayer = (scope: Construct): ILayerVersion => {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(POWERTOOLS_LAYER_ID) as ILayerVersion | undefined;
  return (
    existing ??
    LayerVersion.fromLayerVersionArn(
      stack,
      POWERTOOLS_LAYER_ID,
      StringParameter.valueForStringParameter(stack, powertoolsLayerParameterName(powertoolsVersion())),
    )
  );
};
