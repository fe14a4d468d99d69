import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { type PGlite } from '@electric-sql/pglite';
import { type Queryable } from '../../../layers/core/db/database';
import {
  MigrationChecksumError,
  MigrationError,
  type MigrationRun,
  type MigrationSource,
  runMigrations,
} from '../../../layers/core/db/migrate';
import { migrationSources } from '../../../layers/core/db/migrations';
import { readMigrationFiles, renderMigrationIndex } from '../../../layers/core/db/migrations/generate-index';
import { openPglite, PgliteDatabase } from '../../../layers/core/db/pglite-database';

const MIGRATIONS_DIR = join(__dirname, '../../../layers/core/db/migrations');

/** Every column of every table and view, and the migration records: what a migration could change. */
async function schemaSnapshot(db: Queryable): Promise<unknown> {
  const columns = await db.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const migrations = await db.query(
    'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
  );
  return { columns: columns.rows, migrations: migrations.rows };
}

describe('database migrations', () => {
  let pglite: PGlite;
  let db: PgliteDatabase;
  let firstRun: MigrationRun;

  beforeAll(async () => {
    pglite = await openPglite();
    db = new PgliteDatabase(pglite);
    firstRun = await runMigrations(db);
  });

  afterAll(async () => {
    await pglite.close();
  });

  it('applies every migration, in file order, to an empty database and records each one', async () => {
    // Prepare
    const files = readMigrationFiles(MIGRATIONS_DIR).map((source) => source.file);

    // Act
    const { rows } = await db.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );

    // Assess
    expect(firstRun.applied).toEqual(files);
    expect(rows.map((row) => `${String(row.version).padStart(4, '0')}_${row.name}.sql`)).toEqual(files);
  });

  it('changes nothing when applied again', async () => {
    // Prepare
    const before = await schemaSnapshot(db);

    // Act
    const rerun = await runMigrations(db);

    // Assess
    expect(rerun.applied).toEqual([]);
    expect(await schemaSnapshot(db)).toEqual(before);
  });

  it('embeds exactly the .sql files of the migrations folder', () => {
    // Prepare
    const files = readMigrationFiles(MIGRATIONS_DIR);

    // Act
    const rendered = renderMigrationIndex(files);

    // Assess
    expect(migrationSources).toEqual(files);
    // If this fails, run: npx tsx layers/core/db/migrations/generate-index.ts
    expect(readFileSync(join(MIGRATIONS_DIR, 'index.ts'), 'utf8')).toBe(rendered);
  });

  it('rolls a failing migration back completely and names its file in the error', async () => {
    // Prepare
    const broken: MigrationSource = {
      file: '9001_broken.sql',
      sql: 'CREATE TABLE half_done (id integer);\nINSERT INTO half_done VALUES (1);\nSELECT no_such_column FROM half_done;',
    };
    const before = await schemaSnapshot(db);

    // Act
    const error: unknown = await runMigrations(db, [...migrationSources, broken]).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).file).toBe('9001_broken.sql');
    expect((error as Error).message).toContain('9001_broken.sql');
    expect(await schemaSnapshot(db)).toEqual(before);
  });

  it('refuses to run when an applied migration was edited, naming the file', async () => {
    // Prepare
    const edited = migrationSources.map((source, index) =>
      index === 1 ? { ...source, sql: `${source.sql}\n-- an innocent-looking edit\n` } : source,
    );
    const editedFile = migrationSources[1]!.file;

    // Act
    const error: unknown = await runMigrations(db, edited).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(MigrationChecksumError);
    expect((error as MigrationChecksumError).file).toBe(editedFile);
    expect((error as Error).message).toContain(editedFile);
  });

  it('rejects a migration whose file name does not follow NNNN_name.sql', async () => {
    // Act
    const run = runMigrations(db, [...migrationSources, { file: 'add-things.sql', sql: 'SELECT 1' }]);

    // Assess
    await expect(run).rejects.toThrow(/0001_name\.sql/);
  });
});
