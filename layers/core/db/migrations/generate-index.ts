import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MigrationSource } from '../migrate';

/**
 * Writes `index.ts`, which embeds the .sql files of this folder as strings. Run after adding a migration:
 *   npx tsx layers/core/db/migrations/generate-index.ts
 */

export function readMigrationFiles(dir: string = __dirname): MigrationSource[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ file, sql: readFileSync(join(dir, file), 'utf8') }));
}

const asTemplateLiteral = (text: string): string =>
  '`' + text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';

export function renderMigrationIndex(sources: readonly MigrationSource[]): string {
  const entries = sources
    .map((source) => `  {\n    file: '${source.file}',\n    sql: ${asTemplateLiteral(source.sql)},\n  },\n`)
    .join('');
  return `// Generated from the .sql files in this folder by generate-index.ts: do not edit. After adding or
// changing a migration, run: npx tsx layers/core/db/migrations/generate-index.ts
//
// The SQL is embedded as strings so that esbuild bundles it into the Lambda like any other code, with no
// files to copy next to the bundle; jest loads it the same way. The .sql files stay the source of truth, and
// a test fails when this file falls out of step with them.
import { type MigrationSource } from '../migrate';

export const migrationSources: readonly MigrationSource[] = [
${entries}];
`;
}

if (require.main === module) {
  writeFileSync(join(__dirname, 'index.ts'), renderMigrationIndex(readMigrationFiles()));
}
