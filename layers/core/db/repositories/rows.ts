import * as z from 'zod/mini';
import { type Row } from '../database';

/** numeric and bigint arrive as strings from node-postgres and as numbers from PGlite. */
export const numeric = z.pipe(z.union([z.number(), z.string()]), z.coerce.number());
export const timestamp = z.date();
export const json = z.json();
export type Json = z.infer<typeof json>;

export function parseRows<S extends z.ZodMiniType>(schema: S, rows: readonly Row[]): z.output<S>[] {
  return rows.map((row) => schema.parse(row));
}

export function parseFirstRow<S extends z.ZodMiniType>(
  schema: S,
  rows: readonly Row[],
): z.output<S> | undefined {
  return rows[0] === undefined ? undefined : schema.parse(rows[0]);
}

/** jsonb parameters go over as text: node-postgres would turn a JS array into a Postgres array literal. */
export const jsonParam = (value: Json | undefined): string | null =>
  value === undefined ? null : JSON.stringify(value);

/** The database checks only the shape of a zone name; the runtime's zone database knows the real ones. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new RangeError(`Unknown IANA time zone: ${timeZone}`);
  }
}
