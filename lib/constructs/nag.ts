import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** cdk-nag's rendering of a CloudFormation value in finding ids: `<Logical.Arn>`, `<AWS::Region>`, joins. */
const flatten = (value: unknown): string => {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (isRecord(value)) {
    const join = value['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
    if ('Ref' in value) return `<${flatten(value.Ref)}>`;
  }
  return JSON.stringify(value);
};

/**
 * The id of the AwsSolutions-IAM5 finding for a policy resource. cdk-nag 3 acknowledges findings one by
 * one, by their exact text, which embeds the resource as it renders it; `resource` may hold tokens.
 */
export const wildcardResourceFinding = (resource: string, scope?: IConstruct): string =>
  `AwsSolutions-IAM5[Resource::${scope === undefined ? resource : flatten(Stack.of(scope).resolve(resource))}]`;
