// One writer at a time (schemas/migrations/0006_writer_state.sql). Two ingests into one database
// both found no source for the same bytes and stored them twice; a second writer is now refused
// with a message naming the first. SQLite's own locks only serialise transactions, not the
// decisions an ingest takes between them.
//
// The lock is a row taken in an IMMEDIATE transaction. A holder that died (kill -9, a crash, a
// reboot) leaves its row behind; the next writer sees that it is dead — on this kernel and in this
// pid namespace, by its pid and that pid's start time; elsewhere (another container or host
// sharing the file), by a heartbeat older than HEARTBEAT_DEAD_MS — and takes the lock over.
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import { formatIsoUs } from '../parser/time.js';
import { openDatabase, type Db } from './db.js';
import { asStoreError, StoreError } from './errors.js';

const HEARTBEAT_MS = 30_000;
/** A holder we cannot check by pid is taken for dead after this long without a heartbeat. */
export const HEARTBEAT_DEAD_MS = 5 * 60_000;

export interface LockRow {
  token: string;
  command: string;
  pid: number;
  host: string;
  boot_id: string | null;
  pid_ns: string | null;
  proc_start: string | null;
  started_ms: number;
  beat_ms: number;
}

const read = (f: string): string | null => {
  try {
    return readFileSync(f, 'utf8').trim();
  } catch {
    return null;
  }
};

/** Start time (clock ticks since boot) and state of a process, from /proc/PID/stat; null when there is no such process. */
function procStat(pid: number): { start: string; state: string } | null {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // the command name (field 2) may hold spaces and parentheses: count from the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', start: fields[19] ?? '' };
}

export interface Identity {
  pid: number;
  host: string;
  bootId: string | null;
  pidNs: string | null;
  procStart: string | null;
}

/** Who this process is, as a lock row records it. */
export function self(): Identity {
  let pidNs: string | null = null;
  try {
    pidNs = readlinkSync('/proc/self/ns/pid');
  } catch {
    // not Linux
  }
  return { pid: process.pid, host: os.hostname(), bootId: read('/proc/sys/kernel/random/boot_id'), pidNs, procStart: procStat(process.pid)?.start ?? null };
}

/** Is the holder of this row alive: true, false, or undefined when this process cannot tell. */
function checkByPid(row: LockRow, me: Identity): boolean | undefined {
  if (me.bootId !== null && row.boot_id === me.bootId && row.pid_ns === me.pidNs) {
    const st = procStat(row.pid);
    if (st === null || st.state === 'Z' || st.state === 'X') return false; // gone, or a zombie nobody reaped
    return row.proc_start === null || st.start === row.proc_start;
  }
  // the same machine booted since: every process of before is gone
  if (me.bootId !== null && row.boot_id !== null && row.host === me.host && row.boot_id !== me.bootId) return false;
  if (me.bootId === null && row.boot_id === null && row.host === me.host) {
    try {
      process.kill(row.pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return undefined;
}

export function holderAlive(row: LockRow, now = Date.now()): boolean {
  return checkByPid(row, self()) ?? now - row.beat_ms < HEARTBEAT_DEAD_MS;
}

const hasLockTable = (db: Db): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'writer_lock'").get() !== undefined;

/** The live writer of this database, if any (works on a read-only connection). */
export function liveWriter(db: Db): LockRow | undefined {
  if (!hasLockTable(db)) return undefined;
  const row = db.prepare('SELECT * FROM writer_lock WHERE id = 1').get() as LockRow | undefined;
  return row && holderAlive(row) ? row : undefined;
}

/** "kubelog ingest, pid 4170, since 2024-06-07T12:00:01.123000Z" (and the host when it is another). */
export function describeWriter(row: LockRow): string {
  const host = row.host === os.hostname() ? '' : ` on ${row.host}`;
  return `kubelog ${row.command}, pid ${row.pid}${host}, since ${formatIsoUs(row.started_ms * 1000)}`;
}

/** The error of a second writer: another kubelog holds the lock. */
export function lockedBy(dbPath: string, row: LockRow): StoreError {
  return new StoreError(`${dbPath}: another kubelog is writing to it (${describeWriter(row)}); wait for it to finish, or use another --db.`, 'LOCKED', dbPath);
}

/** Is `token` the lock this database's writer holds (a caller passing its lock down to a worker)? */
export function holdsWriteLock(db: Db, token: string): boolean {
  return hasLockTable(db) && db.prepare('SELECT 1 FROM writer_lock WHERE id = 1 AND token = ?').get(token) !== undefined;
}

export class WriteLock {
  private readonly timer: NodeJS.Timeout;
  private released = false;

  private constructor(
    /** The lock's own connection: its heartbeat and release do not wait for the writer's. */
    readonly db: Db,
    readonly dbPath: string,
    readonly token: string,
  ) {
    this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Take the lock of `dbPath` (created and migrated if need be) for `command`, or a StoreError 'LOCKED' naming the holder. */
  static acquire(dbPath: string, command: string): WriteLock {
    // an ingest killed with its indexes dropped gets them back from the ingest under this lock, not here
    const db = openDatabase(dbPath, { keepDeferredIndexes: true });
    try {
      const me = self();
      const token = randomUUID();
      const refuse = (row: LockRow) => lockedBy(dbPath, row);
      // a live holder is refused at once; the transaction decides between two that both found it free
      const seen = liveWriter(db);
      if (seen) throw refuse(seen);
      db.transaction(() => {
        const row = db.prepare('SELECT * FROM writer_lock WHERE id = 1').get() as LockRow | undefined;
        if (row && holderAlive(row)) throw refuse(row);
        const now = Date.now();
        db.prepare(
          `INSERT OR REPLACE INTO writer_lock (id, token, command, pid, host, boot_id, pid_ns, proc_start, started_ms, beat_ms)
           VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(token, command, me.pid, me.host, me.bootId, me.pidNs, me.procStart, now, now);
      }).immediate();
      // the heartbeat gives way to the writer's transactions rather than hold up this thread
      db.pragma('busy_timeout = 1000');
      return new WriteLock(db, dbPath, token);
    } catch (e) {
      db.close();
      throw asStoreError(e, dbPath, 'taking the write lock');
    }
  }

  private beat(): void {
    try {
      this.db.prepare('UPDATE writer_lock SET beat_ms = ? WHERE token = ?').run(Date.now(), this.token);
    } catch {
      // busy: the next beat comes long before anyone takes the lock for dead
    }
  }

  /**
   * Give the lock up, and leave the database in rollback-journal mode when no one else has it
   * open: readers then create no -wal and -shm files beside it (and need none on a read-only mount).
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    try {
      this.db.pragma('busy_timeout = 10000');
      this.db.prepare('DELETE FROM writer_lock WHERE token = ?').run(this.token);
      this.db.pragma('busy_timeout = 0');
      this.db.pragma('journal_mode = DELETE');
    } catch {
      // another connection has it open (a reader, a server): it stays in WAL mode; a row left behind is a dead holder's
    } finally {
      this.db.close();
    }
  }
}
