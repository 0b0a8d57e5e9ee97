// Schema migrations: schemas/migrations/NNNN_name.sql, applied in order in ONE transaction that
// also sets `user_version`. A database from a newer kubelog (user_version beyond the newest
// migration) is refused rather than guessed at, by writers and readers (store/db.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { StoreError } from './errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The schemas/migrations folder, from the sources (store/) or the build (dist/store/). */
export function migrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'schemas', 'migrations');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('schemas/migrations not found next to the kubelog installation');
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{4})_([\w-]+)\.sql$/.exec(file);
    if (!m) continue;
    out.push({ version: Number(m[1]), name: m[2]!, sql: readFileSync(path.join(dir, file), 'utf8') });
  }
  out.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 0001, 0002, … without gaps (found ${m.version} at position ${i + 1})`);
  });
  return out;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Bring the database up to the newest migration; returns the versions applied. */
export function migrate(db: Database, dbPath: string, migrations: Migration[] = loadMigrations()): number[] {
  const newest = newestVersion(migrations);
  const current = schemaVersion(db);
  if (current > newest) throw fromTheFuture(dbPath, current, newest);
  if (current === newest) return [];
  // read again under the write lock: two processes creating one database both saw it empty, and the
  // second applied the migrations again ("table sources already exists")
  return db.transaction(() => {
    const now = schemaVersion(db);
    if (now > newest) throw fromTheFuture(dbPath, now, newest);
    // someone else's SQLite database: kubelog's tables do not go into it
    if (now === 0 && db.prepare("SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' LIMIT 1").get() !== undefined) {
      throw new StoreError(`${dbPath}: an SQLite database, but not one kubelog wrote; use --db to choose another.`, 'NOT_KUBELOG', dbPath);
    }
    const pending = migrations.filter((m) => m.version > now);
    for (const m of pending) db.exec(m.sql);
    if (pending.length) db.pragma(`user_version = ${newest}`);
    return pending.map((m) => m.version);
  }).immediate();
}

/** The newest schema version this kubelog knows. */
export function newestVersion(migrations: Migration[] = loadMigrations()): number {
  return migrations.length ? migrations[migrations.length - 1]!.version : 0;
}

export function fromTheFuture(dbPath: string, version: number, newest: number): StoreError {
  return new StoreError(
    `${dbPath}: written by a newer kubelog (schema version ${version}; this kubelog knows up to ${newest}). ` + 'Upgrade kubelog, or use --db to choose another database.',
    'SCHEMA_FROM_FUTURE',
    dbPath,
  );
}
