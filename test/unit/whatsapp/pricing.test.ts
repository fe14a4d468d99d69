import {
  MESSAGE_PRICES,
  type MessageRate,
  messageCostOf,
  messageRateOf,
} from '../../../layers/core/whatsapp/pricing';

const AUGUST_2025 = new Date('2025-08-15T12:00:00Z');

describe('WhatsApp message prices', () => {
  it.each([
    ['a reply inside the window', { type: 'free_customer_service', category: 'service' }],
    ['a template inside a free entry point window', { type: 'free_entry_point', category: 'marketing' }],
  ])('charges nothing for %s', (_case, pricing) => {
    expect(messageCostOf(pricing, 'CO', AUGUST_2025)).toEqual({ usd: 0, priced: true });
  });

  it('charges a regular template by its category and the recipient’s country', () => {
    expect(messageCostOf({ type: 'regular', category: 'utility' }, 'CO', AUGUST_2025)).toEqual({
      usd: 0.0008,
      priced: true,
    });
    expect(messageCostOf({ type: 'regular', category: 'marketing' }, 'PE', AUGUST_2025).usd).toBe(0.0703);
    expect(messageCostOf({ type: 'regular', category: 'authentication' }, 'US', AUGUST_2025).usd).toBe(
      0.0135,
    );
  });

  it('uses the row in force on the day: a newer row supersedes an older one from its effective date', () => {
    const utility = { type: 'regular', category: 'utility' };
    expect(messageCostOf(utility, 'AR', new Date('2025-09-30T23:59:59Z')).usd).toBe(0.0289);
    expect(messageCostOf(utility, 'AR', new Date('2025-10-01T00:00:00Z')).usd).toBe(0.026);
  });

  it('prices a country of a regional market at the region’s rate, and any other at Meta’s "Other" rate', () => {
    expect(messageCostOf({ type: 'regular', category: 'marketing' }, 'EC', AUGUST_2025).usd).toBe(0.074);
    expect(messageCostOf({ type: 'regular', category: 'marketing' }, 'JP', AUGUST_2025).usd).toBe(0.0604);
    expect(messageCostOf({ type: 'regular', category: 'utility' }, null, AUGUST_2025).usd).toBe(0.0077);
  });

  it('bills Marketing Messages Lite as marketing', () => {
    expect(messageCostOf({ type: 'regular', category: 'marketing_lite' }, 'BR', AUGUST_2025).usd).toBe(
      0.0625,
    );
  });

  it('reports what it cannot price instead of guessing', () => {
    expect(
      messageCostOf({ type: 'regular', category: 'authentication_international' }, 'IN', AUGUST_2025),
    ).toEqual({ usd: 0, priced: false });
    expect(messageCostOf({ type: 'regular' }, 'CO', AUGUST_2025)).toEqual({ usd: 0, priced: false });
    expect(messageRateOf('CO', new Date('2025-06-30T12:00:00Z'))).toBeUndefined();
  });

  it('keeps a well-formed table: ISO countries, one row per country and date, non-negative rates', () => {
    const keys = MESSAGE_PRICES.flatMap((row: MessageRate) =>
      (row.countries === '*' ? ['*'] : row.countries).map((country) => `${country}@${row.effectiveFrom}`),
    );
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of MESSAGE_PRICES) {
      if (row.countries !== '*') for (const country of row.countries) expect(country).toMatch(/^[A-Z]{2}$/);
      expect(row.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const usd of Object.values(row.usd)) expect(usd).toBeGreaterThanOrEqual(0);
    }
  });
});
