import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type AwsCli, main, parseOptions } from '../../../scripts/redrive';

const STACK_RESOURCES = {
  StackResourceSummaries: [
    {
      LogicalResourceId: 'RedriveFunctionRoleBEF54A94',
      PhysicalResourceId: 'role',
      ResourceType: 'AWS::IAM::Role',
    },
    {
      LogicalResourceId: 'ProcessingFunction1A2B3C4D',
      PhysicalResourceId: 'Chasqui-prod-Processor',
      ResourceType: 'AWS::Lambda::Function',
    },
    {
      LogicalResourceId: 'RedriveFunctionCBF4F39B',
      PhysicalResourceId: 'Chasqui-prod-RedriveFunctionCBF4F39B-a1b2c3',
      ResourceType: 'AWS::Lambda::Function',
    },
  ],
};

/** Answers like the aws CLI: the stack listing, and an invoke that writes the function's result to its file. */
const fakeAws = (result: unknown, functionError?: string) => {
  const calls: string[][] = [];
  const payloads: string[] = [];
  const aws: AwsCli = (args) => {
    calls.push([...args]);
    if (args[0] === 'cloudformation') return Promise.resolve(JSON.stringify(STACK_RESOURCES));
    payloads.push(readFileSync(args[args.indexOf('--payload') + 1]!.replace('fileb://', ''), 'utf8'));
    writeFileSync(args.at(-1)!, JSON.stringify(result));
    return Promise.resolve(
      JSON.stringify({ StatusCode: 200, ...(functionError && { FunctionError: functionError }) }),
    );
  };
  return { aws, calls, payloads };
};

const DONE = { status: 'done', redriven: 2, parked: 0, taskHandle: 'task-1', sawAll: true };

describe('npm run redrive', () => {
  it('finds the redrive function of the environment stack and invokes it once with a manual trigger', async () => {
    // Prepare
    const { aws, calls, payloads } = fakeAws(DONE);

    // Act
    const result = await main(['--env', 'prod'], aws);

    // Assess
    expect(result).toEqual(DONE);
    expect(calls[0]).toEqual([
      'cloudformation',
      'list-stack-resources',
      '--stack-name',
      'Chasqui-prod',
      '--output',
      'json',
    ]);
    expect(calls[1]).toEqual(
      expect.arrayContaining([
        'lambda',
        'invoke',
        '--function-name',
        'Chasqui-prod-RedriveFunctionCBF4F39B-a1b2c3',
      ]),
    );
    expect(payloads).toEqual(['{"trigger":"manual"}']);
    expect(existsSync(calls[1]!.at(-1)!)).toBe(false);
  });

  it('invokes the function it is given without looking at any stack', async () => {
    // Prepare
    const { aws, calls } = fakeAws(DONE);

    // Act
    await main(['--function-name', 'my-redrive'], aws);

    // Assess
    expect(calls).toHaveLength(1);
    expect(calls[0]!.slice(0, 4)).toEqual(['lambda', 'invoke', '--function-name', 'my-redrive']);
  });

  it('fails with the function error and the result when the function throws', async () => {
    // Prepare
    const { aws } = fakeAws({ errorType: 'DatabaseError', errorMessage: 'connection refused' }, 'Unhandled');

    // Act
    const run = main(['--function-name', 'my-redrive'], aws);

    // Assess
    await expect(run).rejects.toThrow(
      'The redrive function failed (Unhandled): {"errorType":"DatabaseError"',
    );
  });

  it('asks for an environment or a function name, and passes region and profile on to the CLI', () => {
    // Act
    const options = parseOptions(['--env', 'dev', '--region', 'us-east-1', '--profile', 'ops']);

    // Assess
    expect(options).toEqual({ env: 'dev', cliArgs: ['--region', 'us-east-1', '--profile', 'ops'] });
    expect(() => parseOptions([])).toThrow('Usage: npm run redrive');
    expect(() => parseOptions(['--env', 'qa'])).toThrow('Usage: npm run redrive');
  });
});
