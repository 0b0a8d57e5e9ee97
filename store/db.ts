// Opening a kubelog database: pragmas (WAL, NORMAL sync, busy timeout) and migrations, with
// errors that name the file and say what to do.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { asStoreError, StoreError } from './errors.js';
import { migrate, type Migration } from './migrations.js';
import { restoreDeferredIndexes } from './indexes.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Open for reading only: no migrations, no WAL switch. */
  readonly?: boolean;
  /** Migrations to apply instead of schemas/migrations (tests). */
  migrations?: Migration[];
  /** SQLite page cache in KiB (default 16 MiB). */
  cacheKiB?: number;
  /** Leave indexes an interrupted ingest dropped for the caller to build (the ingest does). */
  keepDeferredIndexes?: boolean;
}

export function openDatabase(dbPath: string, opts: OpenOptions = {}): Db {
  if (!opts.readonly) {
    try {
      mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
    } catch {
      // the open below reports the problem with the path
    }
  }
  let db: Db | undefined;
  try {
    db = new Database(dbPath, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
    db.pragma('busy_timeout = 10000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma(`cache_size = -${opts.cacheKiB ?? 16384}`);
    db.pragma('foreign_keys = OFF');
    // reading the header proves it is a database (a text file fails here, not later)
    const version = db.pragma('user_version', { simple: true }) as number;
    // read-only, an older database keeps its schema: readers see pod events through the view
    // 0005_event_types.sql defines, here over the table as it was (the temp schema is writable)
    if (opts.readonly && version >= 2 && version < 5) db.exec('CREATE TEMP VIEW pod_events_view AS SELECT pod_id, record_id, lane, kind FROM main.pod_events');
    if (!opts.readonly) {
      migrate(db, dbPath, opts.migrations);
      if (!opts.keepDeferredIndexes) restoreDeferredIndexes(db);
    }
    return db;
  } catch (e) {
    try {
      db?.close();
    } catch {
      // already failing
    }
    if (e instanceof StoreError) throw e;
    const err = asStoreError(e, dbPath, 'opening the database');
    if (err instanceof StoreError) throw err;
    const code = (e as NodeJS.ErrnoException).code;
    throw new StoreError(`${dbPath}: cannot open the database (${code ?? (e as Error).message})`, code ?? 'OPEN');
  }
}
