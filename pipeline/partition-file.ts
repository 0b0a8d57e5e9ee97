// Records routed to the partitions of a partitioned lifecycle rebuild (lifecycle/partition.ts), in
// a scratch file beside the database: each partition's records are buffered and appended as
// segments (the block codec, with each record's number, kubelet run and node scope), and a
// partition's pass reads back its own segments in order. So the records are decoded from the
// database twice in all, not once per partition. The file is unlinked as soon as it is open: a
// killed rebuild leaves nothing behind.
import fs from 'node:fs';
import path from 'node:path';
import { decodeEntries, encodeRecord, newDeltaState, SEP, type DeltaState } from '../store/codec.js';
import type { LogRecord } from '../parser/types.js';

export interface RoutedRecord {
  record: LogRecord;
  /** The record's number in the replay. */
  index: number;
  /** Its kubelet run (KubeletRuns). */
  epoch: number;
  /** Its source's node scope, as the caller numbers them. */
  scope: number;
}

/**
 * Records all partitions buffer together before they go to the file: a partition's segment is its
 * share (at least MIN_SEGMENT_RECORDS), so that the buffers do not grow with the partitions, i.e.
 * with the pods (a fixed 1,024 a partition held ~20 MB of encoded records at 80 partitions).
 */
const BUFFERED_RECORDS = 32_768;
const MIN_SEGMENT_RECORDS = 64;
const META = 3;

interface Buffered {
  entries: string[];
  meta: number[];
  delta: DeltaState;
}

const buffered = (): Buffered => ({ entries: [], meta: [], delta: newDeltaState() });

export class PartitionFile {
  private readonly fd: number;
  private readonly file: string;
  private size = 0;
  private readonly buffers: Buffered[];
  /** Each partition's segments: where in the file, how long. */
  private readonly segments: { at: number; bytes: number }[][];
  private readonly segmentRecords: number;
  private closed = false;

  /** `near`: the database's path; its directory gets the file. */
  constructor(near: string, partitions: number) {
    this.file = path.join(path.dirname(path.resolve(near)), `.${path.basename(near)}.partitions-${process.pid}.spill`);
    this.fd = fs.openSync(this.file, 'w+', 0o600);
    try {
      fs.unlinkSync(this.file);
    } catch {
      // a system that cannot unlink an open file: close() removes it
    }
    this.segmentRecords = Math.max(MIN_SEGMENT_RECORDS, Math.floor(BUFFERED_RECORDS / partitions));
    this.buffers = Array.from({ length: partitions }, buffered);
    this.segments = Array.from({ length: partitions }, () => []);
  }

  append(part: number, record: LogRecord, index: number, epoch: number, scope: number): void {
    const b = this.buffers[part]!;
    b.entries.push(encodeRecord(b.delta, record, record.line, record.offset, undefined));
    b.meta.push(index, epoch, scope);
    if (b.entries.length >= this.segmentRecords) this.flush(part);
  }

  private flush(part: number): void {
    const b = this.buffers[part]!;
    if (b.entries.length === 0) return;
    const payload = Buffer.from(b.entries.join(SEP), 'utf8');
    const head = Buffer.alloc(8 + b.meta.length * 4);
    head.writeUInt32LE(b.entries.length, 0);
    head.writeUInt32LE(payload.length, 4);
    for (let i = 0; i < b.meta.length; i++) head.writeUInt32LE(b.meta[i]!, 8 + i * 4);
    const bytes = head.length + payload.length;
    this.write(head, this.size);
    this.write(payload, this.size + head.length);
    this.segments[part]!.push({ at: this.size, bytes });
    this.size += bytes;
    this.buffers[part] = buffered();
  }

  private write(buf: Buffer, at: number): void {
    let done = 0;
    while (done < buf.length) done += fs.writeSync(this.fd, buf, done, buf.length - done, at + done);
  }

  /** A partition's records, in the order they were appended. */
  *read(part: number): Generator<RoutedRecord> {
    this.flush(part);
    for (const seg of this.segments[part]!) {
      const buf = Buffer.alloc(seg.bytes);
      let done = 0;
      while (done < seg.bytes) {
        const n = fs.readSync(this.fd, buf, done, seg.bytes - done, seg.at + done);
        if (n === 0) throw new Error(`${this.file}: segment at ${seg.at} is cut short`);
        done += n;
      }
      const count = buf.readUInt32LE(0);
      const payloadAt = 8 + count * META * 4;
      const entries = decodeEntries(buf.toString('utf8', payloadAt, payloadAt + buf.readUInt32LE(4)));
      for (let i = 0; i < count; i++) {
        const e = entries[i]!;
        if (e.kind !== 'record') throw new Error(`${this.file}: a segment holds a ${e.kind} entry`);
        const m = 8 + i * META * 4;
        yield { record: e.record, index: buf.readUInt32LE(m), epoch: buf.readUInt32LE(m + 4), scope: buf.readUInt32LE(m + 8) };
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
  }
}
