import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ChasquiConfig } from '../config';
import { ChasquiFunction } from './chasqui-function';
import type { Database } from './database';
import type { Reminders } from './reminders';
import type { ApplicationSecrets } from './secrets';

/** AWS: a queue's visibility timeout should be at least six times its Lambda consumer's timeout (FACTS). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** SQS's maximum visibility timeout. */
const MAX_VISIBILITY_TIMEOUT = Duration.hours(12);
/** FACTS: maxReceiveCount ≥ 5, so a throttled or briefly failing consumer does not dead-letter good messages. */
const MIN_MAX_RECEIVE_COUNT = 5;
/** SQS FIFO → Lambda takes at most 10 records per batch (FACTS). */
const BATCH_SIZE = 10;

export interface ProcessingProps {
  readonly config: ChasquiConfig;
  readonly database: Database;
  readonly secrets: ApplicationSecrets;
  readonly stateTable: dynamodb.ITable;
  readonly reminders: Reminders;
  /**
   * Visibility timeout of the processing queue; at least six times the processor timeout.
   * @default - six times the processor timeout
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Receives before a message moves to the DLQ; at least 5.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/**
 * The FIFO queue between the ingress and the processor (one message group per user keeps each conversation
 * in order), its FIFO dead-letter queue, and the processor function that consumes it from the VPC.
 */
export class Processing extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly processorFunction: ChasquiFunction;
  public readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: ProcessingProps) {
    super(scope, id);
    const { config } = props;
    const processorTimeout = Duration.seconds(config.functions.processor.timeoutSeconds);
    const minimumVisibility = Duration.seconds(processorTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR);
    const visibilityTimeout = props.visibilityTimeout ?? minimumVisibility;
    if (visibilityTimeout.toSeconds() < minimumVisibility.toSeconds()) {
      throw new Error(
        `Processing: visibilityTimeout ${visibilityTimeout.toSeconds()}s is below ${VISIBILITY_TIMEOUT_FACTOR} × the ` +
          `processor timeout (${minimumVisibility.toSeconds()}s); a slow batch would be delivered twice`,
      );
    }
    if (visibilityTimeout.toSeconds() > MAX_VISIBILITY_TIMEOUT.toSeconds()) {
      throw new Error(
        `Processing: visibilityTimeout ${visibilityTimeout.toSeconds()}s exceeds SQS's 12 hours`,
      );
    }
    this.maxReceiveCount = props.maxReceiveCount ?? MIN_MAX_RECEIVE_COUNT;
    if (!Number.isInteger(this.maxReceiveCount) || this.maxReceiveCount < MIN_MAX_RECEIVE_COUNT) {
      throw new Error(
        `Processing: maxReceiveCount must be an integer ≥ ${MIN_MAX_RECEIVE_COUNT}, got ${this.maxReceiveCount}`,
      );
    }
    if (config.llm.userDailyBudgetUsd > config.llm.dailyBudgetUsd) {
      throw new Error(
        `Processing: the per-user daily budget ($${config.llm.userDailyBudgetUsd}) exceeds the daily budget ` +
          `($${config.llm.dailyBudgetUsd})`,
      );
    }
    if (config.llm.timeoutMs >= processorTimeout.toMilliseconds()) {
      throw new Error(
        `Processing: the LLM timeout (${config.llm.timeoutMs} ms) leaves no time for the rest of the ` +
          `processor's ${processorTimeout.toSeconds()} s`,
      );
    }

    const { optOutKeywords, optInKeywords } = config.consent;
    const listed = [...optOutKeywords, ...optInKeywords];
    if (listed.some((word) => word.includes(',') || word.trim() === '')) {
      throw new Error(
        'Processing: consent keywords must be non-empty and contain no comma (the list separator)',
      );
    }
    const both = optOutKeywords.filter((word) =>
      optInKeywords.some((other) => other.toLowerCase() === word.toLowerCase()),
    );
    if (both.length > 0) {
      throw new Error(`Processing: "${both.join('", "')}" would both opt users out and back in`);
    }

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      fifo: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: a human has two weeks to look before a message is lost.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      fifo: true,
      // The ingress sets MessageDeduplicationId to the event id; bodies of distinct events can be equal.
      contentBasedDeduplication: false,
      // High-throughput FIFO: quotas apply per message group (per user), not to the whole queue.
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });

    this.processorFunction = new ChasquiFunction(this, 'Processor', {
      name: 'processor',
      config,
      vpc: props.database.vpc,
      environment: {
        GRAPH_API_VERSION: config.whatsapp.graphApiVersion,
        WHATSAPP_TEMPLATES: JSON.stringify(config.whatsapp.templates),
        ANTHROPIC_MODEL: config.llm.anthropicModel,
        OPENAI_MODEL: config.llm.openaiModel,
        TRANSCRIPTION_MODEL: config.llm.transcriptionModel,
        LLM_TIMEOUT_MS: String(config.llm.timeoutMs),
        LLM_MAX_TOKENS: String(config.llm.maxTokens),
        DAILY_BUDGET_USD: String(config.llm.dailyBudgetUsd),
        USER_DAILY_BUDGET_USD: String(config.llm.userDailyBudgetUsd),
        OPT_OUT_KEYWORDS: optOutKeywords.join(','),
        OPT_IN_KEYWORDS: optInKeywords.join(','),
        OPERATOR_CONTACT: config.consent.operatorContact,
        EMBEDDING_MODEL: config.llm.embeddingModel,
        EMBEDDING_DIMENSIONS: String(config.llm.embeddingDimensions),
        STATE_TABLE_NAME: props.stateTable.tableName,
        REMINDER_FUNCTION_ARN: props.reminders.reminderFunction.functionArn,
      },
    });
    props.database.connect(this.processorFunction);
    props.secrets.connectWhatsApp(this.processorFunction);
    props.secrets.connectLlm(this.processorFunction);
    props.reminders.connectScheduler(this.processorFunction);
    props.stateTable.grantReadWriteData(this.processorFunction);

    // No batching window: FIFO event sources do not support one (FACTS).
    this.processorFunction.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: config.processor.maxConcurrency,
      }),
    );
  }
}
