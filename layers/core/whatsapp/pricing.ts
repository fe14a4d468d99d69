/** Meta's pricing categories, as status webhooks spell them. */
export type PricingCategory = 'marketing' | 'utility' | 'authentication' | 'service';

export interface MessageRate {
  /** ISO 3166-1 alpha-2 codes of the market's countries; `*` is Meta's "Other" market. */
  readonly countries: readonly string[] | '*';
  /** ISO date (UTC) from which this row applies; a later row for the same country supersedes it. */
  readonly effectiveFrom: string;
  readonly usd: Readonly<Record<PricingCategory, number>>;
}

const PER_MESSAGE_PRICING = '2025-07-01';

const rate = (
  countries: readonly string[] | '*',
  effectiveFrom: string,
  [marketing, utility, authentication]: readonly [number, number, number],
): MessageRate => ({
  countries,
  effectiveFrom,
  // Service messages (free-form replies inside the window) were free when these rates were set.
  usd: { marketing, utility, authentication, service: 0 },
});

/** Meta's "Rest of Latin America" market. */
const REST_OF_LATIN_AMERICA = ['BO', 'CR', 'DO', 'EC', 'GT', 'HN', 'NI', 'PA', 'PY', 'SV', 'UY', 'VE'];

/**
 * What Meta charges per delivered message. Since 2025-07-01 Meta prices each message by its
 * pricing category (marketing, utility, authentication, service) and the recipient's country
 * (its calling code), and each status webhook says how it priced the message:
 * `pricing{type, category}`. A `free_…` type (`free_customer_service`, `free_entry_point`) costs
 * nothing; `regular` costs the rate of its category in the recipient's market.
 *
 * Rates: Meta's rate card in USD as published for 2025-07-01 (developers.facebook.com, WhatsApp
 * "Pricing", rate card CSV), cross-checked with resellers' copies of it. Meta changes rates only at
 * the start of a quarter. Change a rate by adding a row with a new `effectiveFrom`, never by
 * editing one: costs already stored were computed with the old row. Known later changes whose
 * amounts are not in this table yet (check the rate card before relying on these markets): Colombia
 * utility and authentication (2025-10-01), Mexico marketing (2025-10-01), North America utility and
 * authentication (2026-01-01); from 2026-10-01 resellers report service messages becoming chargeable.
 * Volume tiers for utility and authentication are not modelled: these are the base tier's rates.
 */
export const MESSAGE_PRICES: readonly MessageRate[] = [
  rate(['AR'], PER_MESSAGE_PRICING, [0.0618, 0.0289, 0.0289]),
  rate(['AR'], '2025-10-01', [0.0618, 0.026, 0.026]),
  rate(['BR'], PER_MESSAGE_PRICING, [0.0625, 0.0068, 0.0068]),
  rate(['CL'], PER_MESSAGE_PRICING, [0.0889, 0.02, 0.02]),
  rate(['CO'], PER_MESSAGE_PRICING, [0.0125, 0.0008, 0.0008]),
  rate(['MX'], PER_MESSAGE_PRICING, [0.0305, 0.0085, 0.0085]),
  rate(['PE'], PER_MESSAGE_PRICING, [0.0703, 0.02, 0.02]),
  rate(['ES'], PER_MESSAGE_PRICING, [0.0615, 0.02, 0.02]),
  rate(['IN'], PER_MESSAGE_PRICING, [0.0107, 0.0014, 0.0014]),
  rate(['US', 'CA'], PER_MESSAGE_PRICING, [0.025, 0.004, 0.0135]),
  rate(REST_OF_LATIN_AMERICA, PER_MESSAGE_PRICING, [0.074, 0.0113, 0.0113]),
  rate('*', PER_MESSAGE_PRICING, [0.0604, 0.0077, 0.0077]),
];

/** Categories billed at another category's rate: Marketing Messages Lite is billed as marketing. */
const BILLED_AS: Readonly<Record<string, PricingCategory>> = {
  marketing: 'marketing',
  marketing_lite: 'marketing',
  utility: 'utility',
  authentication: 'authentication',
  service: 'service',
};

export interface MessagePricing {
  readonly type?: string | undefined;
  readonly category?: string | undefined;
}

export interface MessageCost {
  readonly usd: number;
  /** False when the table has no rate for it: nothing is stored, and the caller logs the category. */
  readonly priced: boolean;
}

const inForce = (row: MessageRate, at: Date) => Date.parse(`${row.effectiveFrom}T00:00:00Z`) <= at.getTime();

const latest = (rows: readonly MessageRate[]): MessageRate | undefined =>
  rows.reduce<MessageRate | undefined>(
    (best, row) => (best === undefined || row.effectiveFrom > best.effectiveFrom ? row : best),
    undefined,
  );

/** The row in force at `at` for a recipient in `country` (else Meta's "Other" market). */
export const messageRateOf = (
  country: string | null,
  at: Date,
  table: readonly MessageRate[] = MESSAGE_PRICES,
): MessageRate | undefined => {
  const current = table.filter((row) => inForce(row, at));
  const own = country
    ? current.filter((row) => row.countries !== '*' && row.countries.includes(country))
    : [];
  return latest(own) ?? latest(current.filter((row) => row.countries === '*'));
};

/** The cost of one message as Meta priced it in its status webhook, for a recipient in `country`. */
export const messageCostOf = (
  pricing: MessagePricing,
  country: string | null,
  at: Date,
  table: readonly MessageRate[] = MESSAGE_PRICES,
): MessageCost => {
  if (pricing.type?.startsWith('free_')) return { usd: 0, priced: true };
  const category = pricing.category === undefined ? undefined : BILLED_AS[pricing.category];
  const row = messageRateOf(country, at, table);
  if (!category || !row) return { usd: 0, priced: false };
  return { usd: row.usd[category], priced: true };
};
