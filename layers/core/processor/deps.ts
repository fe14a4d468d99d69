import type { Logger } from '@aws-lambda-powertools/logger';
import type { TurnConfig, TurnModel } from '../assistant/turn';
import type { Database } from '../db/database';
import type { Clock } from '../ports/clock';
import type { Embedder } from '../ports/embedder';
import type { MetricsPort } from '../ports/metrics';
import type { ReminderScheduler } from '../ports/scheduler';
import type { GraphApi } from '../whatsapp/graph/client';
import type { IdentityCache } from './identity';

export interface ProcessorConfig {
  turn: TurnConfig;
  /** For users whose number tells nothing (a fictional range, an unsupported country). */
  defaults: { locale: 'es' | 'en'; timeZone: string; currency: string };
  budgets: { dailyUsd: number; userDailyUsd: number };
}

export interface ProcessorDeps {
  db: Database;
  graph: GraphApi;
  model: TurnModel;
  scheduler: ReminderScheduler;
  /** Long-term memory's vectors: OpenAI's when a key is configured, the offline lexical embedder otherwise. */
  embedder: Embedder;
  logger: Logger;
  metrics: MetricsPort;
  clock: Clock;
  config: ProcessorConfig;
  /** Tenant and user ids of recent events; one per Lambda instance. */
  identities: IdentityCache;
}
