// A ChunkSpill (lifecycle/rows.ts) in a temporary file beside the database: the lifecycle rebuild's
// per-record rows leave memory, so its peak RSS does not grow with the log. The file is unlinked
// as soon as it is open, so a killed rebuild leaves nothing behind (the descriptor keeps it).
import fs from 'node:fs';
import path from 'node:path';
import type { ChunkSpill, Spills } from '../lifecycle/rows.js';

export class SpillFile implements ChunkSpill {
  private readonly fd: number;
  private readonly file: string;
  private closed = false;

  /** `near`: a path whose directory gets the file (the database's: /tmp may be memory). */
  constructor(near: string, name: string) {
    this.file = path.join(path.dirname(path.resolve(near)), `.${path.basename(near)}.${name}-${process.pid}.spill`);
    this.fd = fs.openSync(this.file, 'w+', 0o600);
    try {
      fs.unlinkSync(this.file);
    } catch {
      // a system that cannot unlink an open file: close() removes it
    }
  }

  write(at: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.byteLength) done += fs.writeSync(this.fd, bytes, done, bytes.byteLength - done, at + done);
  }

  read(at: number, into: Uint8Array): void {
    let done = 0;
    while (done < into.byteLength) {
      const n = fs.readSync(this.fd, into, done, into.byteLength - done, at + done);
      if (n === 0) throw new Error(`${this.file}: bytes ${at + done}–${at + into.byteLength} were never written`);
      done += n;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
  }
}

/** One SpillFile per name, beside the database, opened when first asked for; close() closes them all. */
export class SpillFiles {
  private readonly files = new Map<string, SpillFile>();

  constructor(private readonly near: string) {}

  readonly spills: Spills = (name) => {
    let f = this.files.get(name);
    if (!f) this.files.set(name, (f = new SpillFile(this.near, name)));
    return f;
  };

  close(): void {
    for (const f of this.files.values()) f.close();
    this.files.clear();
  }
}
