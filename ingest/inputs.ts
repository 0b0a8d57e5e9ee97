// What `kubelog ingest A B …` reads: files, directories (their files), globs (`kubelet.log*`,
// expanded here when the shell did not), stdin, and files that are streams (a FIFO, `<(cmd)`),
// which are read like stdin. Rotated sets (`kubelet.log`,
// `kubelet.log-2024-06-07.1717743600`, `kubelet.log-2024-06-06.1717657200.gz`) are read oldest
// first, ordered by the time of their first record (gzip or not), not by their names.
import { createHash } from 'node:crypto';
import { constants as fc, createReadStream, fstatSync, openSync, promises as fs, realpathSync, type Stats } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { isatty, ReadStream as TtyReadStream } from 'node:tty';
import path from 'node:path';
import { gunzipSync, constants as zc } from 'node:zlib';
import { GzipDataError } from './gunzip.js';
import { InputReadError } from './input-error.js';
import { contentChunks, isGzip } from './peek.js';
import type { SiblingTimes } from './sibling-times.js';
import type { YearSource, ZoneSource } from '../parser/index.js';

/** Bytes of content (after gunzip) that identify a source. */
export const HEAD_BYTES = 64 * 1024;

export interface FileInput {
  kind: 'file';
  path: string;
  size: number;
  mtimeMs: number;
  gzip: boolean;
  /** The first min(HEAD_BYTES, content length) content bytes. */
  head: Buffer;
  /** Content shorter than HEAD_BYTES: the head is all of it. */
  headIsAll: boolean;
  firstTimeUs?: number;
  host?: string;
  year?: { value: number; from: YearSource };
  zone?: { value: string; from: ZoneSource };
  /** The year and zone another input of the same node states, for a file whose lines state none. */
  sibling?: SiblingTimes;
}

export interface StdinInput {
  kind: 'stdin';
}

export type Input = FileInput | StdinInput;

const GLOB = /[*?[]/;
const SKIP = /(?:\.db|\.db-wal|\.db-shm|\.db-journal|\.sqlite)$/;

function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let cls = pattern.slice(i + 1, close);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += '[' + cls.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

async function filesOfDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await fs.readdir(dir, { withFileTypes: true })) {
    if (ent.name.startsWith('.') || SKIP.test(ent.name)) continue;
    const p = path.join(dir, ent.name);
    if (ent.isFile() || (ent.isSymbolicLink() && (await fs.stat(p).catch(() => undefined))?.isFile())) out.push(p);
  }
  return out;
}

/** The arguments as read: none means stdin. */
const argList = (args: string[]): string[] => (args.length ? args : ['-']);

/** Whether the arguments read stdin (none, or `-` among them). */
export const readsStdin = (args: string[]): boolean => argList(args).includes('-');

/**
 * Files that are streams: a FIFO (`mkfifo`, the `/dev/fd/63` of `<(journalctl …)`), a socket, a
 * terminal or another character device. They cannot be seeked or read ahead (their head, their
 * hash) and are read once, like stdin.
 */
export const isStreamFile = (st: Stats): boolean => st.isFIFO() || st.isSocket() || st.isCharacterDevice();

/**
 * Open a stream file for reading without tying up a thread: a FIFO opened the usual way blocks in
 * open() until a writer comes, and a blocked thread-pool thread keeps the process from exiting,
 * even on Ctrl-C. Opened non-blocking, a FIFO (or a terminal) is polled like stdin: it waits for
 * its writer, ends when the writer closes, and can be closed at any moment.
 */
export function openStreamFile(file: string): Readable {
  let fd: number;
  try {
    fd = openSync(file, fc.O_RDONLY | fc.O_NONBLOCK);
  } catch (e) {
    throw new InputReadError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  }
  if (isatty(fd)) return new TtyReadStream(fd);
  // a FIFO or socket becomes a libuv pipe; any other character device (/dev/zero) never blocks
  return fdIsPipe(fd) ? new Socket({ fd, readable: true, writable: false }) : createReadStream('', { fd, highWaterMark: 1 << 20 });
}

function fdIsPipe(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

/** Expand arguments into file paths (deduplicated), stream files, and whether stdin is read. */
export async function expandArgs(args: string[]): Promise<{ files: string[]; streams: string[]; stdin: boolean }> {
  const list = argList(args);
  const files: string[] = [];
  const streams: string[] = [];
  let stdin = false;
  for (const arg of list) {
    if (arg === '-') {
      stdin = true;
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(arg);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && GLOB.test(path.basename(arg))) {
        const dir = path.dirname(arg);
        if (GLOB.test(dir)) throw new InputReadError(`${arg}: only the file name part of a pattern may contain * ? [ ]`, arg);
        const re = globRegex(path.basename(arg));
        let names: string[];
        try {
          names = (await filesOfDir(dir)).filter((p) => re.test(path.basename(p)));
        } catch (e2) {
          throw new InputReadError(`${arg}: cannot list ${dir} (${(e2 as NodeJS.ErrnoException).code ?? (e2 as Error).message})`, arg);
        }
        if (!names.length) throw new InputReadError(`${arg}: no file matches`, arg);
        files.push(...names);
        continue;
      }
      throw new InputReadError(`${arg}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot be read (${code ?? (e as Error).message})`}`, arg);
    }
    if (stat.isDirectory()) {
      let names: string[];
      try {
        names = await filesOfDir(arg);
      } catch (e) {
        throw new InputReadError(`${arg}: cannot list the directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, arg);
      }
      if (!names.length) throw new InputReadError(`${arg}: the directory has no log files`, arg);
      files.push(...names);
    } else if (isStreamFile(stat)) {
      if (!streams.includes(arg)) streams.push(arg);
    } else files.push(arg);
  }
  const seen = new Set<string>();
  const unique = files.filter((f) => {
    let real: string;
    try {
      real = realpathSync(f);
    } catch {
      real = path.resolve(f);
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
  return { files: unique, streams, stdin };
}

/** Decompress the start of a gzip stream (as much as `compressed` holds). */
export function gunzipHead(compressed: Buffer): Buffer {
  return gunzipSync(compressed, { finishFlush: zc.Z_SYNC_FLUSH });
}

/** The content head of a file: its first HEAD_BYTES bytes, through gunzip when it is gzip. */
export async function readFileHead(file: string): Promise<FileInput> {
  let fh;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputReadError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (e as Error).message})`}`, file);
  }
  try {
    const stat = await fh.stat();
    if (stat.isDirectory()) throw new InputReadError(`${file}: is a directory`, file);
    const first = Buffer.alloc(Math.min(HEAD_BYTES, Math.max(stat.size, 2)));
    const { bytesRead } = await fh.read(first, 0, first.length, 0);
    const raw: Buffer = first.subarray(0, bytesRead);
    const gzip = isGzip(raw);
    let head: Buffer = raw;
    let headIsAll = bytesRead < HEAD_BYTES;
    if (gzip) ({ head, headIsAll } = await gzipHead(file));
    return { kind: 'file', path: file, size: stat.size, mtimeMs: stat.mtimeMs, gzip, head, headIsAll };
  } catch (e) {
    if (e instanceof InputReadError) throw e;
    throw new InputReadError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  } finally {
    await fh.close();
  }
}

/**
 * The first HEAD_BYTES of a gzip file's content, read as the parse worker reads it: damaged data
 * ends the content (a cut file is identified by what it holds), unless there is none before it.
 */
async function gzipHead(file: string): Promise<{ head: Buffer; headIsAll: boolean }> {
  const parts: Buffer[] = [];
  let len = 0;
  try {
    for await (const chunk of contentChunks(createReadStream(file, { highWaterMark: 256 * 1024 }))) {
      parts.push(chunk);
      len += chunk.length;
      if (len >= HEAD_BYTES) return { head: Buffer.concat(parts).subarray(0, HEAD_BYTES), headIsAll: false };
    }
  } catch (e) {
    if (!(e instanceof GzipDataError)) throw e;
    if (e.contentOffset === 0) throw new InputReadError(`${file}: ${e.message}`, file);
  }
  return { head: Buffer.concat(parts), headIsAll: true };
}

export const sha256 = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Oldest content first; inputs without a time keep their modification-time order. */
export function orderByContentTime(inputs: FileInput[]): FileInput[] {
  return [...inputs].sort((a, b) => {
    const ta = a.firstTimeUs ?? a.mtimeMs * 1000;
    const tb = b.firstTimeUs ?? b.mtimeMs * 1000;
    return ta - tb || a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path);
  });
}
