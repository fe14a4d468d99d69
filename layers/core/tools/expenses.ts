import * as z from 'zod/mini';
import { EXPENSE_CATEGORIES } from '../assistant/offline/types';
import { addExpense, deleteExpense, type Expense, listExpenses, summarizeExpenses } from '../db/repositories';
import { endOfLocalDay, instantOf, localDate, localDateOf, startOfLocalDay } from './time';
import { defineTool, type ToolContext, ToolRefusal } from './tool';

const currency = z.string().check(z.regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as COP or USD'));

export const expenseView = (expense: Expense, timeZone: string) => ({
  id: expense.id,
  amount: expense.amount,
  currency: expense.currency,
  category: expense.category,
  description: expense.description,
  date: localDateOf(expense.occurredAt, timeZone),
});

/** A day-inclusive local date range as the half-open instant range the database uses. */
const rangeOf = (context: ToolContext, from: string, to: string): { from: Date; to: Date } => {
  const start = startOfLocalDay(from, context.user.timeZone);
  const end = endOfLocalDay(to, context.user.timeZone);
  if (!start || !end || end <= start)
    throw new ToolRefusal('invalid_range', `${from}..${to} is not a valid range`);
  return { from: start, to: end };
};

export const addExpenseTool = defineTool({
  name: 'add_expense',
  description:
    'Record money the user spent. currency defaults to the user’s currency; date (local, yyyy-MM-dd) to today.',
  input: z.object({
    amount: z.number().check(z.positive(), z.maximum(1e12)),
    currency: z.optional(currency),
    category: z.enum(EXPENSE_CATEGORIES),
    description: z.optional(z.string().check(z.trim(), z.maxLength(200))),
    date: z.optional(localDate),
  }),
  async execute(context, input) {
    const today = localDateOf(context.now, context.user.timeZone);
    // An expense dated today keeps its real time; a past day is recorded at its noon, safely inside it.
    const occurredAt =
      !input.date || input.date === today
        ? context.now
        : instantOf(`${input.date}T12:00`, context.user.timeZone);
    if (!occurredAt) throw new ToolRefusal('invalid_date', `${input.date} is not a valid date`);
    if (occurredAt > context.now) throw new ToolRefusal('future_date', 'An expense cannot be in the future');
    const expense = await addExpense(context.tx, {
      amount: input.amount,
      currency: (input.currency ?? context.user.currency).toUpperCase(),
      category: input.category,
      ...(input.description && { description: input.description }),
      occurredAt,
      sourceWamid: context.messageWamid,
    });
    return { expense: expenseView(expense, context.user.timeZone) };
  },
});

const periodInput = z.object({
  from: localDate,
  to: localDate,
  category: z.optional(z.enum(EXPENSE_CATEGORIES)),
});

export const listExpensesTool = defineTool({
  name: 'list_expenses',
  description: 'List expenses between two local dates (both included), newest first.',
  input: periodInput,
  async execute(context, input) {
    const expenses = await listExpenses(context.tx, {
      ...rangeOf(context, input.from, input.to),
      ...(input.category && { category: input.category }),
    });
    return { expenses: expenses.map((expense) => expenseView(expense, context.user.timeZone)) };
  },
});

export const sumExpensesTool = defineTool({
  name: 'sum_expenses',
  description:
    'Total spending between two local dates (both included), per category and currency; never adds currencies together.',
  input: periodInput,
  async execute(context, input) {
    const totals = await summarizeExpenses(context.tx, rangeOf(context, input.from, input.to));
    const selected = input.category ? totals.filter((total) => total.category === input.category) : totals;
    const byCurrency = new Map<string, number>();
    for (const total of selected)
      byCurrency.set(total.currency, (byCurrency.get(total.currency) ?? 0) + total.total);
    return {
      from: input.from,
      to: input.to,
      ...(input.category && { category: input.category }),
      totals: [...byCurrency].map(([code, total]) => ({ currency: code, total })),
      by_category: selected.map((total) => ({ ...total })),
    };
  },
});

export const deleteExpenseTool = defineTool({
  name: 'delete_expense',
  description: 'Delete an expense by id, or the most recently recorded one with last: true.',
  input: z.object({ expense_id: z.optional(z.string().check(z.uuid())), last: z.optional(z.boolean()) }),
  async execute(context, input) {
    if (!input.expense_id && !input.last)
      throw new ToolRefusal('missing_target', 'Give expense_id or last: true');
    const deleted = await deleteExpense(context.tx, input.expense_id ? { id: input.expense_id } : 'latest');
    if (!deleted) throw new ToolRefusal('not_found', 'No such expense');
    return { deleted: expenseView(deleted, context.user.timeZone) };
  },
});

export const expenseTools = [addExpenseTool, listExpensesTool, sumExpensesTool, deleteExpenseTool];
