import { AsyncLocalStorage } from 'node:async_hooks';
import type { FaultKind, MessageFault, PlannedMessage, Scenario } from './plan';

/** Thrown by everything once the simulated process has died, until its invocation is over. */
export class ProcessCrashed extends Error {
  constructor() {
    super('simulated crash: the processor died');
  }
}

interface MessageState {
  attempts: number;
  statementsThisAttempt: number;
  sendAttempts: number;
  queueFailures: number;
  fired: Set<FaultKind>;
}

/**
 * Decides, from the plan, which fault strikes now, and counts what it injected. The driver runs one batch
 * at a time, and the processor runs the batch's users at once, so "the message being processed" belongs to
 * each record's own async flow: from the moment the processor resolves its user, that flow carries it.
 */
export class FaultInjector {
  private readonly byWamid = new Map<string, PlannedMessage>();
  private readonly states = new Map<string, MessageState>();
  private readonly inFlight = new Map<string, PlannedMessage>();
  private readonly running = new AsyncLocalStorage<PlannedMessage>();
  private tick = 0;
  crashed = false;

  constructor(private readonly scenario: Scenario) {
    for (const message of scenario.messages) this.byWamid.set(message.wamid, message);
  }

  planned(wamid: string): PlannedMessage | undefined {
    return this.byWamid.get(wamid);
  }

  setTick(tick: number): void {
    this.tick = tick;
  }

  /** The records of the batch about to run, one per user at most (FIFO groups). */
  startBatch(wamidsByUser: ReadonlyMap<string, string | undefined>): void {
    this.inFlight.clear();
    for (const [user, wamid] of wamidsByUser) {
      const message = wamid === undefined ? undefined : this.byWamid.get(wamid);
      if (message) this.inFlight.set(user, message);
    }
  }

  /** The processor resolved `userKey`: the rest of this flow works on that user's record. */
  recordStarted(userKey: string): void {
    const message = this.inFlight.get(userKey);
    if (!message) return;
    this.running.enterWith(message);
    const state = this.stateOf(message);
    state.attempts += 1;
    state.statementsThisAttempt = 0;
  }

  batchFinished(): void {
    this.inFlight.clear();
  }

  private get current(): PlannedMessage | undefined {
    return this.running.getStore();
  }

  crash(): void {
    this.crashed = true;
  }

  /** Before every statement inside a transaction: the planned connection loss, or the crash. */
  beforeStatement(): 'lose_connection' | undefined {
    if (this.crashed) throw new ProcessCrashed();
    const message = this.current;
    if (!message) return undefined;
    const state = this.stateOf(message);
    state.statementsThisAttempt += 1;
    const fault = this.unfired(message, 'db_connection_lost');
    if (fault?.kind === 'db_connection_lost' && state.attempts === 1) {
      if (state.statementsThisAttempt === fault.atStatement) {
        this.fire(message, fault.kind);
        return 'lose_connection';
      }
    }
    return undefined;
  }

  /** Before each call that sends a reply to `wamid`: whether this call times out or crashes. */
  beforeSendCall(
    wamid: string | undefined,
  ): 'timeout_unsent' | 'timeout_after_meta' | 'crash_after_meta' | undefined {
    if (this.crashed) throw new ProcessCrashed();
    const message = wamid === undefined ? undefined : this.byWamid.get(wamid);
    if (!message) return undefined;
    const timeout = this.unfired(message, 'graph_timeout');
    if (timeout?.kind === 'graph_timeout') {
      this.fire(message, timeout.kind);
      return timeout.reachedMeta ? 'timeout_after_meta' : 'timeout_unsent';
    }
    if (this.unfired(message, 'crash_after_send')) {
      this.fire(message, 'crash_after_send');
      return 'crash_after_meta';
    }
    return undefined;
  }

  /** Before each HTTP request that sends a reply to `wamid` (the client's own retries included). */
  beforeSendRequest(wamid: string | undefined): 'http_500' | 'http_429' | undefined {
    if (this.crashed) throw new ProcessCrashed();
    const message = wamid === undefined ? undefined : this.byWamid.get(wamid);
    if (!message) return undefined;
    const state = this.stateOf(message);
    state.sendAttempts += 1;
    for (const fault of message.faults) {
      if (fault.kind === 'graph_5xx' && state.sendAttempts <= fault.sends) {
        this.fire(message, fault.kind);
        return 'http_500';
      }
      if (fault.kind === 'graph_429' && state.sendAttempts <= fault.sends) {
        this.fire(message, fault.kind);
        return 'http_429';
      }
    }
    return undefined;
  }

  /** Before a read receipt for `wamid`. */
  readReceiptFails(wamid: string): boolean {
    const message = this.byWamid.get(wamid);
    if (!message?.faults.some((fault) => fault.kind === 'mark_read_5xx')) return false;
    this.stateOf(message).fired.add('mark_read_5xx');
    return true;
  }

  /** Whether the ingress's queue refuses this delivery of `wamid`. */
  queueRefuses(wamid: string): boolean {
    const message = this.byWamid.get(wamid);
    const fault = message?.faults.find((candidate) => candidate.kind === 'queue_send_failure');
    if (!message || fault?.kind !== 'queue_send_failure') return false;
    const state = this.stateOf(message);
    if (state.queueFailures >= fault.deliveries) return false;
    state.queueFailures += 1;
    this.fire(message, fault.kind);
    return true;
  }

  /** Whether marking `wamid` done in the dedup store fails (once). */
  dedupCompleteFails(wamid: string): boolean {
    const message = this.byWamid.get(wamid);
    if (!message || !this.unfired(message, 'late_redelivery')) return false;
    this.fire(message, 'late_redelivery');
    return true;
  }

  /** Delivery faults are counted when the plan delivers them. */
  delivered(message: PlannedMessage, kind: 'duplicate' | 'first' | 'late', outOfOrder: boolean): void {
    if (kind === 'duplicate') this.stateOf(message).fired.add('duplicate_delivery');
    if (outOfOrder) this.stateOf(message).fired.add('out_of_order');
  }

  /** Whether `provider` is down now; a call that finds it down counts against the running message. */
  providerDown(provider: string): boolean {
    const outage = this.outageNow(provider);
    if (outage && this.current) this.stateOf(this.current).fired.add(outage.kind);
    return outage !== undefined;
  }

  /**
   * A fallback (OpenAI, or the offline planner) answered: during an outage the message was hit by it even
   * when the provider that is down was not called (an open breaker skips it).
   */
  fallbackAnswered(): void {
    const outage = this.outageNow('anthropic');
    if (outage && this.current) this.stateOf(this.current).fired.add(outage.kind);
  }

  private outageNow(provider: string) {
    return this.scenario.outages.find(
      (candidate) =>
        this.tick >= candidate.fromTick &&
        this.tick < candidate.toTick &&
        candidate.providers.some((name) => name === provider),
    );
  }

  /** Faults that actually struck each message. */
  firedFaults(): Map<string, ReadonlySet<FaultKind>> {
    return new Map([...this.states].map(([wamid, state]) => [wamid, state.fired]));
  }

  attemptsOf(wamid: string): number {
    return this.states.get(wamid)?.attempts ?? 0;
  }

  private stateOf(message: PlannedMessage): MessageState {
    let state = this.states.get(message.wamid);
    if (!state) {
      state = { attempts: 0, statementsThisAttempt: 0, sendAttempts: 0, queueFailures: 0, fired: new Set() };
      this.states.set(message.wamid, state);
    }
    return state;
  }

  private unfired(message: PlannedMessage, kind: MessageFault['kind']): MessageFault | undefined {
    if (this.stateOf(message).fired.has(kind)) return undefined;
    return message.faults.find((fault) => fault.kind === kind);
  }

  private fire<K extends FaultKind>(message: PlannedMessage, kind: K): K {
    this.stateOf(message).fired.add(kind);
    return kind;
  }
}
