import type { Clock } from '../../layers/core/ports/clock';
import { signBody } from '../../layers/core/whatsapp/signature';
import { metaJson } from './meta-json';

export type StatusName = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusStep {
  status: StatusName;
  /** Wait before this status, counted from the previous one. */
  delayMs: number;
  errors?: readonly object[];
  pricing?: { type: string; category: string; pricing_model: string };
}

export interface StatusPlan {
  wamid: string;
  phoneNumberId: string;
  recipient: { waId?: string | undefined; bsuid?: string | undefined };
  steps: readonly StatusStep[];
  /** Called after each status has been delivered. */
  onDelivered: (status: StatusName) => void;
}

export type DeliverWebhook = (body: Buffer, signature: string) => Promise<void>;

/** Meta retries failed deliveries for days; locally a few quick attempts show the same intent. */
const DELIVERY_ATTEMPTS = 3;
const DELIVERY_RETRY_MS = 50;

/** Posts a signed body to a webhook URL, as Meta does. */
export const postTo =
  (url: string): DeliverWebhook =>
  async (body, signature) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body: new Uint8Array(body),
    });
    if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
  };

/**
 * Emits the status webhooks of each accepted message, one after another, with Meta's envelope
 * and signature. `close()` drops statuses not yet due and awaits those being delivered.
 */
export class StatusWebhooks {
  private readonly chains = new Set<Promise<void>>();
  private readonly waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private closing = false;
  readonly failures: string[] = [];

  constructor(
    private readonly options: {
      appSecret: string;
      deliver: DeliverWebhook;
      clock: Clock;
      businessAccountId: string;
      displayPhoneNumber: string;
    },
  ) {}

  schedule(plan: StatusPlan): void {
    const chain: Promise<void> = this.run(plan).finally(() => this.chains.delete(chain));
    this.chains.add(chain);
  }

  /** Resolves once every scheduled status has been delivered (or has failed for good). */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains]);
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const wait of this.waits) {
      clearTimeout(wait.timer);
      wait.resolve();
    }
    await this.settled();
  }

  private async run(plan: StatusPlan): Promise<void> {
    for (const step of plan.steps) {
      await this.wait(step.delayMs);
      if (this.closing) return;
      const body = metaJson(this.envelope(plan, step));
      if (await this.deliver(body)) plan.onDelivered(step.status);
    }
  }

  private async deliver(body: Buffer): Promise<boolean> {
    const signature = signBody(body, this.options.appSecret);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.deliver(body, signature);
        return true;
      } catch (error) {
        if (attempt >= DELIVERY_ATTEMPTS || this.closing) {
          this.failures.push(error instanceof Error ? error.message : String(error));
          return false;
        }
        await this.wait(DELIVERY_RETRY_MS * attempt);
      }
    }
  }

  private wait(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.waits.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.waits.add(entry);
    });
  }

  private envelope(plan: StatusPlan, step: StatusStep) {
    const { waId, bsuid } = plan.recipient;
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: this.options.businessAccountId,
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: this.options.displayPhoneNumber,
                  phone_number_id: plan.phoneNumberId,
                },
                statuses: [
                  {
                    id: plan.wamid,
                    status: step.status,
                    timestamp: String(Math.floor(this.options.clock.now().getTime() / 1000)),
                    ...(waId && { recipient_id: waId }),
                    ...(bsuid && { recipient_user_id: bsuid }),
                    ...(step.pricing && { pricing: step.pricing }),
                    ...(step.errors && { errors: step.errors }),
                  },
                ],
              },
              field: 'messages',
            },
          ],
        },
      ],
    };
  }
}
