import { Logger } from '@aws-lambda-powertools/logger';
import { hash } from 'node:crypto';

/**
 * Phone numbers are personal data: logs keep only the last four digits, enough to tell users
 * apart while debugging. Business-scoped ids (`CC.digits`) are masked the same way.
 */
export const maskIdentifier = (identifier: string | undefined): string => {
  if (!identifier) return '';
  const visible = identifier.slice(-4);
  return `${'*'.repeat(Math.max(identifier.length - 4, 0))}${visible}`;
};

/** Long digit runs anywhere in a string (e.g. an error message quoting a number). */
const PHONE_LIKE = /\+?\d[\d ]{6,}\d/g;
export const maskPhoneNumbersIn = (text: string): string =>
  text.replace(PHONE_LIKE, (match) => maskIdentifier(match.replace(/\D/g, '')));

/**
 * A wamid is base64 around the user's phone number ("wamid.HBgMNTczMDAx…" decodes to 573001…), so logs
 * carry this digest of it instead: the same for one message in every function, and no number in it. To
 * find a message's lines, compute it from the wamid stored in the database.
 */
export const logIdOf = (wamid: string): string => `m_${hash('sha256', wamid, 'base64url').slice(0, 16)}`;

export const createLogger = (serviceName?: string): Logger =>
  new Logger(serviceName === undefined ? {} : { serviceName });
