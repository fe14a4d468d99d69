import { Match } from 'aws-cdk-lib/assertions';
import { configFor } from '../../lib/config';
import { MetricNames } from '../../layers/core/observability/metric-names';
import {
  asArray,
  chasquiFunctions,
  logicalIdOf,
  policyStatements,
  roleOf,
  type Synthesized,
  synthesize,
} from './support';

describe('ingress, state, reminders, redrive and alarms', () => {
  let dev: Synthesized;
  beforeAll(() => {
    dev = synthesize('dev');
  });

  const actionsOfFunction = (name: string) => {
    const role = roleOf(chasquiFunctions(dev.template)[name]!);
    return policyStatements(dev.template)
      .filter(({ roles }) => roles.includes(role))
      .map(({ statement }) => ({ actions: asArray(statement.Action), resource: statement.Resource }));
  };

  it('GET and POST /webhook reach the ingress function, and nothing else is routed', () => {
    dev.template.resourceCountIs('AWS::ApiGatewayV2::Route', 2);
    for (const method of ['GET', 'POST']) {
      dev.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `${method} /webhook` });
    }
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [chasquiFunctions(dev.template).ingress!.logicalId, 'Arn'] },
    });
  });

  it('the default stage throttles as configured and writes access logs without the query string', () => {
    const { api, logs } = configFor('dev');

    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: api.throttleRateLimit,
        ThrottlingBurstLimit: api.throttleBurstLimit,
      },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalIdOf(dev.stack.ingress.accessLogGroup), 'Arn'] },
        Format: Match.not(Match.stringLikeRegexp('querystring|\\$context\\.path')),
      },
    });
    dev.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: logs.retention });
  });

  it('the webhook URL is a stack output', () => {
    dev.template.hasOutput('*', {
      Value: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/webhook'])] }),
    });
  });

  it('the ingress may enqueue, claim dedup records, read the WhatsApp secret and store dead letters, and no more', () => {
    const statements = actionsOfFunction('ingress');
    const actions = statements.flatMap((s) => s.actions).sort();

    expect(actions).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:PutObject',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
  });

  it('the state table is keyed by id with the expiration TTL, on demand, under an AWS managed key', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      TableName: Match.absent(),
    });
  });

  it('the dead-letter bucket is encrypted, private, TLS-only, and expires its objects', () => {
    const { state } = configFor('dev');

    dev.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.absent(),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ ExpirationInDays: state.rawDeadLetterExpirationDays, Status: 'Enabled' })],
      },
    });
    dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('failed schedule invocations go to a standard, encrypted dead-letter queue', () => {
    const queue =
      dev.template.findResources('AWS::SQS::Queue')[
        logicalIdOf(dev.stack.reminders.schedulerDeadLetterQueue)
      ]!;

    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    expect(queue.Properties.FifoQueue).toBeUndefined();
    dev.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
      Name: Match.stringLikeRegexp('Chasquidev'),
    });
  });

  it('reminder invocations that fail every Lambda retry are kept in the scheduler dead-letter queue', () => {
    const { reminders } = dev.stack;
    dev.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOf(reminders.reminderFunction) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalIdOf(reminders.schedulerDeadLetterQueue), 'Arn'] },
        },
      },
    });
  });

  it('a message parked by the redrive raises an alarm on the metric the redrive emits', () => {
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Chasqui-dev',
      MetricName: MetricNames.redriveParked,
      Dimensions: [{ Name: 'service', Value: 'chasqui-redrive' }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      AlarmActions: [{ Ref: logicalIdOf(dev.stack.observability.alarmTopic) }],
    });
  });

  it('the redrive function runs every 15 minutes and may move messages only from the DLQ to the queue', () => {
    // Prepare
    const { processing, observability } = dev.stack;
    const dlqArn = { 'Fn::GetAtt': [logicalIdOf(processing.deadLetterQueue), 'Arn'] };
    const queueArn = { 'Fn::GetAtt': [logicalIdOf(processing.queue), 'Arn'] };

    // Act
    const statements = actionsOfFunction('redrive');
    const sqsStatements = statements.filter((s) => s.actions.some((a) => a.startsWith('sqs:')));

    // Assess
    dev.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [chasquiFunctions(dev.template).redrive!.logicalId, 'Arn'] },
        }),
      ],
    });
    expect(sqsStatements).toEqual(
      expect.arrayContaining([
        {
          actions: expect.arrayContaining([
            'sqs:StartMessageMoveTask',
            'sqs:ListMessageMoveTasks',
            'sqs:CancelMessageMoveTask',
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
          ]),
          resource: dlqArn,
        },
        { actions: expect.arrayContaining(['sqs:SendMessage']), resource: queueArn },
      ]),
    );
    expect(sqsStatements).toHaveLength(2);
    expect(statements.filter((s) => s.actions.includes('cloudwatch:DescribeAlarms'))).toEqual([
      {
        actions: ['cloudwatch:DescribeAlarms'],
        resource: { 'Fn::GetAtt': [logicalIdOf(observability.processingDlqAlarm), 'Arn'] },
      },
    ]);
  });

  it('a message in the processing DLQ raises an alarm on an encrypted, TLS-only topic', () => {
    const { observability, processing } = dev.stack;

    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalIdOf(processing.deadLetterQueue), 'QueueName'] },
        },
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: logicalIdOf(observability.alarmTopic) }],
    });
    dev.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(observability.alarmTopicKey), 'Arn'] },
    });
    dev.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});
