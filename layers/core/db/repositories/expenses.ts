import * as z from 'zod/mini';
import { type Tx } from '../database';
import { numeric, parseFirstRow, parseRows, timestamp } from './rows';

const expenseRow = z.object({
  id: z.string(),
  amount: numeric,
  currency: z.string(),
  category: z.string(),
  description: z.nullable(z.string()),
  occurredAt: timestamp,
  sourceWamid: z.nullable(z.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Expense = z.infer<typeof expenseRow>;

const EXPENSE_COLUMNS = `id, amount, currency, category, description, occurred_at AS "occurredAt",
  source_wamid AS "sourceWamid", created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface NewExpense {
  /** Greater than zero. */
  readonly amount: number;
  /** ISO 4217, upper case. */
  readonly currency: string;
  readonly category: string;
  readonly description?: string;
  readonly occurredAt: Date;
  readonly sourceWamid?: string;
}

export async function addExpense(tx: Tx, expense: NewExpense): Promise<Expense> {
  const { rows } = await tx.query(
    `INSERT INTO expenses (amount, currency, category, description, occurred_at, source_wamid)
     VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${EXPENSE_COLUMNS}`,
    [
      // As text, so the numeric column receives exactly the decimal the user gave.
      String(expense.amount),
      expense.currency,
      expense.category,
      expense.description ?? null,
      expense.occurredAt,
      expense.sourceWamid ?? null,
    ],
  );
  return expenseRow.parse(rows[0]);
}

export interface ExpenseFilter {
  /** Occurred at or after. */
  readonly from?: Date;
  /** Occurred before. */
  readonly to?: Date;
  readonly category?: string;
  readonly limit?: number;
}

const DEFAULT_LIST_LIMIT = 50;

/** Newest first. */
export async function listExpenses(tx: Tx, filter: ExpenseFilter = {}): Promise<Expense[]> {
  const { rows } = await tx.query(
    `SELECT ${EXPENSE_COLUMNS} FROM expenses
     WHERE ($1::timestamptz IS NULL OR occurred_at >= $1)
       AND ($2::timestamptz IS NULL OR occurred_at < $2)
       AND ($3::text IS NULL OR category = $3)
     ORDER BY occurred_at DESC, id
     LIMIT $4`,
    [filter.from ?? null, filter.to ?? null, filter.category ?? null, filter.limit ?? DEFAULT_LIST_LIMIT],
  );
  return parseRows(expenseRow, rows);
}

const expenseTotalRow = z.object({
  category: z.string(),
  currency: z.string(),
  total: numeric,
  count: z.number().check(z.int()),
});
export type ExpenseTotal = z.infer<typeof expenseTotalRow>;

/**
 * Totals per category and currency for expenses in [from, to), largest first. Amounts in different
 * currencies are never added together.
 */
export async function summarizeExpenses(tx: Tx, period: { from: Date; to: Date }): Promise<ExpenseTotal[]> {
  const { rows } = await tx.query(
    `SELECT category, currency, sum(amount) AS total, count(*)::integer AS count
     FROM expenses
     WHERE occurred_at >= $1 AND occurred_at < $2
     GROUP BY category, currency
     ORDER BY currency, total DESC, category`,
    [period.from, period.to],
  );
  return parseRows(expenseTotalRow, rows);
}

/** Deletes one expense (by id, or the most recently recorded one) and returns it. */
export async function deleteExpense(tx: Tx, target: { id: string } | 'latest'): Promise<Expense | undefined> {
  const { rows } = await tx.query(
    `DELETE FROM expenses
     WHERE id = (SELECT id FROM expenses WHERE ($1::uuid IS NULL OR id = $1) ORDER BY created_at DESC, id LIMIT 1)
     RETURNING ${EXPENSE_COLUMNS}`,
    [target === 'latest' ? null : target.id],
  );
  return parseFirstRow(expenseRow, rows);
}
