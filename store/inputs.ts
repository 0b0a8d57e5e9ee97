// What `kubelog ingest A B …` reads: files, directories (their files), globs (`kubelet.log*`,
// expanded here when the shell did not), and stdin. Rotated sets (`kubelet.log`,
// `kubelet.log-2024-06-07.1717743600`, `kubelet.log-2024-06-06.1717657200.gz`) are read oldest
// first, ordered by the time of their first record (gzip or not), not by their names.
import { createHash } from 'node:crypto';
import { promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, constants as zc } from 'node:zlib';
import { InputReadError } from './errors.js';

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

/** Expand arguments into file paths (deduplicated) and whether stdin is read. */
export async function expandArgs(args: string[]): Promise<{ files: string[]; stdin: boolean }> {
  const list = argList(args);
  const files: string[] = [];
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
  return { files: unique, stdin };
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
    let { bytesRead } = await fh.read(first, 0, first.length, 0);
    let raw: Buffer = first.subarray(0, bytesRead);
    const gzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
    let head: Buffer = raw;
    let headIsAll = bytesRead < HEAD_BYTES;
    if (gzip) {
      // decompress as much as needed for HEAD_BYTES of content
      let compressed = raw;
      let at = bytesRead;
      for (;;) {
        try {
          head = gunzipHead(compressed);
        } catch (e) {
          throw new InputReadError(`${file}: corrupt or truncated gzip data (${(e as Error).message})`, file);
        }
        if (head.length >= HEAD_BYTES || at >= stat.size) break;
        const more = Buffer.alloc(Math.min(256 * 1024, stat.size - at));
        ({ bytesRead } = await fh.read(more, 0, more.length, at));
        if (bytesRead === 0) break;
        at += bytesRead;
        compressed = Buffer.concat([compressed, more.subarray(0, bytesRead)]);
      }
      headIsAll = head.length < HEAD_BYTES && at >= stat.size;
      if (head.length > HEAD_BYTES) head = head.subarray(0, HEAD_BYTES);
    }
    return { kind: 'file', path: file, size: stat.size, mtimeMs: stat.mtimeMs, gzip, head, headIsAll };
  } catch (e) {
    if (e instanceof InputReadError) throw e;
    throw new InputReadError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  } finally {
    await fh.close();
  }
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
