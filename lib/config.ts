import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { FunctionName } from '../layers/core/config/env';
import { DEFAULT_MESSAGE_TEMPLATES, type MessageTemplates } from '../layers/core/outbound/templates';

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export interface FunctionSizing {
  /** MB; on ARM64 CPU share grows with memory. */
  readonly memorySize: number;
  readonly timeoutSeconds: number;
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Removal policies a resource that holds data may take; `SNAPSHOT` only where the service supports it. */
export type DataRemovalPolicy = RemovalPolicy.DESTROY | RemovalPolicy.RETAIN;
export type DatabaseRemovalPolicy = RemovalPolicy.DESTROY | RemovalPolicy.SNAPSHOT | RemovalPolicy.RETAIN;

/** Outbound internet for the VPC functions (Graph API, LLM providers, Secrets Manager, SQS, DynamoDB). */
export type NatConfig =
  | {
      readonly kind: 'instance';
      /** Must be a Graviton (`t4g`) size: the image is the ARM64 Amazon Linux 2023. */
      readonly instanceType: string;
      readonly count: number;
    }
  | { readonly kind: 'gateway'; readonly count: number };

export interface ChasquiConfig {
  readonly envName: EnvironmentName;
  readonly functions: Readonly<Record<FunctionName, FunctionSizing>>;
  readonly processor: {
    /** Lambda's SQS `maximumConcurrency` (2–1000); also bounds Postgres connections through the proxy. */
    readonly maxConcurrency: number;
  };
  readonly logs: {
    readonly retention: RetentionDays;
    readonly level: LogLevel;
    readonly removalPolicy: DataRemovalPolicy;
  };
  readonly whatsapp: {
    /** Graph API version the replies are sent with (FACTS: v23–v26 in use). */
    readonly graphApiVersion: string;
    /** Approved templates, by purpose and language, in this environment's WhatsApp Business Account. */
    readonly templates: MessageTemplates;
  };
  readonly llm: {
    readonly anthropicModel: string;
    readonly openaiModel: string;
    /** Voice notes, through OpenAI's transcription API. */
    readonly transcriptionModel: string;
    readonly timeoutMs: number;
    readonly maxTokens: number;
    readonly dailyBudgetUsd: number;
    readonly userDailyBudgetUsd: number;
    /** Long-term memory's OpenAI embedding model (the offline lexical embedder when there is no key). */
    readonly embeddingModel: string;
    /** One of SUPPORTED_EMBEDDING_DIMENSIONS; changing it re-embeds memories as users write. */
    readonly embeddingDimensions: number;
  };
  readonly consent: {
    /**
     * Whole-message words (any case, any accents) that opt a user out of proactive messages, beyond the
     * mandatory STOP, BAJA, PARAR and UNSUBSCRIBE. No commas: the list travels as one variable.
     */
    readonly optOutKeywords: readonly string[];
    /** Words that opt a user back in, beyond the mandatory START and ALTA. */
    readonly optInKeywords: readonly string[];
    /**
     * How a person from the team reaches a user who asks for one. Shown as is in Spanish and English
     * replies, so an e-mail address, a phone number or a link rather than a sentence.
     */
    readonly operatorContact: string;
  };
  readonly redrive: {
    /** How many times one message may be moved back from the DLQ before it stays there for a human. */
    readonly maxRedrives: number;
    /** `MaxNumberOfMessagesPerSecond` of a message move task (SQS allows up to 500). */
    readonly maxMessagesPerSecond: number;
  };
  readonly api: {
    readonly throttleRateLimit: number;
    readonly throttleBurstLimit: number;
  };
  readonly network: {
    readonly nat: NatConfig;
  };
  readonly database: {
    /** EC2-style size without the `db.` prefix, e.g. `t4g.micro`. */
    readonly instanceType: string;
    readonly multiAz: boolean;
    readonly allocatedStorageGiB: number;
    readonly maxAllocatedStorageGiB: number;
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    readonly performanceInsights: boolean;
    readonly removalPolicy: DatabaseRemovalPolicy;
  };
  readonly state: {
    readonly pointInTimeRecovery: boolean;
    readonly removalPolicy: DataRemovalPolicy;
    /** Days a raw ingress dead letter is kept before S3 expires it. */
    readonly rawDeadLetterExpirationDays: number;
  };
  readonly alarms: {
    /** The processing DLQ alarm fires when more messages than this are visible. */
    readonly processingDlqVisibleMessages: number;
    /** Age of the oldest message in the processing queue, in seconds, that means the processor is behind. */
    readonly queueAgeSeconds: number;
    /**
     * Target for the 95th percentile of the end-to-end turn (Meta's timestamp to the reply sent), in ms.
     * Meta's timestamps are whole seconds, so the metric reads up to 1 s long.
     */
    readonly turnP95Ms: number;
    /** Lambda errors as a share of invocations, in percent over 5 minutes, per function. */
    readonly errorRatePercent: number;
    /**
     * Share of `llm.dailyBudgetUsd` spent in 24 hours that raises the spend alarm: below 1, operators
     * hear of it before the router starts refusing paid models.
     */
    readonly dailySpendAlarmRatio: number;
    /** How late, in seconds, a sent reminder may be. EventBridge Scheduler fires within a minute. */
    readonly reminderLatenessSeconds: number;
  };
}

/** Sizes shared by every environment; only prod's processor differs. */
const functionSizing = (processor: FunctionSizing): Record<FunctionName, FunctionSizing> => ({
  // Meta needs its 200 fast and API Gateway cuts the integration at 30 s (FACTS); 10 s covers a cold
  // start, a Secrets Manager read and the SQS retries.
  ingress: { memorySize: 512, timeoutSeconds: 10 },
  processor,
  reminder: { memorySize: 512, timeoutSeconds: 60 },
  redrive: { memorySize: 256, timeoutSeconds: 60 },
  // HNSW index builds can take minutes (FACTS, pgvector); 10 minutes stays under Lambda's 15-minute cap.
  migrate: { memorySize: 1024, timeoutSeconds: 600 },
});

/**
 * Alarm thresholds shared by every environment. A turn with tools takes two model calls of 1–4 s each
 * (Claude Sonnet, OpenAI mini models), hence the 8 s target; dev tolerates a cold VPC.
 */
const alarms = {
  processingDlqVisibleMessages: 0,
  queueAgeSeconds: 120,
  turnP95Ms: 8_000,
  errorRatePercent: 5,
  dailySpendAlarmRatio: 0.8,
  reminderLatenessSeconds: 120,
} as const;

const llm = {
  anthropicModel: 'claude-sonnet-4-5',
  openaiModel: 'gpt-5-mini',
  // Half Whisper's price per minute, and better on short, noisy voice notes.
  transcriptionModel: 'gpt-4o-mini-transcribe',
  // Well under the processor timeout, so a batch survives a slow provider and the fallback.
  timeoutMs: 25_000,
  maxTokens: 1024,
  embeddingModel: 'text-embedding-3-small',
  embeddingDimensions: 1536,
} as const;

// Common opt-out and opt-in words of SMS and WhatsApp programmes; never "cancel"/"cancelar" alone, which
// here means cancelling a reminder.
const keywords = {
  optOutKeywords: ['stopall', 'quit', 'end', 'desuscribir', 'darme de baja', 'cancelar suscripcion'],
  optInKeywords: ['unstop', 'reanudar', 'suscribir'],
} as const;

const configs: Readonly<Record<EnvironmentName, ChasquiConfig>> = {
  dev: {
    envName: 'dev',
    functions: functionSizing({ memorySize: 1024, timeoutSeconds: 120 }),
    processor: { maxConcurrency: 2 },
    logs: { retention: RetentionDays.TWO_WEEKS, level: 'DEBUG', removalPolicy: RemovalPolicy.DESTROY },
    whatsapp: { graphApiVersion: 'v23.0', templates: DEFAULT_MESSAGE_TEMPLATES },
    llm: { ...llm, dailyBudgetUsd: 5, userDailyBudgetUsd: 1 },
    consent: { ...keywords, operatorContact: 'soporte-dev@chasqui.example' },
    redrive: { maxRedrives: 3, maxMessagesPerSecond: 5 },
    api: { throttleRateLimit: 20, throttleBurstLimit: 40 },
    network: { nat: { kind: 'instance', instanceType: 't4g.nano', count: 1 } },
    database: {
      instanceType: 't4g.micro',
      multiAz: false,
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 50,
      backupRetentionDays: 1,
      deletionProtection: false,
      performanceInsights: false,
      removalPolicy: RemovalPolicy.DESTROY,
    },
    state: {
      pointInTimeRecovery: false,
      removalPolicy: RemovalPolicy.DESTROY,
      rawDeadLetterExpirationDays: 14,
    },
    alarms: { ...alarms, turnP95Ms: 15_000 },
  },
  staging: {
    envName: 'staging',
    functions: functionSizing({ memorySize: 1024, timeoutSeconds: 120 }),
    processor: { maxConcurrency: 5 },
    logs: { retention: RetentionDays.ONE_MONTH, level: 'INFO', removalPolicy: RemovalPolicy.DESTROY },
    whatsapp: { graphApiVersion: 'v23.0', templates: DEFAULT_MESSAGE_TEMPLATES },
    llm: { ...llm, dailyBudgetUsd: 20, userDailyBudgetUsd: 2 },
    consent: { ...keywords, operatorContact: 'soporte-staging@chasqui.example' },
    redrive: { maxRedrives: 3, maxMessagesPerSecond: 10 },
    api: { throttleRateLimit: 50, throttleBurstLimit: 100 },
    network: { nat: { kind: 'instance', instanceType: 't4g.nano', count: 1 } },
    database: {
      instanceType: 't4g.small',
      multiAz: false,
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 100,
      backupRetentionDays: 7,
      deletionProtection: false,
      performanceInsights: false,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    },
    state: {
      pointInTimeRecovery: false,
      removalPolicy: RemovalPolicy.DESTROY,
      rawDeadLetterExpirationDays: 30,
    },
    alarms,
  },
  prod: {
    envName: 'prod',
    // 1769 MB is where Lambda grants a full vCPU: prompt building and JSON work stop being throttled.
    functions: functionSizing({ memorySize: 1769, timeoutSeconds: 120 }),
    processor: { maxConcurrency: 50 },
    logs: { retention: RetentionDays.THREE_MONTHS, level: 'INFO', removalPolicy: RemovalPolicy.RETAIN },
    whatsapp: { graphApiVersion: 'v23.0', templates: DEFAULT_MESSAGE_TEMPLATES },
    llm: { ...llm, dailyBudgetUsd: 200, userDailyBudgetUsd: 2 },
    consent: { ...keywords, operatorContact: 'soporte@chasqui.example' },
    redrive: { maxRedrives: 3, maxMessagesPerSecond: 20 },
    // Meta sends up to 80 messages/s per number by default (FACTS), plus a status webhook or more for each.
    api: { throttleRateLimit: 500, throttleBurstLimit: 1000 },
    network: { nat: { kind: 'gateway', count: 2 } },
    database: {
      instanceType: 'm7g.large',
      multiAz: true,
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 500,
      backupRetentionDays: 30,
      deletionProtection: true,
      performanceInsights: true,
      removalPolicy: RemovalPolicy.RETAIN,
    },
    state: {
      pointInTimeRecovery: true,
      removalPolicy: RemovalPolicy.RETAIN,
      rawDeadLetterExpirationDays: 90,
    },
    alarms,
  },
};

const isEnvironmentName = (name: string): name is EnvironmentName =>
  (ENVIRONMENT_NAMES as readonly string[]).includes(name);

/** The configuration of one environment; an unknown name throws, listing the known ones. */
export const configFor = (name: string): ChasquiConfig => {
  if (!isEnvironmentName(name)) {
    throw new Error(`Unknown environment "${name}": use -c env=${ENVIRONMENT_NAMES.join('|')}`);
  }
  return configs[name];
};
