import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { type ChasquiConfig, configFor } from '../../lib/config';
import { Database } from '../../lib/constructs/database';
import { Processing, VISIBILITY_TIMEOUT_FACTOR } from '../../lib/constructs/processing';
import { Reminders } from '../../lib/constructs/reminders';
import { ApplicationSecrets } from '../../lib/constructs/secrets';
import { State } from '../../lib/constructs/state';
import {
  type CfnResource,
  chasquiFunctions,
  logicalIdOf,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './support';

describe('processing', () => {
  let dev: Synthesized;
  beforeAll(() => {
    dev = synthesize('dev');
  });

  const queues = () => resourcesOfType(dev.template, 'AWS::SQS::Queue');
  const processingQueue = (): CfnResource => {
    const { queue } = dev.stack.processing;
    return queues()[logicalIdOf(queue)]!;
  };

  it('the processing queue is FIFO, encrypted, and sends to its DLQ after 5 receives', () => {
    // Prepare
    const dlqId = logicalIdOf(dev.stack.processing.deadLetterQueue);

    // Act
    const queue = processingQueue();

    // Assess
    expect(queue.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(queues()[dlqId]!.Properties).toMatchObject({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: Duration.days(14).toSeconds(),
    });
  });

  it('both queues refuse requests that are not over TLS', () => {
    for (const queue of [dev.stack.processing.queue, dev.stack.processing.deadLetterQueue]) {
      dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('the visibility timeout is at least six times the processor timeout', () => {
    const processor = chasquiFunctions(dev.template).processor!;
    const timeout = processor.Properties.Timeout as number;

    expect(processingQueue().Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      VISIBILITY_TIMEOUT_FACTOR * timeout,
    );
  });

  it('the processor consumes batches of 10, reports batch item failures, and caps its concurrency', () => {
    const processor = chasquiFunctions(dev.template).processor!;

    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: processor.logicalId },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: configFor('dev').processor.maxConcurrency },
      // FIFO event sources take no batching window.
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
  });

  it('the processor runs in the private subnets of the VPC', () => {
    const processor = chasquiFunctions(dev.template).processor!;
    const vpcConfig = processor.Properties.VpcConfig as { SubnetIds: { Ref: string }[] };

    expect(vpcConfig.SubnetIds.map((subnet) => subnet.Ref)).toEqual([
      expect.stringMatching(/^DatabaseVpcprivateSubnet1/),
      expect.stringMatching(/^DatabaseVpcprivateSubnet2/),
    ]);
  });
});

describe('processing construct', () => {
  const build = (
    overrides: { visibilityTimeout?: Duration; maxReceiveCount?: number },
    consent: Partial<ChasquiConfig['consent']> = {},
  ) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const dev = configFor('dev');
    const config: ChasquiConfig = { ...dev, consent: { ...dev.consent, ...consent } };
    const state = new State(stack, 'State');
    const secrets = new ApplicationSecrets(stack, 'Secrets');
    const database = new Database(stack, 'Database', { config, deployNonce: 'n' });
    const reminders = new Reminders(stack, 'Reminders', {
      config,
      database,
      secrets,
      stateTable: state.table,
    });
    return () =>
      new Processing(stack, 'Processing', {
        config,
        database,
        secrets,
        stateTable: state.table,
        reminders,
        ...overrides,
      });
  };

  it('refuses a visibility timeout shorter than six processor timeouts', () => {
    const processorTimeout = configFor('dev').functions.processor.timeoutSeconds;
    const tooShort = Duration.seconds(processorTimeout * VISIBILITY_TIMEOUT_FACTOR - 1);

    expect(build({ visibilityTimeout: tooShort })).toThrow(
      /visibilityTimeout .* is below 6 × the processor timeout/,
    );
  });

  it('refuses fewer than 5 receives before dead-lettering', () => {
    expect(build({ maxReceiveCount: 3 })).toThrow(/maxReceiveCount must be an integer ≥ 5/);
  });

  it('refuses consent keywords that cannot travel as a comma-separated list, or that contradict each other', () => {
    expect(build({}, { optOutKeywords: ['basta, ya'] })).toThrow(/contain no comma/);
    expect(build({}, { optOutKeywords: ['  '] })).toThrow(/must be non-empty/);
    expect(build({}, { optOutKeywords: ['Basta'], optInKeywords: ['basta'] })).toThrow(
      /"Basta" would both opt users out and back in/,
    );
  });
});
