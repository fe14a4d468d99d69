import { createHash } from 'node:crypto';
import { type Database, type SystemTx } from './database';
import { migrationSources } from './migrations';

/** One migration file: `NNNN_name.sql`, applied in order of NNNN. */
export interface MigrationSource {
  readonly file: string;
  readonly sql: string;
}

export interface MigrationRun {
  /** Files this run applied, in order; empty when the schema was already current. */
  readonly applied: readonly string[];
}

export class MigrationError extends Error {
  override readonly name: string = 'MigrationError';

  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An applied migration's file was edited afterwards: the database no longer matches what the code says. */
export class MigrationChecksumError extends MigrationError {
  override readonly name = 'MigrationChecksumError';
}

interface Migration extends MigrationSource {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

// Serialises migration runs across processes. Any constant does, as long as nothing else in the database
// takes the same advisory lock.
const MIGRATION_LOCK_KEY = '7240917753516417';

const CREATE_SCHEMA_MIGRATIONS = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

// Line endings normalised, so a checkout that converts them does not look like an edited migration.
const checksumOf = (sql: string): string =>
  createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');

function parseMigrations(sources: readonly MigrationSource[]): Migration[] {
  const byVersion = new Map<number, Migration>();
  for (const source of sources) {
    const match = FILE_NAME.exec(source.file);
    if (!match?.[1] || !match[2]) {
      throw new MigrationError(
        source.file,
        `Migration file name must look like 0001_name.sql: ${source.file}`,
      );
    }
    const version = Number(match[1]);
    const clash = byVersion.get(version);
    if (clash) {
      throw new MigrationError(source.file, `Migrations ${clash.file} and ${source.file} share a version`);
    }
    byVersion.set(version, { ...source, version, name: match[2], checksum: checksumOf(source.sql) });
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

async function lockMigrations(tx: SystemTx): Promise<void> {
  // Transaction-scoped, so it is released by COMMIT or ROLLBACK whatever happens to this process.
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
}

/** Returns whether this call applied the migration; false when it was already applied, by anyone. */
async function applyOnce(tx: SystemTx, migration: Migration): Promise<boolean> {
  await lockMigrations(tx);
  const { rows } = await tx.query<{ checksum: string }>(
    'SELECT checksum FROM schema_migrations WHERE version = $1',
    [migration.version],
  );
  const recorded = rows[0];
  if (recorded) {
    if (recorded.checksum !== migration.checksum) {
      throw new MigrationChecksumError(
        migration.file,
        `Migration ${migration.file} was changed after it was applied (checksum ${recorded.checksum}, ` +
          `file now ${migration.checksum}). Never edit an applied migration: add a new one.`,
      );
    }
    return false;
  }
  try {
    await tx.exec(migration.sql);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(migration.file, `Migration ${migration.file} failed: ${reason}`, {
      cause: error,
    });
  }
  await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
    migration.version,
    migration.name,
    migration.checksum,
  ]);
  return true;
}

/**
 * Brings the schema up to date. Each migration runs in its own transaction under an advisory lock, so a
 * failing one rolls back completely (and leaves the ones before it applied), and several processes may run
 * this at once: each migration is applied exactly once. Migrations recorded in the database but unknown to
 * this build are left alone, so a rolled-back deploy of older code still starts.
 */
export async function runMigrations(
  db: Database,
  sources: readonly MigrationSource[] = migrationSources,
): Promise<MigrationRun> {
  const migrations = parseMigrations(sources);
  await db.systemTransaction(async (tx) => {
    await lockMigrations(tx);
    await tx.exec(CREATE_SCHEMA_MIGRATIONS);
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    if (await db.systemTransaction((tx) => applyOnce(tx, migration))) applied.push(migration.file);
  }
  return { applied };
}
