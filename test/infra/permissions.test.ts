import { AwsSolutionsChecks } from 'cdk-nag';
import { configFor } from '../../lib/config';
import {
  asArray,
  chasquiFunctions,
  logicalIdOf,
  type PolicyStatement,
  policyStatements,
  resourcesOfType,
  roleOf,
  type Synthesized,
  synthesize,
} from './support';

const DATA_SERVICES = ['dynamodb', 'sqs', 's3', 'secretsmanager', 'rds', 'kms'];
/** The only actions AWS offers no resource-level scoping for, among those the stack grants. */
const UNSCOPABLE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  // CDK's LogRetention helper, for the log groups RDS names itself.
  'logs:PutRetentionPolicy',
  'logs:DeleteRetentionPolicy',
]);

const actionsOf = (statement: PolicyStatement): string[] => asArray(statement.Action);

describe('permissions', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synthesize('dev');
    prod = synthesize('prod');
  });

  const statementsOfRole = (roleLogicalId: string) =>
    policyStatements(dev.template)
      .filter(({ roles }) => roles.includes(roleLogicalId))
      .map(({ statement }) => statement);

  it('the scheduler role may only invoke the reminder function and dead-letter to the scheduler DLQ', () => {
    // Prepare
    const { reminders } = dev.stack;
    const reminderId = logicalIdOf(reminders.reminderFunction);
    const reminderArn = { 'Fn::GetAtt': [reminderId, 'Arn'] };

    // Act
    const statements = statementsOfRole(logicalIdOf(reminders.schedulerRole));

    // Assess
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [reminderArn, { 'Fn::Join': ['', [reminderArn, ':*']] }],
      },
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [logicalIdOf(reminders.schedulerDeadLetterQueue), 'Arn'] },
      },
    ]);
    const role = resourcesOfType(dev.template, 'AWS::IAM::Role')[logicalIdOf(reminders.schedulerRole)]!;
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('the processor and reminder functions may only manage schedules in their group, and pass only the scheduler role', () => {
    // Prepare
    const { reminders } = dev.stack;
    const functions = chasquiFunctions(dev.template);
    const groupName = reminders.scheduleGroup.scheduleGroupName;
    const schedulerRoleArn = { 'Fn::GetAtt': [logicalIdOf(reminders.schedulerRole), 'Arn'] };

    for (const name of ['processor', 'reminder']) {
      // Act
      const statements = statementsOfRole(roleOf(functions[name]!));
      const scheduling = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
      const passRole = statements.filter((s) => actionsOf(s).includes('iam:PassRole'));

      // Assess
      expect(scheduling.flatMap(actionsOf).sort()).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
        'scheduler:UpdateSchedule',
      ]);
      expect(scheduling).toEqual([
        {
          Effect: 'Allow',
          Action: expect.any(Array),
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':scheduler:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                `:schedule/${groupName}/*`,
              ],
            ],
          },
        },
      ]);
      expect(passRole).toEqual([
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: schedulerRoleArn,
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
      ]);
    }
  });

  it('only the processor and reminder functions may touch schedules or pass roles', () => {
    const functions = chasquiFunctions(dev.template);
    const allowed = new Set([roleOf(functions.processor!), roleOf(functions.reminder!)]);

    const grantees = policyStatements(dev.template)
      .filter(({ statement }) =>
        actionsOf(statement).some((a) => a.startsWith('scheduler:') || a === 'iam:PassRole'),
      )
      .flatMap(({ roles }) => roles);

    expect(new Set(grantees)).toEqual(allowed);
  });

  it('no IAM policy statement grants a wildcard action, nor any wildcard on a data service', () => {
    for (const { template } of [dev, prod]) {
      const actions = policyStatements(template).flatMap(({ statement }) => actionsOf(statement));

      expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
      expect(
        actions.filter((action) => DATA_SERVICES.includes(action.split(':')[0]!) && action.includes('*')),
      ).toEqual([]);
    }
  });

  it('only actions AWS cannot scope are granted on every resource', () => {
    const onEverything = policyStatements(dev.template)
      .map(({ statement }) => statement)
      .filter((statement) => statement.Effect === 'Allow' && asArray(statement.Resource).includes('*'))
      .flatMap(actionsOf);

    expect(onEverything.filter((action) => !UNSCOPABLE_ACTIONS.has(action))).toEqual([]);
  });

  it('the ingress function runs outside the VPC and the others inside it', () => {
    const functions = chasquiFunctions(dev.template);

    expect(functions.ingress!.Properties.VpcConfig).toBeUndefined();
    for (const name of ['processor', 'reminder', 'redrive', 'migrate']) {
      expect(functions[name]!.Properties.VpcConfig).toBeDefined();
    }
  });

  it('only function security groups may reach the database proxy, on 5432', () => {
    const functions = chasquiFunctions(dev.template);
    const proxyGroup = logicalIdOf(dev.stack.database.proxySecurityGroup);
    const functionGroups = ['processor', 'reminder', 'redrive', 'migrate'].map((name) => {
      const vpcConfig = functions[name]!.Properties.VpcConfig as {
        SecurityGroupIds: { 'Fn::GetAtt': [string] }[];
      };
      return vpcConfig.SecurityGroupIds[0]!['Fn::GetAtt'][0];
    });

    const ingress = Object.values(resourcesOfType(dev.template, 'AWS::EC2::SecurityGroupIngress'))
      .map((rule) => rule.Properties)
      .filter(
        (rule) => JSON.stringify(rule.GroupId) === JSON.stringify({ 'Fn::GetAtt': [proxyGroup, 'GroupId'] }),
      );

    expect(ingress).toHaveLength(functionGroups.length);
    for (const rule of ingress) {
      expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
      expect(functionGroups).toContain(
        (rule.SourceSecurityGroupId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0],
      );
    }
  });

  it('every function of ours has an explicit log group with the configured retention', () => {
    // CDK's own singletons (LogRetention, the VPC default security group lock-down) cannot take one.
    const cdkSingletons = /^(LogRetention[0-9a-f]{32}|CustomVpcRestrictDefaultSGCustomResourceProvider)/;
    const logGroups = resourcesOfType(dev.template, 'AWS::Logs::LogGroup');
    const functions = Object.entries(resourcesOfType(dev.template, 'AWS::Lambda::Function')).filter(
      ([id]) => !cdkSingletons.test(id),
    );

    expect(functions.length).toBeGreaterThanOrEqual(6);
    for (const [, fn] of functions) {
      const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroups[logGroupRef]!.Properties.RetentionInDays).toBe(configFor('dev').logs.retention);
    }
  });

  it('cdk-nag AwsSolutions finds nothing unacknowledged in dev or prod', () => {
    for (const { stack } of [dev, prod]) {
      const report = new AwsSolutionsChecks().validateScope(stack);

      expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`)).toEqual(
        [],
      );
    }
  });
});
