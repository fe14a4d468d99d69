import { SeededRandom } from '../../support/random';

/**
 * What goes wrong for one inbound message. Each fault fires at most once, the first time its trigger is
 * reached; the plan is data, drawn from a seed, so a run can be replayed exactly.
 */
export type MessageFault =
  /** The first `sends` attempts to send its reply answer HTTP 500 (the client retries up to 4 in a call). */
  | { readonly kind: 'graph_5xx'; readonly sends: number }
  /** The same with Meta's throughput limit, 130429 over HTTP 429. */
  | { readonly kind: 'graph_429'; readonly sends: number }
  /** Every read receipt for it fails: cosmetic, the reply must still go out. */
  | { readonly kind: 'mark_read_5xx' }
  /** Its first send times out; Meta did or did not get it. Either way nobody can tell. */
  | { readonly kind: 'graph_timeout'; readonly reachedMeta: boolean }
  /** On its first attempt, the connection drops at the n-th statement inside its transactions. */
  | { readonly kind: 'db_connection_lost'; readonly atStatement: number }
  /** The ingress cannot queue its first `deliveries` webhook deliveries: 503, and Meta delivers it again. */
  | { readonly kind: 'queue_send_failure'; readonly deliveries: number }
  /** The processor dies right after Meta accepted the reply, before the wamid is recorded. */
  | { readonly kind: 'crash_after_send' }
  /** Meta delivers the webhook `extra` more times within minutes. */
  | { readonly kind: 'duplicate_delivery'; readonly extra: number }
  /** The ingress queues it but cannot mark it done; Meta delivers it again after the claim's lease and the queue's 5-minute dedup. */
  | { readonly kind: 'late_redelivery' }
  /** Meta delivers it after the user's next message. */
  | { readonly kind: 'out_of_order' };

export type FaultKind = MessageFault['kind'] | 'llm_primary_down' | 'llm_all_down';

export type Effect = 'expense' | 'reminder' | 'none';

export interface PlannedUser {
  readonly waId: string;
  readonly name: string;
  readonly language: 'es' | 'en';
}

export interface PlannedMessage {
  readonly wamid: string;
  readonly user: PlannedUser;
  /** Its place in what the user typed, from 0. */
  readonly position: number;
  readonly text: string;
  /** The one row its tool call must leave, exactly once. */
  readonly effect: Effect;
  readonly faults: readonly MessageFault[];
}

export interface Delivery {
  readonly tick: number;
  readonly message: PlannedMessage;
  readonly kind: 'first' | 'duplicate' | 'late';
}

/** Ticks during which paid LLM providers answer 5xx/529. */
export interface LlmOutage {
  readonly fromTick: number;
  readonly toTick: number;
  readonly providers: readonly ('anthropic' | 'openai')[];
  readonly kind: 'llm_primary_down' | 'llm_all_down';
}

export interface Scenario {
  readonly seed: number;
  readonly users: readonly PlannedUser[];
  readonly messages: readonly PlannedMessage[];
  /** Oldest first; equal ticks in list order. */
  readonly deliveries: readonly Delivery[];
  readonly outages: readonly LlmOutage[];
}

export interface ScenarioOptions {
  readonly seed: number;
  readonly users: number;
  readonly messagesPerUser: number;
  /** Share of messages that get at least one fault of their own (LLM outages come on top). */
  readonly faultRate: number;
}

const TASKS = {
  es: ['llamar a Juan', 'pagar la luz', 'regar las plantas', 'comprar pan', 'revisar el correo'],
  en: ['call John', 'pay the rent', 'water the plants', 'buy bread', 'check the mail'],
};

/** Phrases the offline planner understands, each with the row it must leave. */
const phrase = (random: SeededRandom, language: 'es' | 'en'): { text: string; effect: Effect } => {
  const kind = random.weighted<'expense' | 'reminder' | 'question' | 'chat'>([
    ['expense', 4],
    ['reminder', 3],
    ['question', 2],
    ['chat', 1],
  ]);
  const task = random.pick(TASKS[language]);
  const amount = random.int(2, 90);
  switch (kind) {
    case 'expense':
      return language === 'es'
        ? {
            text: `gasté ${amount}.000 en ${random.pick(['almuerzo', 'taxi', 'mercado'])}`,
            effect: 'expense',
          }
        : {
            text: `I spent $${amount}.50 on ${random.pick(['coffee', 'lunch', 'a taxi'])}`,
            effect: 'expense',
          };
    case 'reminder':
      return language === 'es'
        ? { text: `recuérdame mañana a las ${random.int(7, 11)} ${task}`, effect: 'reminder' }
        : { text: `remind me in ${random.int(2, 9)} hours to ${task}`, effect: 'reminder' };
    case 'question':
      return {
        text: random.pick(
          language === 'es'
            ? ['¿cuánto gasté esta semana?', '¿qué recordatorios tengo?']
            : ['how much did I spend this week?', 'what are my reminders?'],
        ),
        effect: 'none',
      };
    case 'chat':
      return {
        text: random.pick(language === 'es' ? ['hola', 'gracias'] : ['hi', 'thanks']),
        effect: 'none',
      };
  }
};

const OWN_FAULTS: readonly (readonly [(random: SeededRandom) => MessageFault, number])[] = [
  [(random) => ({ kind: 'graph_5xx', sends: random.pick([1, 2, 3, 5, 6]) }), 3],
  [(random) => ({ kind: 'graph_429', sends: random.pick([1, 2, 5]) }), 2],
  [() => ({ kind: 'mark_read_5xx' }), 1],
  [(random) => ({ kind: 'graph_timeout', reachedMeta: random.chance(0.5) }), 1.5],
  [(random) => ({ kind: 'db_connection_lost', atStatement: random.int(1, 14) }), 3],
  [(random) => ({ kind: 'queue_send_failure', deliveries: random.int(1, 2) }), 2],
  [() => ({ kind: 'crash_after_send' }), 1],
  [(random) => ({ kind: 'duplicate_delivery', extra: random.int(1, 3) }), 2],
  [() => ({ kind: 'late_redelivery' }), 1],
  [() => ({ kind: 'out_of_order' }), 1.5],
];

const faultsFor = (random: SeededRandom, rate: number): MessageFault[] => {
  if (!random.chance(rate)) return [];
  const first = random.weighted(OWN_FAULTS)(random);
  if (!random.chance(0.15)) return [first];
  const second = random.weighted(OWN_FAULTS)(random);
  return second.kind === first.kind ? [first] : [first, second];
};

/** Ticks between a user's messages; the late redelivery waits out the claim lease and the queue's dedup. */
const FIRST_TICK_SPREAD = 8;
const GAP_TICKS = { min: 2, max: 5 };
const DUPLICATE_DELAY_TICKS = { min: 0, max: 3 };
export const LATE_REDELIVERY_TICKS = 36;

export const planScenario = (options: ScenarioOptions): Scenario => {
  const random = new SeededRandom(options.seed);
  const users: PlannedUser[] = Array.from({ length: options.users }, (_, index) => {
    const colombian = index % 2 === 0;
    const number = String(index).padStart(4, '0');
    return {
      waId: colombian ? `5731000${number}` : `1650555${number}`,
      name: `${colombian ? 'Usuaria' : 'User'} ${number}`,
      language: colombian ? 'es' : 'en',
    };
  });
  const messages: PlannedMessage[] = [];
  const deliveries: Delivery[] = [];
  for (const [userIndex, user] of users.entries()) {
    const start = random.int(0, FIRST_TICK_SPREAD);
    const gap = random.int(GAP_TICKS.min, GAP_TICKS.max);
    const own: { message: PlannedMessage; tick: number }[] = [];
    for (let position = 0; position < options.messagesPerUser; position++) {
      const { text, effect } = phrase(random, user.language);
      const message: PlannedMessage = {
        wamid: `wamid.FAULT${String(userIndex).padStart(3, '0')}${String(position).padStart(3, '0')}`,
        user,
        position,
        text,
        effect,
        faults: faultsFor(random, options.faultRate),
      };
      messages.push(message);
      own.push({ message, tick: start + position * gap });
    }
    // Out of order: the message swaps its delivery with the user's next one.
    for (let position = 0; position + 1 < own.length; position++) {
      const current = own[position]!;
      if (!current.message.faults.some((fault) => fault.kind === 'out_of_order')) continue;
      const next = own[position + 1]!;
      [current.tick, next.tick] = [next.tick, current.tick];
      [own[position], own[position + 1]] = [next, current];
      position++;
    }
    for (const { message, tick } of own) {
      deliveries.push({ tick, message, kind: 'first' });
      for (const fault of message.faults) {
        if (fault.kind === 'duplicate_delivery') {
          for (let copy = 0; copy < fault.extra; copy++) {
            const delay = random.int(DUPLICATE_DELAY_TICKS.min, DUPLICATE_DELAY_TICKS.max);
            deliveries.push({ tick: tick + delay, message, kind: 'duplicate' });
          }
        }
        if (fault.kind === 'late_redelivery') {
          deliveries.push({ tick: tick + LATE_REDELIVERY_TICKS, message, kind: 'late' });
        }
      }
    }
  }
  // Stable: equal ticks keep the order each user typed (or swapped) them.
  deliveries.sort((a, b) => a.tick - b.tick);
  const lastTick = deliveries.at(-1)?.tick ?? 0;
  const outages: LlmOutage[] = [
    {
      fromTick: Math.round(lastTick * 0.2),
      toTick: Math.round(lastTick * 0.2) + 5,
      providers: ['anthropic'],
      kind: 'llm_primary_down',
    },
    {
      fromTick: Math.round(lastTick * 0.5),
      toTick: Math.round(lastTick * 0.5) + 4,
      providers: ['anthropic', 'openai'],
      kind: 'llm_all_down',
    },
  ];
  return { seed: options.seed, users, messages, deliveries, outages };
};
