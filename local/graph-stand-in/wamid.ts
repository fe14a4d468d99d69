import { randomBytes } from 'node:crypto';

/**
 * A message id shaped like Meta's: `wamid.` and the base64 of a small binary record holding the
 * recipient and an 18-character hex id (decoded from captured wamids). Nothing may parse it;
 * the shape only keeps length limits and log masking honest.
 */
export const newWamid = (recipient: string): string => {
  const id = Buffer.from(randomBytes(9).toString('hex').toUpperCase(), 'latin1');
  const who = Buffer.from(recipient, 'latin1');
  const record = Buffer.concat([
    Buffer.from([0x1c, 0x18, who.length]),
    who,
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, id.length]),
    id,
    Buffer.from([0x00]),
  ]);
  return `wamid.${record.toString('base64')}`;
};
