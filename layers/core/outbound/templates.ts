import * as z from 'zod/mini';
import type { Language } from '../assistant/replies';
import { bodyParameters, type Recipient, template } from '../whatsapp/graph/builders';
import type { OutboundMessage } from '../whatsapp/graph/outbound-schema';
import { truncate } from '../whatsapp/graph/text-fit';

/**
 * The approved templates: the only messages Meta delivers outside the 24 h customer service
 * window. Each has one body parameter, `{{1}}`, which carries the text the free-form message would
 * have carried. Names differ per WhatsApp Business Account, so they are configuration.
 */

const approvedTemplate = z.object({
  /** As approved in WhatsApp Manager. */
  name: z.string().check(z.regex(/^[a-z0-9_]{1,512}$/, 'template names are lowercase, digits and _')),
  /** The approved translation's language code, e.g. `es`, `en_US`. */
  language: z.string().check(z.minLength(2)),
});
const templateSet = z.object({ es: approvedTemplate, en: approvedTemplate });

export const messageTemplatesSchema = z.object({
  /** A reminder that falls due after the user's window closed (utility). */
  reminder: templateSet,
  /** The weekly spending and agenda summary, sent whatever the window (utility). */
  weeklySummary: templateSet,
  /** A reply that could not be delivered as free text because the window had closed. */
  reengagement: templateSet,
});
export type MessageTemplates = z.infer<typeof messageTemplatesSchema>;
export type TemplatePurpose = keyof MessageTemplates;

export const DEFAULT_MESSAGE_TEMPLATES: MessageTemplates = {
  reminder: { es: { name: 'reminder_es', language: 'es' }, en: { name: 'reminder_en', language: 'en_US' } },
  weeklySummary: {
    es: { name: 'weekly_summary_es', language: 'es' },
    en: { name: 'weekly_summary_en', language: 'en_US' },
  },
  reengagement: {
    es: { name: 'reengagement_es', language: 'es' },
    en: { name: 'reengagement_en', language: 'en_US' },
  },
};

/** Our own cap on `{{1}}`, well inside Meta's 1024 characters for a whole template body. */
const TEMPLATE_PARAMETER_MAX = 500;

/** Meta refuses a template parameter with a new line, a tab or more than four spaces in a row. */
const templateParameter = (text: string): string =>
  truncate(text.replace(/\s+/g, ' ').trim(), TEMPLATE_PARAMETER_MAX);

/** The template for `purpose` in the user's language, its parameter filled with `text`. */
export const templateMessage = (
  templates: MessageTemplates,
  purpose: TemplatePurpose,
  to: Recipient,
  language: Language,
  text: string,
): OutboundMessage => {
  const { name, language: code } = templates[purpose][language];
  return template(to, name, code, [bodyParameters(templateParameter(text))]);
};
