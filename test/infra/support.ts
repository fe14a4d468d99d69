import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { addChasquiStack } from '../../lib/chasqui-app';
import type { ChasquiStack } from '../../lib/chasqui-stack';
import { FUNCTION_NAME_TAG } from '../../lib/constructs/chasqui-function';
import type { EnvironmentName } from '../../lib/config';

/** Pinned so templates are stable between runs; a real synth uses the synth time. */
export const TEST_DEPLOY_NONCE = 'infra-test-nonce';

export interface Synthesized {
  readonly stack: ChasquiStack;
  readonly template: Template;
}

/**
 * Builds the stack of one environment exactly as `bin/app.ts` does (cdk-nag included), with real esbuild
 * bundling. A few seconds each: build once per test file, in `beforeAll`.
 */
export const synthesize = (env: EnvironmentName): Synthesized => {
  const app = new App({ context: { env, deployNonce: TEST_DEPLOY_NONCE } });
  const stack = addChasquiStack(app);
  return { stack, template: Template.fromStack(stack) };
};

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export const resourcesOfType = (template: Template, type: string): Record<string, CfnResource> =>
  template.findResources(type) as Record<string, CfnResource>;

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every inline policy, with the logical ids of the roles it is attached to. */
export const policyStatements = (template: Template): { roles: string[]; statement: PolicyStatement }[] =>
  Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap((policy) => {
    const roles = asArray((policy.Properties.Roles ?? []) as { Ref: string }[]).map((role) => role.Ref);
    const document = policy.Properties.PolicyDocument as { Statement: PolicyStatement[] };
    return document.Statement.map((statement) => ({ roles, statement }));
  });

/** The logical id of the role a Lambda function runs as. */
export const roleOf = (fn: CfnResource): string =>
  (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

/** Chasqui's own functions (tagged by ChasquiFunction), by folder name. */
export const chasquiFunctions = (template: Template): Record<string, CfnResource & { logicalId: string }> => {
  const byName: Record<string, CfnResource & { logicalId: string }> = {};
  for (const [logicalId, fn] of Object.entries(resourcesOfType(template, 'AWS::Lambda::Function'))) {
    const tags = (fn.Properties.Tags ?? []) as { Key: string; Value: string }[];
    const name = tags.find((tag) => tag.Key === FUNCTION_NAME_TAG)?.Value;
    if (name !== undefined) byName[name] = { ...fn, logicalId };
  }
  return byName;
};

/** The logical id CloudFormation knows a construct's main resource by. */
export const logicalIdOf = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
