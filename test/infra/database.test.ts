import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { addChasquiStack } from '../../lib/chasqui-app';
import { APP_LOGIN_USERNAME } from '../../lib/constructs/database';
import { logicalIdOf, resourcesOfType, type Synthesized, synthesize, TEST_DEPLOY_NONCE } from './support';

describe('database and environments', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synthesize('dev');
    prod = synthesize('prod');
  });

  it('each environment is one env-agnostic stack named after it', () => {
    for (const [name, { stack }] of [
      ['dev', dev],
      ['prod', prod],
    ] as const) {
      expect(stack.stackName).toBe(`Chasqui-${name}`);
      // No account or region: synth needs no credentials and does no look-ups (FACTS).
      expect(stack.environment).toBe('aws://unknown-account/unknown-region');
    }
  });

  it('an unknown environment fails naming the known ones', () => {
    const app = new App({ context: { env: 'qa' } });

    expect(() => addChasquiStack(app)).toThrow('Unknown environment "qa": use -c env=dev|staging|prod');
  });

  it('prod has Multi-AZ, deletion protection, long backups and PITR, and dev has none of them', () => {
    prod.template.hasResourceProperties('AWS::RDS::DBInstance', {
      MultiAZ: true,
      DeletionProtection: true,
      BackupRetentionPeriod: 30,
      EnablePerformanceInsights: true,
    });
    prod.template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    prod.template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Retain' });
    // A kept database needs its passwords: every secret outlives the stack too.
    for (const secret of Object.values(prod.template.findResources('AWS::SecretsManager::Secret'))) {
      expect(secret).toMatchObject({ DeletionPolicy: 'Retain' });
    }

    dev.template.hasResourceProperties('AWS::RDS::DBInstance', {
      MultiAZ: false,
      DeletionProtection: false,
      BackupRetentionPeriod: 1,
    });
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
  });

  it('dev reaches the internet through one NAT instance, prod through a NAT gateway per AZ', () => {
    dev.template.resourceCountIs('AWS::EC2::NatGateway', 0);
    dev.template.resourceCountIs('AWS::EC2::Instance', 1);
    dev.template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      SourceDestCheck: false,
      ImageId: { Ref: Match.stringLikeRegexp('al2023.*arm64') },
    });

    prod.template.resourceCountIs('AWS::EC2::NatGateway', 2);
    prod.template.resourceCountIs('AWS::EC2::Instance', 0);
  });

  it('the NAT instance forwards traffic from the VPC only', () => {
    const nat = dev.stack.database.natInstanceProvider!;
    const group = resourcesOfType(dev.template, 'AWS::EC2::SecurityGroup')[logicalIdOf(nat.securityGroup)]!;

    expect(group.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({ CidrIp: '10.0.0.0/16', IpProtocol: '-1' }),
    ]);
  });

  it('the VPC has public, private and isolated subnets in two AZs, and logs rejected flows', () => {
    const subnets = Object.keys(resourcesOfType(dev.template, 'AWS::EC2::Subnet'));

    for (const tier of ['public', 'private', 'isolated']) {
      expect(subnets.filter((id) => id.startsWith(`DatabaseVpc${tier}Subnet`))).toHaveLength(2);
    }
    dev.template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  it('Postgres 17 is encrypted, isolated, forces TLS and exports its logs', () => {
    dev.template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      EngineVersion: Match.stringLikeRegexp('^17\\.'),
      StorageEncrypted: true,
      PubliclyAccessible: false,
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      DBSubnetGroupName: { Ref: Match.stringLikeRegexp('^DatabaseInstanceSubnetGroup') },
    });
    dev.template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: [
        { Ref: Match.stringLikeRegexp('^DatabaseVpcisolatedSubnet1') },
        { Ref: Match.stringLikeRegexp('^DatabaseVpcisolatedSubnet2') },
      ],
    });
    dev.template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres17',
      Parameters: { 'rds.force_ssl': '1' },
    });
  });

  it('the admin and app credentials are generated secrets, rotated, and served by a TLS-only proxy', () => {
    const { database } = dev.stack;

    dev.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: JSON.stringify({ username: APP_LOGIN_USERNAME, dbname: 'chasqui' }),
      }),
    });
    dev.template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 2);
    dev.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: logicalIdOf(database.appSecret) },
      RotateImmediatelyOnUpdate: false,
    });
    dev.template.hasResourceProperties('AWS::RDS::DBProxy', {
      EngineFamily: 'POSTGRESQL',
      RequireTLS: true,
      Auth: [
        Match.objectLike({ SecretArn: { Ref: logicalIdOf(database.adminSecret) } }),
        Match.objectLike({ SecretArn: { Ref: logicalIdOf(database.appSecret) } }),
      ],
      VpcSubnetIds: [
        { Ref: Match.stringLikeRegexp('^DatabaseVpcprivateSubnet1') },
        { Ref: Match.stringLikeRegexp('^DatabaseVpcprivateSubnet2') },
      ],
    });
  });

  it('the migrate function runs on every deploy, as a custom resource keyed by the deploy nonce', () => {
    const { database } = dev.stack;

    dev.template.hasResource('Custom::ChasquiMigrations', {
      Properties: { deployNonce: TEST_DEPLOY_NONCE },
      DependsOn: Match.arrayWith([logicalIdOf(database.proxy)]),
    });
  });

  it('without a pinned nonce, the migrations are keyed by the synth time', () => {
    const before = Date.now();
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = addChasquiStack(app);

    const [migrations] = Object.values(Template.fromStack(stack).findResources('Custom::ChasquiMigrations'));
    const nonce = (migrations as { Properties: { deployNonce: string } }).Properties.deployNonce;

    expect(Date.parse(nonce)).toBeGreaterThanOrEqual(before);
  });
});
