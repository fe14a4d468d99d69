/**
 * Every metric the code emits, named once. Dashboards and alarms in `lib/` import these
 * names, so a widget can never point at a metric nobody writes.
 */
export const MetricNames = {
  webhookAckLatency: 'WebhookAckLatency',
  webhookEventsAccepted: 'WebhookEventsAccepted',
  webhookDuplicatesDropped: 'WebhookDuplicatesDropped',
  webhookRequestsRejected: 'WebhookRequestsRejected',
  /** One data point per provider call (dimensions: provider, model, outcome). */
  llmCallLatency: 'LlmCallLatency',
  /** Failed provider calls (dimensions: provider, model, reason). */
  llmCallErrors: 'LlmCallErrors',
  /**
   * Tokens of answered paid calls: chat, embeddings and transcription (dimensions: provider, model,
   * kind = input | output | cache_read | cache_write).
   */
  llmTokens: 'LlmTokens',
  /** Estimated spend of answered paid calls (chat, embeddings, transcription), in USD (dimensions: provider, model). */
  llmCostUsd: 'LlmCostUsd',
  /** Turns answered by the last-resort model (dimension: reason). */
  llmFallbackAnswers: 'LlmFallbackAnswers',
  /** Circuit-breaker state changes written by this instance (dimensions: provider, state). */
  llmBreakerTransitions: 'LlmBreakerTransitions',
  /** Breaker-store reads or writes that failed or timed out; the breaker then ran on local state. */
  llmBreakerStoreErrors: 'LlmBreakerStoreErrors',
  /** Queue records handled (dimensions: kind = message | status | account, outcome = ok | dead_letter | retry). */
  processorEvents: 'ProcessorEvents',
  /** From the ingress queueing a record (SQS `SentTimestamp`) to the processor starting on it. */
  queueMessageAge: 'QueueMessageAge',
  /** End-to-end time of one answered message, from Meta's timestamp to the reply sent. */
  turnLatency: 'TurnLatency',
  /** A user's first message of the UTC day: the daily sum is the day's active users. */
  activeUsers: 'ActiveUsers',
  /** Tool calls run for a message (dimensions: tool, status = ok | error | invalid); replays are not counted. */
  toolCalls: 'ToolCalls',
  /** Outbound WhatsApp messages accepted by the Graph API (dimension: kind = text | interactive | template | reaction | media). */
  whatsappMessagesSent: 'WhatsAppMessagesSent',
  /**
   * Meta's charge for outbound messages, in USD, recorded when a status first carries pricing
   * (dimension: category = marketing | utility | authentication | service | …).
   */
  whatsappMessageCostUsd: 'WhatsAppMessageCostUsd',
  /**
   * Voice notes and photos the assistant tried to understand (dimensions: kind = voice | image,
   * outcome = understood | media_needs_model_key | transcription_failed | … the code recorded on the message).
   */
  mediaMessages: 'MediaMessages',
  /** Delivery statuses handled (dimension: outcome = applied | stale | ignored | unknown_message). */
  statusUpdates: 'StatusUpdates',
  /**
   * Commands answered without a model (dimension: command = opt_out | opt_in | erase | erased |
   * erase_cancelled | erase_expired | handoff).
   */
  privacyCommands: 'PrivacyCommands',
  /** Redelivered messages whose reply had already been sent. */
  processorDuplicatesSkipped: 'ProcessorDuplicatesSkipped',
  /** Records kept in dead_letters instead of retried (dimension: source). */
  deadLetters: 'DeadLetters',
  /**
   * Reminder invocations (dimension: outcome = sent | duplicate | stale | finished | not_found | opted_out |
   * quiet_hours | dead_letter | invalid_input | retry).
   */
  remindersFired: 'RemindersFired',
  /** From a reminder's due time to its send, or to giving up on it (dimension: outcome). */
  reminderLateness: 'ReminderLateness',
  /**
   * Memories the re-embedding job handled after a reply (dimension: outcome = embedded |
   * embedder_unavailable); a run of `embedder_unavailable` means memory search is on keywords alone.
   */
  memoriesEmbedded: 'MemoriesEmbedded',
  /** DLQ messages parked for a human after their last redrive; any data point deserves an alarm. */
  redriveParked: 'RedriveParked',
  /** DLQ messages a started move task sends back to the queue (dimension: trigger = schedule | manual). */
  redriveMessages: 'RedriveMessages',
  /** Redrive runs that left the DLQ alone (dimensions: trigger, reason). */
  redriveHeld: 'RedriveHeld',
} as const;

export type MetricName = (typeof MetricNames)[keyof typeof MetricNames];
