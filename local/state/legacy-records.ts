import * as fs from 'node:fs';
import * as path from 'node:path';

import { RECORD_NAME } from './record-names';

/** How the store rewrites a legacy record and moves an unreadable one aside. */
export interface LegacyMigration {
  write(id: string, value: unknown): void;
  quarantine(file: string, reason: string): void;
}

const TEMPORARY = /^\..*\.tmp$/;

/**
 * State dirs written before records were named by hash held `<encodeURIComponent(id)>.json` files with the
 * bare value inside. Each such file of a collection is rewritten in the current layout and removed, so an
 * older state dir keeps its buckets, pipelines and stacks. Temporary files a killed writer left are removed.
 */
export function migrateLegacyRecords(dir: string, migration: LegacyMigration): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(dir, entry.name);
    if (TEMPORARY.test(entry.name)) fs.rmSync(file, { force: true });
    else if (entry.name.endsWith('.json') && !RECORD_NAME.test(entry.name)) migrateOne(file, migration);
  }
}

function migrateOne(file: string, migration: LegacyMigration): void {
  const id = legacyId(path.basename(file, '.json'));
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    migration.quarantine(file, (error as Error).message);
    return;
  }
  if (id === undefined) {
    migration.quarantine(file, 'its file name is not an encoded id');
    return;
  }
  migration.write(id, value);
  fs.rmSync(file, { force: true });
}

function legacyId(name: string): string | undefined {
  try {
    return decodeURIComponent(name);
  } catch {
    return undefined;
  }
}
