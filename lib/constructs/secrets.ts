import { SecretValue, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DataRemovalPolicy } from '../config';

/** Stored until the operator pastes the real value from Meta's app dashboard after the first deploy. */
export const SECRET_PLACEHOLDER = 'REPLACE_AFTER_DEPLOY';

export interface ApplicationSecretsProps {
  /**
   * What happens to the secrets when the stack deletes them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: DataRemovalPolicy;
}

/**
 * Credentials issued by third parties, which the functions read with Powertools Parameters.
 * CloudFormation creates them with placeholders; the operator replaces the values after deploy.
 */
export class ApplicationSecrets extends Construct {
  /** JSON `{ appSecret, verifyToken, accessToken }`. */
  public readonly whatsappSecret: secretsmanager.Secret;
  /** JSON `{ anthropicApiKey?, openaiApiKey? }`; empty, the assistant runs on the offline planner. */
  public readonly llmSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ApplicationSecretsProps = {}) {
    super(scope, id);
    const removal = props.removalPolicy === undefined ? {} : { removalPolicy: props.removalPolicy };

    this.whatsappSecret = new secretsmanager.Secret(this, 'WhatsApp', {
      description:
        'WhatsApp Cloud API: appSecret and accessToken from Meta; verifyToken is ours to give Meta',
      generateSecretString: {
        // A signature made with the placeholder never matches, so the ingress rejects all until it is set.
        secretStringTemplate: JSON.stringify({
          appSecret: SECRET_PLACEHOLDER,
          accessToken: SECRET_PLACEHOLDER,
        }),
        generateStringKey: 'verifyToken',
        excludePunctuation: true,
        passwordLength: 32,
      },
      ...removal,
    });

    this.llmSecret = new secretsmanager.Secret(this, 'Llm', {
      description: 'LLM provider keys: anthropicApiKey and openaiApiKey (both optional)',
      // No key is the documented "offline planner" mode, so an empty object is a working value, not a secret.
      secretStringValue: SecretValue.unsafePlainText('{}'),
      ...removal,
    });

    for (const secret of [this.whatsappSecret, this.llmSecret]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'Meta, Anthropic and OpenAI issue these tokens; Secrets Manager cannot rotate them',
      });
    }
  }

  /** Read access to the WhatsApp secret, and WHATSAPP_SECRET_ARN. */
  public connectWhatsApp(fn: lambda.Function): void {
    this.whatsappSecret.grantRead(fn);
    fn.addEnvironment('WHATSAPP_SECRET_ARN', this.whatsappSecret.secretArn);
  }

  /** Read access to the LLM secret, and LLM_SECRET_ARN. */
  public connectLlm(fn: lambda.Function): void {
    this.llmSecret.grantRead(fn);
    fn.addEnvironment('LLM_SECRET_ARN', this.llmSecret.secretArn);
  }
}
