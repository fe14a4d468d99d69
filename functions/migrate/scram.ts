import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

// Postgres's defaults for a SCRAM-SHA-256 secret: 4096 iterations (scram_iterations), a 16-byte salt.
const ITERATIONS = 4096;
const SALT_BYTES = 16;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * The SCRAM-SHA-256 secret Postgres would store for `password` (RFC 5802, RFC 7677). Sending this instead of
 * the password keeps the password itself out of the server's statement logs and pg_stat_statements.
 *
 * Postgres normalises a password with SASLprep before hashing; for printable ASCII that changes nothing, so
 * only such passwords are accepted rather than reimplementing SASLprep.
 */
export function scramSha256Secret(password: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  if (!PRINTABLE_ASCII.test(password)) {
    throw new RangeError('The database password must be non-empty printable ASCII');
  }
  const saltedPassword = pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', saltedPassword).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest('base64');
  const serverKey = createHmac('sha256', saltedPassword).update('Server Key').digest('base64');
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString('base64')}$${storedKey}:${serverKey}`;
}
