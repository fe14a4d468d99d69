import { awsMigrateDeps } from './aws-deps';
import { loadMigrateConfig } from './config';
import { createMigrateHandler } from './migrate';

export const handler = createMigrateHandler(awsMigrateDeps(loadMigrateConfig(process.env)));
