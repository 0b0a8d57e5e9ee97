// The --db flag every command shares, and opening a database for reading with errors that say
// what to do.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { Flags, type Command } from '@oclif/core';
import { openDatabase, type Db } from '../../store/db.js';

export const dbFlag = Flags.string({ description: 'database file', default: 'kubelog.db', env: 'KUBELOG_DB' });

export class NoDatabase extends Error {}

/** Open an existing database read-only; a missing one is a clear error, not an empty answer. */
export function openForReading(path: string): Db {
  if (!existsSync(path)) throw new NoDatabase(`${path}: no such database. Ingest a log first: kubelog ingest --db ${path} /var/log/kubelet/kubelet.log`);
  return openDatabase(path, { readonly: true });
}

/** Open for a command: errors become the command's (exit 2 for a missing database). */
export function openForCommand(cmd: Command, path: string): Db {
  try {
    return openForReading(path);
  } catch (e) {
    return cmd.error((e as Error).message, { exit: e instanceof NoDatabase ? 2 : 1 });
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
