import type { Logger } from '@aws-lambda-powertools/logger';
import type { TurnConfig, TurnModel } from '../assistant/turn';
import type { Database } from '../db/database';
import type { MessageTemplates } from '../outbound/templates';
import type { Clock } from '../ports/clock';
import type { Embedder } from '../ports/embedder';
import type { MetricsPort } from '../ports/metrics';
import type { ConsentKeywords } from '../privacy/commands';
import type { ReminderScheduler } from '../ports/scheduler';
import type { ToolPorts } from '../tools/registry';
import type { GraphApi } from '../whatsapp/graph/client';
import type { IdentityCache } from './identity';
import type { MediaDeps } from './media';

export interface ProcessorConfig {
  turn: TurnConfig;
  /** For users whose number tells nothing (a fictional range, an unsupported country). */
  defaults: { locale: 'es' | 'en'; timeZone: string; currency: string };
  budgets: { dailyUsd: number; userDailyUsd: number };
  /** Words that opt a user out of, or back into, proactive messages, beyond the mandatory ones. */
  consent: ConsentKeywords;
  /** How a person from the team reaches a user who asks for one: an e-mail, a number, a link. */
  operatorContact: string;
  /** What is sent outside the 24 h window. */
  templates: MessageTemplates;
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
  /** Voice notes and photos: what can understand them, if anything. */
  media: MediaDeps;
  /** Tenant and user ids of recent events; one per Lambda instance. */
  identities: IdentityCache;
}

/** What the processor's tool calls use, wherever it makes them: a turn, a command, a tapped button. */
export const toolPortsOf = (deps: ProcessorDeps): ToolPorts => ({
  scheduler: deps.scheduler,
  operatorContact: deps.config.operatorContact,
  embedder: deps.embedder,
  metrics: deps.metrics,
});
