import * as z from 'zod/mini';
import { APPLICATION_ROLE, type Database, type SystemTx } from '../../layers/core/db/database';
import { scramSha256Secret } from './scram';

export interface DbCredentials {
  readonly username: string;
  readonly password: string;
}

const existingRole = z.object({ privileged: z.boolean() });
const statementRow = z.object({ statement: z.string() });

/** Identifiers and literals quoted by the server's own format(): role DDL takes no bind parameters. */
async function formatStatement(tx: SystemTx, template: string, ...args: string[]): Promise<string> {
  const placeholders = args.map((_, index) => `$${index + 2}::text`).join(', ');
  const { rows } = await tx.query(`SELECT format($1, ${placeholders}) AS statement`, [template, ...args]);
  return statementRow.parse(rows[0]).statement;
}

/**
 * Makes sure the application's login user exists, has the password from its secret, and is a member of the
 * application role, which is all it may do. Safe to repeat: a rotated password is simply set again.
 */
export async function ensureAppLogin(db: Database, login: DbCredentials): Promise<void> {
  const secret = scramSha256Secret(login.password);
  await db.systemTransaction(async (tx) => {
    const { rows } = await tx.query(
      `SELECT rolname = current_user OR rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls AS privileged
       FROM pg_roles WHERE rolname = $1`,
      [login.username],
    );
    const existing = rows[0] === undefined ? undefined : existingRole.parse(rows[0]);
    if (existing?.privileged) {
      // A misconfigured secret must not let this function reset the admin's password or grant it to the app.
      throw new Error(`Refusing to manage ${login.username}: it is the migration user or a privileged role`);
    }
    const template = existing
      ? 'ALTER ROLE %I WITH LOGIN INHERIT PASSWORD %L'
      : 'CREATE ROLE %I WITH LOGIN INHERIT PASSWORD %L';
    await tx.exec(await formatStatement(tx, template, login.username, secret));
    await tx.exec(await formatStatement(tx, 'GRANT %I TO %I', APPLICATION_ROLE, login.username));
  });
}
