// The --db flag every command shares, and opening a database for reading with errors that say
// what to do.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { checkReadable, openDatabase, type Db } from '../../store/db.js';
import { liveWriter, lockedBy } from '../../store/write-lock.js';
import { newestFirstSources } from '../../store/sources.js';
import { safeText } from './terminal-text.js';
import { fail } from './errors.js';

export const dbFlag = Flags.string({ description: 'database file', default: 'kubelog.db', env: 'KUBELOG_DB' });

/**
 * Open an existing database read-only for a reader: a missing one is a usage error (exit 2), not
 * an empty answer; one whose pod lifecycles a reader needs but are out of date, a StoreError
 * saying so (store/db.ts checkReadable) — never "No pods match".
 */
export function openForReading(path: string, o: { lifecycles: boolean } = { lifecycles: true }): Db {
  if (!existsSync(path)) fail(`${path}: no such database. Ingest a log first: kubelog ingest --db ${path} /var/log/kubelet/kubelet.log`, { exit: 2, code: 'NO_DATABASE', input: path });
  const db = openDatabase(path, { readonly: true });
  try {
    checkReadable(db, path, o);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Said on stderr by the commands that show pods: an input that ran newest first gave pods read
 * backwards (a REMOVE before its ADD), whatever the table shows.
 */
export function warnNewestFirst(db: Db): void {
  for (const s of newestFirstSources(db)) process.stderr.write(`warning: ${safeText(s.path)}: ${safeText(s.message)}\n`);
}

/**
 * Create (or migrate) the database an ingest is about to write, so that readers can open it at
 * once (`kubelog serve FILE` listens before it ingests); a database kubelog cannot write, or
 * another kubelog is writing, fails here with the error the ingest would give.
 */
export function prepareForIngest(path: string): void {
  const db = openDatabase(path, { keepDeferredIndexes: true });
  try {
    const writer = liveWriter(db);
    if (writer) throw lockedBy(path, writer);
  } finally {
    db.close();
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** A file that starts with SQLite's header (`SQLite format 3\0`): a database, not a log. */
export function isSqliteFile(path: string): boolean {
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return false;
    fd = openSync(path, 'r');
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } catch {
    return false; // missing or unreadable: the log reader says why
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `2024-06-07T14:00:00Z`, `2024-06-07 14:00`, or epoch seconds → epoch µs. */
export function parseTime(s: string): number | undefined {
  if (/^\d{9,11}(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1e6);
  const t = /^\d{4}-\d\d-\d\d$/.test(s) ? `${s}T00:00:00` : s.replace(' ', 'T'); // a date alone is its midnight (UTC)
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(ms) ? undefined : ms * 1000;
}
