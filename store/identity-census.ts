// A scratch database beside the real one, for a lifecycle rebuild of more pods than memory should
// hold: which partition each pod UID is in, and which UID each container ID was first seen with
// (lifecycle/partition.ts). It lives only as long as the rebuild; SQLite refuses to write to a file
// unlinked while open, so the file of a killed rebuild is removed by the next one: a rebuild holds
// the database's write lock, so any other census file of this database is a leftover.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export class IdentityCensus {
  private readonly db: Database.Database;
  private readonly addUid: Database.Statement;
  private readonly nameUid: Database.Statement;
  private readonly addContainer: Database.Statement;
  private readonly uidPart: Database.Statement;
  private readonly containerPart: Database.Statement;
  private pendingWrites = 0;
  private readonly file?: string;

  /** `near`: the database's path (its directory gets the scratch file), or null for one in memory. */
  constructor(near: string | null) {
    if (near === null) this.db = new Database(':memory:');
    else {
      const dir = path.dirname(path.resolve(near));
      const prefix = `.${path.basename(near)}.census-`;
      removeLeftovers(dir, prefix);
      this.file = path.join(dir, `${prefix}${process.pid}.db`);
      this.db = new Database(this.file);
    }
    // nothing to recover after a crash: the next rebuild starts a census of its own. (journal_mode
    // OFF is refused in better-sqlite3's defensive mode; MEMORY would hold a large transaction's
    // pages in memory: the journal stays on disk.)
    this.db.pragma('synchronous = OFF');
    this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.exec(`CREATE TABLE uids (uid TEXT PRIMARY KEY, part INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE containers (id TEXT PRIMARY KEY, uid TEXT NOT NULL) WITHOUT ROWID;`);
    this.addUid = this.db.prepare('INSERT OR IGNORE INTO uids (uid, part) VALUES (?, ?)');
    // the last name a UID is paired with decides (as NameIndex.namesOfUids does)
    this.nameUid = this.db.prepare('INSERT INTO uids (uid, part) VALUES (?, ?) ON CONFLICT (uid) DO UPDATE SET part = excluded.part');
    this.addContainer = this.db.prepare('INSERT OR IGNORE INTO containers (id, uid) VALUES (?, ?)');
    this.uidPart = this.db.prepare('SELECT part FROM uids WHERE uid = ?').pluck();
    this.containerPart = this.db.prepare('SELECT u.part FROM containers c JOIN uids u ON u.uid = c.uid WHERE c.id = ?').pluck();
    this.db.exec('BEGIN');
  }

  /** A UID seen, in the partition of its own hash unless a name pairing places it. */
  uid(uid: string, part: number): void {
    this.addUid.run(uid, part);
    this.wrote();
  }

  /** A UID paired with a name of partition `part`. */
  namedUid(uid: string, part: number): void {
    this.nameUid.run(uid, part);
    this.wrote();
  }

  /** A container ID paired with a UID (the first pairing holds, as in the joins). */
  container(id: string, uid: string): void {
    this.addContainer.run(id, uid);
    this.wrote();
  }

  private wrote(): void {
    // one transaction per 100,000 writes: a scratch file needs no more durability than that
    if (++this.pendingWrites < 100_000) return;
    this.db.exec('COMMIT; BEGIN');
    this.pendingWrites = 0;
  }

  /** Ends the census: what follows only looks up. */
  seal(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  partOfUid(uid: string): number | undefined {
    return this.uidPart.get(uid) as number | undefined;
  }

  /** The partition of the UID a container ID was first paired with. */
  partOfContainer(id: string): number | undefined {
    return this.containerPart.get(id) as number | undefined;
  }

  close(): void {
    if (!this.db.open) return;
    this.db.close();
    if (this.file) for (const f of [this.file, `${this.file}-journal`]) fs.rmSync(f, { force: true });
  }
}

/** Census files of rebuilds that were killed (the caller holds the write lock: no other rebuild runs). */
function removeLeftovers(dir: string, prefix: string): void {
  for (const f of fs.readdirSync(dir)) if (f.startsWith(prefix) && /^\d+\.db(?:-journal)?$/.test(f.slice(prefix.length))) fs.rmSync(path.join(dir, f), { force: true });
}
