import { DateTime } from 'luxon';
import * as z from 'zod/mini';
import { type UsageTotals, usageSince } from '../db/repositories';
import { defineTool } from './tool';

const round = (usd: number): number => Math.round(usd * 1e6) / 1e6;

const view = (usage: UsageTotals) => ({
  messages: usage.messages,
  model_calls: usage.llmCalls,
  tokens_in: usage.inputTokens,
  tokens_out: usage.outputTokens,
  tokens_cached: usage.cachedTokens,
  llm_usd: round(usage.llmCostUsd),
  whatsapp_usd: round(usage.whatsappCostUsd),
  total_usd: round(usage.llmCostUsd + usage.whatsappCostUsd),
});

/**
 * What the user's own use of the assistant costs: today and this month in their time zone, and the month
 * projected from its days so far. Costs are in USD, as providers and Meta bill them.
 */
export const getMyUsageTool = defineTool({
  name: 'get_my_usage',
  description:
    'The user’s own use of this assistant and what it costs in USD: messages, model tokens and cost today and ' +
    'this month, with a projection for the month. Use it when they ask what they have spent on or cost the ' +
    'assistant; their own expenses are sum_expenses.',
  input: z.object({}),
  async execute(context) {
    const now = DateTime.fromJSDate(context.now, { zone: context.user.timeZone });
    const today = await usageSince(context.tx, now.startOf('day').toJSDate());
    const month = await usageSince(context.tx, now.startOf('month').toJSDate());
    const monthTotal = month.llmCostUsd + month.whatsappCostUsd;
    // Whole days so far, today included: a projection from a few hours of one day would swing wildly.
    const projected = (monthTotal / now.day) * now.daysInMonth!;
    return {
      today: view(today),
      month: view(month),
      projected_month_usd: round(projected),
      day_of_month: now.day,
      days_in_month: now.daysInMonth!,
    };
  },
});

export const usageTools = [getMyUsageTool];
