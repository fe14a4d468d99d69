import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npm run redrive -- --env prod` (or `--function-name <name>`; `--region`, `--profile` pass through): runs the
 * redrive function once with `{"trigger":"manual"}` and prints what it did. It drives the `aws` CLI because the
 * project installs no Lambda or CloudFormation SDK client; credentials come from the usual AWS sources.
 */

/** Runs `aws <args>` and resolves with its stdout; tests pass a fake so nothing reaches AWS. */
export type AwsCli = (args: readonly string[]) => Promise<string>;

export interface RedriveOptions {
  readonly functionName?: string;
  readonly env?: string;
}

const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const USAGE =
  'Usage: npm run redrive -- --env <dev|staging|prod> | --function-name <name> [--region r] [--profile p]';
/** The function may run for its whole 60 s timeout; the CLI's own read timeout is 60 s too. */
const READ_TIMEOUT_SECONDS = '90';
/** The stack names the function's resource `Redrive/Function` (lib/constructs/redrive.ts). */
const REDRIVE_LOGICAL_ID_PREFIX = 'RedriveFunction';

export const parseOptions = (argv: readonly string[]): RedriveOptions & { cliArgs: string[] } => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      env: { type: 'string' },
      'function-name': { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const { env, 'function-name': functionName, region, profile } = values;
  if (functionName === undefined && (env === undefined || !ENVIRONMENTS.includes(env))) {
    throw new Error(USAGE);
  }
  const cliArgs = [...(region ? ['--region', region] : []), ...(profile ? ['--profile', profile] : [])];
  return { ...(functionName !== undefined && { functionName }), ...(env !== undefined && { env }), cliArgs };
};

interface StackResource {
  LogicalResourceId?: string;
  PhysicalResourceId?: string;
  ResourceType?: string;
}

/** The function's name: given, or found among the resources of stack `Chasqui-<env>` (it has no output). */
export async function resolveFunctionName(aws: AwsCli, options: RedriveOptions): Promise<string> {
  if (options.functionName) return options.functionName;
  const stackName = `Chasqui-${options.env}`;
  // list-stack-resources rather than describe-stack-resources, which stops at 100 and the stack has more.
  const listing = JSON.parse(
    await aws(['cloudformation', 'list-stack-resources', '--stack-name', stackName, '--output', 'json']),
  ) as { StackResourceSummaries?: StackResource[] };
  const found = (listing.StackResourceSummaries ?? []).find(
    (resource) =>
      resource.ResourceType === 'AWS::Lambda::Function' &&
      resource.LogicalResourceId?.startsWith(REDRIVE_LOGICAL_ID_PREFIX),
  );
  if (!found?.PhysicalResourceId) throw new Error(`No redrive function in stack ${stackName}`);
  return found.PhysicalResourceId;
}

/** Invokes the function synchronously (no Lambda retries) and returns its JSON result. */
export async function invokeRedrive(aws: AwsCli, functionName: string): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), 'chasqui-redrive-'));
  try {
    const payloadFile = join(dir, 'payload.json');
    const resultFile = join(dir, 'result.json');
    await writeFile(payloadFile, JSON.stringify({ trigger: 'manual' }));
    const invocation = JSON.parse(
      await aws([
        'lambda',
        'invoke',
        '--function-name',
        functionName,
        // fileb:// sends the bytes as they are in both CLI v1 and v2 (v2 reads a plain --payload as base64).
        '--payload',
        `fileb://${payloadFile}`,
        '--cli-read-timeout',
        READ_TIMEOUT_SECONDS,
        '--output',
        'json',
        resultFile,
      ]),
    ) as { FunctionError?: string };
    const result: unknown = JSON.parse(await readFile(resultFile, 'utf8'));
    if (invocation.FunctionError) {
      throw new Error(`The redrive function failed (${invocation.FunctionError}): ${JSON.stringify(result)}`);
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const awsCli =
  (commonArgs: readonly string[]): AwsCli =>
  (args) =>
    new Promise((resolve, reject) => {
      execFile('aws', [...args, ...commonArgs], (error, stdout, stderr) => {
        if (error) reject(new Error(stderr.trim() || error.message));
        else resolve(stdout);
      });
    });

export async function main(argv: readonly string[], aws?: AwsCli): Promise<unknown> {
  const options = parseOptions(argv);
  const cli = aws ?? awsCli(options.cliArgs);
  const functionName = await resolveFunctionName(cli, options);
  return invokeRedrive(cli, functionName);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
