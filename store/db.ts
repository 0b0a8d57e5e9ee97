// Opening a kubelog database: pragmas (WAL, NORMAL sync, busy timeout) and migrations, with
// errors that name the file and say what to do; and what a reader checks before it answers.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { asStoreError, StoreError } from './errors.js';
import { fromTheFuture, migrate, newestVersion, schemaVersion, type Migration } from './migrations.js';
import { restoreDeferredIndexes } from './indexes.js';
import { lifecycleState } from './lifecycle-state.js';
import { describeWriter, liveWriter } from './write-lock.js';

// `file:…?immutable=1` for a database on a read-only mount (openReadOnly). better-sqlite3 reads this
// once, when its addon loads: before the first connection of the process.
process.env.SQLITE_USE_URI ??= '1';

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

const BUSY_TIMEOUT_MS = 10_000;

/**
 * Switching to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once, without its busy
 * handler, while another connection has the file open in rollback mode (a kubelog creating the
 * database, or a writer that just gave it back): two ingests started together failed 2 times in 40
 * with "the database is busy". Retried here as the busy timeout would.
 */
function useWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if (!String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY') || Date.now() > deadline) throw e;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
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
    db = opts.readonly ? openReadOnly(dbPath) : new Database(dbPath);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!opts.readonly) {
      useWal(db);
      db.pragma('synchronous = NORMAL');
    }
    db.pragma(`cache_size = -${opts.cacheKiB ?? 16384}`);
    db.pragma('foreign_keys = OFF');
    // reading the header proves it is a database (a text file fails here, not later)
    const version = schemaVersion(db);
    // a reader guessing at a newer schema would answer wrong without a word (ingest refuses it in migrate)
    if (opts.readonly && version > newestVersion(opts.migrations)) throw fromTheFuture(dbPath, version, newestVersion(opts.migrations));
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
    throw new StoreError(`${dbPath}: cannot open the database (${code ?? (e as Error).message})`, code ?? 'OPEN', dbPath);
  }
}

/**
 * Read-only, without writing anything beside the database. A database in WAL mode needs its -shm
 * file; where that cannot be created (a read-only mount or directory) and there is no WAL content
 * to miss, it is opened immutable: SQLite then takes no locks and creates no files.
 */
function openReadOnly(dbPath: string): Db {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    schemaVersion(db); // WAL mode without a -shm that can be created fails here
    return db;
  } catch (e) {
    db.close();
    // CANTOPEN on a read-only mount; READONLY_DIRECTORY where the directory's mode forbids it
    if (!/^SQLITE_(CANTOPEN|READONLY_)/.test(String((e as { code?: unknown }).code))) throw e;
    if (walBytes(dbPath) > 0) {
      throw new StoreError(
        `${dbPath}: its last writes are in ${dbPath}-wal, which cannot be read where the directory is read-only (SQLite needs to create ${path.basename(dbPath)}-shm beside it). Copy the database with its -wal file to a writable place.`,
        'WAL_UNREADABLE',
        dbPath,
      );
    }
    return new Database(immutableUri(dbPath), { readonly: true, fileMustExist: true });
  }
}

function walBytes(dbPath: string): number {
  try {
    return statSync(`${dbPath}-wal`).size;
  } catch {
    return 0;
  }
}

/** SQLite's URI for an immutable database file: the path's %, ? and # escaped. */
function immutableUri(dbPath: string): string {
  const abs = path.resolve(dbPath).replace(/[%?#]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `file:${abs}?immutable=1`;
}

/** The first schema version with pods, phases and anomalies (0002_lifecycle.sql). */
const LIFECYCLE_SCHEMA = 2;

/**
 * What a reader checks before it answers from a database (the CLI's readers and the server): that
 * kubelog wrote it, and, when it reads the pod lifecycles, that they are those of the stored
 * records. A StoreError that says why and what to do otherwise: NOT_KUBELOG, LIFECYCLES_MISSING,
 * LIFECYCLES_STALE (an ingest is running, or stopped before it rebuilt them).
 */
export function checkReadable(db: Db, dbPath: string, o: { lifecycles: boolean }): void {
  const version = schemaVersion(db);
  if (version === 0) throw new StoreError(`${dbPath}: an SQLite database, but not one kubelog wrote`, 'NOT_KUBELOG', dbPath);
  if (!o.lifecycles) return;
  if (version < LIFECYCLE_SCHEMA) {
    throw new StoreError(`${dbPath}: written by an older kubelog, without pod lifecycles: kubelog rebuild --db ${dbPath} brings it up to date`, 'LIFECYCLES_MISSING', dbPath);
  }
  if (!lifecycleState(db).stale) return;
  const writer = liveWriter(db);
  if (writer) {
    throw new StoreError(
      `${dbPath}: an ingest is writing to it (${describeWriter(writer)}); its pods are rebuilt when it ends: wait for it, then ask again.`,
      'LIFECYCLES_STALE',
      dbPath,
    );
  }
  throw new StoreError(
    `${dbPath}: the pods are out of date: an ingest stopped before it rebuilt them from the stored records. Run the same kubelog ingest again to finish it, or kubelog rebuild --db ${dbPath}.`,
    'LIFECYCLES_STALE',
    dbPath,
  );
}
