import * as z from 'zod/mini';
import { type Tx } from '../database';
import { json, type Json, jsonParam, parseFirstRow, parseRows } from './rows';

const preferenceRow = z.object({ key: z.string(), value: json });

/** Keys are lower-case identifiers such as `reply.language` or `summary_hour`. */
export async function getPreference(tx: Tx, key: string): Promise<Json | undefined> {
  const { rows } = await tx.query('SELECT key, value FROM preferences WHERE key = $1', [key]);
  return parseFirstRow(preferenceRow, rows)?.value;
}

export async function setPreference(tx: Tx, key: string, value: Json): Promise<void> {
  await tx.query(
    `INSERT INTO preferences (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (user_id, key) DO UPDATE SET value = EXCLUDED.value`,
    [key, jsonParam(value)],
  );
}

export async function deletePreference(tx: Tx, key: string): Promise<boolean> {
  const { rowCount } = await tx.query('DELETE FROM preferences WHERE key = $1', [key]);
  return rowCount === 1;
}

export async function listPreferences(tx: Tx): Promise<Record<string, Json>> {
  const { rows } = await tx.query('SELECT key, value FROM preferences ORDER BY key');
  return Object.fromEntries(parseRows(preferenceRow, rows).map(({ key, value }) => [key, value]));
}
