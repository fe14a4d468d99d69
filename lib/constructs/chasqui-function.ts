import * as path from 'node:path';
import { Duration, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionName } from '../../layers/core/config/env';
import { metricsNamespaceOf, serviceNameOf } from '../../layers/core/observability/metric-catalog';
import type { ChasquiConfig } from '../config';
import { FUNCTION_BUNDLING, powertoolsLayer } from './function-bundling';
import { wildcardResourceFinding } from './nag';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Tag naming the function folder, so infra tests can match a deployed function to its env schema. */
export const FUNCTION_NAME_TAG = 'chasqui:function';

/**
 * Variables the Lambda runtime and Powertools read themselves; the zod schemas in
 * `layers/core/config/env.ts` list only what the code parses.
 */
export const RUNTIME_ENVIRONMENT_KEYS = ['NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL'] as const;

export interface ChasquiFunctionProps {
  /** The folder under `functions/`; the entry is `functions/<name>/handler.ts`, exporting `handler`. */
  readonly name: FunctionName;
  readonly config: ChasquiConfig;
  /**
   * Variables the function's env schema needs beyond the common ones (STAGE and Powertools).
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * The VPC to run in, in its private subnets with egress, with a new security group. Leave unset for a
   * function that must not pay for ENIs (the ingress).
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
}

/**
 * The project's Lambda defaults, held once: Node 22 on ARM64, minified bundles with source maps
 * (`FUNCTION_BUNDLING`), the Powertools layer, active tracing, an explicit log group with the environment's
 * retention, and the Powertools variables.
 *
 * The role is its own (a sibling named `<id>Role`): it may write to this function's log group only,
 * where the AWS managed basic execution policy would allow every log group in the account.
 */
export class ChasquiFunction extends NodejsFunction {
  public readonly functionLogGroup: LogGroup;
  public readonly serviceRole: iam.Role;
  public readonly chasquiName: FunctionName;

  constructor(scope: Construct, id: string, props: ChasquiFunctionProps) {
    const sizing = props.config.functions[props.name];
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.config.logs.retention,
      removalPolicy: props.config.logs.removalPolicy,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      description: `Chasqui ${props.name} function`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    if (props.vpc !== undefined) {
      role.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'),
      );
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'Lambda needs these ENI actions to join the VPC; they allow no resource-level scoping, AWS keeps the list minimal',
      });
    }
    Validations.of(role).acknowledge({
      id: wildcardResourceFinding('*'),
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords allow no resource-level scoping',
    });

    super(scope, id, {
      entry: path.join(PROJECT_ROOT, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: sizing.memorySize,
      timeout: Duration.seconds(sizing.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      layers: [powertoolsLayer(scope)],
      bundling: {
        ...FUNCTION_BUNDLING,
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        logLevel: LogLevel.WARNING,
      },
      ...(props.vpc === undefined
        ? {}
        : { vpc: props.vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        STAGE: props.config.envName,
        POWERTOOLS_SERVICE_NAME: serviceNameOf(props.name),
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespaceOf(props.config.envName),
        POWERTOOLS_LOG_LEVEL: props.config.logs.level,
        ...props.environment,
      },
    });
    this.functionLogGroup = logGroup;
    this.serviceRole = role;
    this.chasquiName = props.name;
    Tags.of(this).add(FUNCTION_NAME_TAG, props.name);
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node 22, the bundling target and the runtime FACTS.md names; moving to 24 is its own change',
    });
  }
}
