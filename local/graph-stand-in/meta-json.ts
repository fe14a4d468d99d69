import { metaJson as metaJsonText } from '../web/webhook';

/**
 * JSON as Meta serialises webhook bodies (`metaJson` in web/webhook.ts, which the browser simulator
 * shares), as the bytes a receiver hashes.
 */
export const metaJson = (value: unknown): Buffer => Buffer.from(metaJsonText(value), 'utf8');
