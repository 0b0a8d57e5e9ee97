// A ChunkSpill (lifecycle/rows.ts) in a temporary file beside the database: the lifecycle rebuild's
// per-record rows leave memory, so its peak RSS does not grow with the log. The file is unlinked
// as soon as it is open, so a killed rebuild leaves nothing behind (the descriptor keeps it).
import fs from 'node:fs';
import path from 'node:path';
import type { ChunkSpill } from '../lifecycle/rows.js';

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

  write(chunk: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.byteLength) done += fs.writeSync(this.fd, bytes, done, bytes.byteLength - done, chunk * bytes.byteLength + done);
  }

  read(chunk: number, into: Uint8Array): void {
    let done = 0;
    while (done < into.byteLength) {
      const n = fs.readSync(this.fd, into, done, into.byteLength - done, chunk * into.byteLength + done);
      if (n === 0) throw new Error(`${this.file}: chunk ${chunk} was never written`);
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
