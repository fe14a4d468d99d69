import { type PGlite } from '@electric-sql/pglite';
import { type Queryable, type TenantScope } from '../../../layers/core/db/database';
import { DatabaseError } from '../../../layers/core/db/errors';
import { runMigrations } from '../../../layers/core/db/migrate';
import { openPglite, PgliteDatabase } from '../../../layers/core/db/pglite-database';
import { resolveUser, upsertTenant } from '../../../layers/core/db/repositories/identity';
import { DEFAULT_EMBEDDING_DIMENSIONS } from '../../../layers/core/ports/embedder';

export interface MigratedPglite {
  readonly pglite: PGlite;
  /** Scoped transactions run as chasqui_app; `query` and `systemTransaction` as the owner. */
  readonly db: PgliteDatabase;
}

export async function openMigratedPglite(): Promise<MigratedPglite> {
  const pglite = await openPglite();
  const db = new PgliteDatabase(pglite);
  await runMigrations(db);
  return { pglite, db };
}

let sequence = 0;
/** A value no other call in this process returns, for unique keys in fixtures. */
export const unique = (prefix: string): string => `${prefix}${process.pid}${Date.now()}${++sequence}`;

export interface TestUser extends TenantScope {
  readonly userId: string;
}

/** A tenant (new unless `tenantId` is given) and a new user in it, created as the owner. */
export async function createTestUser(db: Queryable, tenantId?: string): Promise<TestUser> {
  const tenant =
    tenantId ??
    (await upsertTenant(db, { phoneNumberId: unique('1'), displayPhoneNumber: '+51 1 555 0100' }));
  const userId = await resolveUser(db, {
    tenantId: tenant,
    waId: unique('51'),
    profileName: 'Test User',
    defaults: { locale: 'es', timeZone: 'America/Lima', country: 'PE' },
  });
  return { tenantId: tenant, userId };
}

/** A vector of the embedding width pointing mostly along `axis`. */
export function embeddingAlong(axis: number, tilt = 0, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const values = new Array<number>(dimensions).fill(0);
  values[axis] = 1;
  values[(axis + 1) % dimensions] = tilt;
  return values;
}

/** Awaits a promise expected to fail with a DatabaseError, and returns that error. */
export async function databaseErrorFrom(promise: Promise<unknown>): Promise<DatabaseError> {
  const error: unknown = await promise.then(
    () => new Error('expected a DatabaseError, but the call succeeded'),
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof DatabaseError)) throw error;
  return error;
}
