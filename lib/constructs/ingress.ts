import { CfnOutput, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ChasquiConfig } from '../config';
import { ChasquiFunction } from './chasqui-function';
import { wildcardResourceFinding } from './nag';
import type { ApplicationSecrets } from './secrets';

/** Where the ingress writes raw dead letters (`S3RawDeadLetterStore` keys start with it). */
const RAW_DEAD_LETTER_PREFIX = 'ingress/';

/** What the state table needs for dedup claims: claim (put), complete (update), release (delete), read. */
const DEDUP_TABLE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
];

export interface IngressProps {
  readonly config: ChasquiConfig;
  readonly queue: sqs.IQueue;
  readonly stateTable: dynamodb.ITable;
  readonly rawDeadLetterBucket: s3.IBucket;
  readonly secrets: ApplicationSecrets;
}

/**
 * Meta's webhook: an HTTP API whose `GET /webhook` (verification) and `POST /webhook` (events) reach the
 * ingress function, which stays outside the VPC so Meta gets its 200 without an ENI cold start.
 */
export class Ingress extends Construct {
  public readonly httpApi: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly ingressFunction: ChasquiFunction;
  /** The callback URL to paste into Meta's app dashboard. */
  public readonly webhookUrl: string;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const { config } = props;
    if (config.api.throttleBurstLimit < config.api.throttleRateLimit) {
      throw new Error(
        `Ingress: throttle burst (${config.api.throttleBurstLimit}) is below the steady rate ` +
          `(${config.api.throttleRateLimit}); a token bucket smaller than one second of the rate caps throughput below it`,
      );
    }

    this.ingressFunction = new ChasquiFunction(this, 'Function', {
      name: 'ingress',
      config,
      environment: {
        QUEUE_URL: props.queue.queueUrl,
        STATE_TABLE_NAME: props.stateTable.tableName,
        RAW_DEAD_LETTER_BUCKET: props.rawDeadLetterBucket.bucketName,
      },
    });
    props.queue.grantSendMessages(this.ingressFunction);
    props.stateTable.grant(this.ingressFunction, ...DEDUP_TABLE_ACTIONS);
    props.secrets.connectWhatsApp(this.ingressFunction);
    const deadLetterObjects = props.rawDeadLetterBucket.arnForObjects(`${RAW_DEAD_LETTER_PREFIX}*`);
    iam.Grant.addToPrincipal({
      grantee: this.ingressFunction,
      actions: ['s3:PutObject'],
      resourceArns: [deadLetterObjects],
    });
    Validations.of(this.ingressFunction.serviceRole).acknowledge({
      id: wildcardResourceFinding(deadLetterObjects, this),
      reason: 'Each dead letter gets a new random key, so the ingress can only be allowed a key prefix',
    });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Chasqui: WhatsApp Cloud API webhook',
      createDefaultStage: false,
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logs.retention,
      removalPolicy: config.logs.removalPolicy,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.api.throttleRateLimit, burstLimit: config.api.throttleBurstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        // No query string: the GET verification carries hub.verify_token in it.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('Ingress', this.ingressFunction);
    this.httpApi.addRoutes({
      path: '/webhook',
      methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST],
      integration,
    });
    for (const route of this.httpApi.node.findAll().filter((c) => c instanceof apigwv2.HttpRoute)) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Meta cannot send IAM or JWT credentials; the function checks X-Hub-Signature-256 on POST and the verify token on GET',
      });
    }

    this.webhookUrl = `${this.stage.url}webhook`;
    new CfnOutput(this, 'WebhookUrl', {
      description: 'Callback URL for the WhatsApp app webhook in Meta',
      value: this.webhookUrl,
    });
  }
}
