import * as z from 'zod/mini';
import { truncate } from '../whatsapp/graph/text-fit';
import { actionId } from './actions';
import { EXPENSE_CATEGORIES } from './offline/types';
import { categoryLabel, day, formatMoney, type Language, type Reply, say } from './replies';

/** What the vision model says about a photo: a receipt becomes an expense the user confirms. */
const expenseSuggestion = z.object({
  amount: z.number().check(z.positive(), z.maximum(1e12)),
  currency: z.string().check(z.regex(/^[A-Za-z]{3}$/)),
  category: z.catch(z.enum(EXPENSE_CATEGORIES), 'other'),
  merchant: z.catch(z.nullable(z.string()), null),
  date: z.catch(z.nullable(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))), null),
});

const imageReadingSchema = z.object({
  kind: z.catch(z.enum(['receipt', 'other']), 'other'),
  description: z.string(),
  expense: z.catch(z.nullable(expenseSuggestion), null),
});
export type ImageReading = z.infer<typeof imageReadingSchema>;

/** The merchant goes into a button id (256 characters in all) and a message: keep it short. */
const MERCHANT_MAX = 60;
const DESCRIPTION_MAX = 900;

export interface ImageFacts {
  readonly language: Language;
  readonly currency: string;
  /** Today in the user's time zone, `yyyy-MM-dd`. */
  readonly today: string;
}

/** The instructions for reading one photo; the answer is JSON so a receipt can become a button. */
export const imageReadingPrompt = (facts: ImageFacts): string =>
  [
    'You read one image that a WhatsApp user sent to Chasqui, an assistant for reminders, expenses and a calendar.',
    'Answer with a single JSON object and nothing else:',
    '{"kind": "receipt" | "other", "description": string, "expense": {"amount": number, "currency": string, "category": string, "merchant": string | null, "date": string | null} | null}',
    `- kind is "receipt" when the image is a receipt, invoice or bill. Then expense is its total as paid: amount as a plain number, currency as an ISO 4217 code (${facts.currency} when none is printed), category one of ${EXPENSE_CATEGORIES.join(', ')}, merchant the business name, date the printed date as yyyy-MM-dd (null when none).`,
    '- Otherwise kind is "other" and expense is null.',
    `- description: one or two short sentences in ${facts.language === 'es' ? 'Spanish' : 'English'} saying what the image shows; if the user wrote a caption, answer it.`,
    `Today is ${facts.today} in the user's time zone.`,
  ].join('\n');

/** The model's answer as a reading; an answer that is not the JSON asked for is kept as its description. */
export const parseImageReading = (answer: string): ImageReading => {
  const start = answer.indexOf('{');
  const end = answer.lastIndexOf('}');
  if (start !== -1 && end > start) {
    try {
      const parsed = imageReadingSchema.safeParse(JSON.parse(answer.slice(start, end + 1)));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON after all: fall through to the plain text.
    }
  }
  return { kind: 'other', description: answer.trim(), expense: null };
};

/** A receipt: what was read, and a button that adds it as an expense without asking a model again. */
export const replyToImageReading = (reading: ImageReading, facts: ImageFacts): Reply => {
  const { language } = facts;
  const expense = reading.kind === 'receipt' ? reading.expense : null;
  if (!expense) {
    const description = truncate(reading.description.trim(), DESCRIPTION_MAX);
    return {
      text: description
        ? `📷 ${description}`
        : say(language, '📷 No supe qué hay en esa imagen.', "📷 I couldn't tell what that image shows."),
    };
  }
  const currency = expense.currency.toUpperCase();
  const merchant = expense.merchant
    ? truncate(expense.merchant.replace(/\s+/g, ' ').trim(), MERCHANT_MAX)
    : '';
  const date = expense.date && expense.date <= facts.today ? expense.date : undefined;
  const money = formatMoney(expense.amount, currency, language);
  const category = categoryLabel(expense.category, language);
  const when = date ? `, ${day(date, language)}` : '';
  const from = merchant ? say(language, ` de *${merchant}*`, ` from *${merchant}*`) : '';
  return {
    text: say(
      language,
      `🧾 Leí un recibo${from}: *${money}* (${category})${when}.\n¿Lo registro como gasto?`,
      `🧾 I read a receipt${from}: *${money}* (${category})${when}.\nShall I add it as an expense?`,
    ),
    buttons: [
      {
        id: actionId({
          kind: 'expense_add',
          amount: expense.amount,
          currency,
          category: expense.category,
          ...(date && { date }),
          ...(merchant && { description: merchant }),
        }),
        title: say(language, 'Registrar gasto', 'Add expense'),
      },
    ],
  };
};
