// Opening inputs: a path, or `-` / nothing for stdin. Gzip is recognised by its magic bytes, not
// the file name, so rotated `kubelet.log-20240607.gz` and a piped `zcat`-less stream both work.
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { PassThrough, type Readable } from 'node:stream';
import { isGzip, readFirstChunk } from '../../store/peek.js';

export interface OpenedInput {
  /** `-` for stdin. */
  name: string;
  stream: Readable;
  /** Year of the file's modification time: the last resort for yearless timestamps. */
  mtimeYear?: number;
  size?: number;
}

export class InputError extends Error {}

export async function openInput(name: string): Promise<OpenedInput> {
  if (name === '-') return { name, stream: await maybeGunzip(process.stdin, name) };
  let stat;
  try {
    stat = await fs.stat(name);
  } catch (e) {
    throw new InputError(`${name}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (stat.isDirectory()) throw new InputError(`${name}: is a directory (give the log files inside it)`);
  try {
    await (await fs.open(name, 'r')).close();
  } catch (e) {
    throw new InputError(`${name}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const stream = createReadStream(name, { highWaterMark: 1 << 20 });
  return { name, stream: await maybeGunzip(stream, name), mtimeYear: stat.mtime.getFullYear(), size: stat.size };
}

/** Peek at the first bytes; pipe through gunzip when they are gzip's magic number. */
async function maybeGunzip(source: Readable, name: string): Promise<Readable> {
  let first: Buffer | null;
  try {
    first = await readFirstChunk(source);
  } catch (e) {
    throw new InputError(`${name}: ${(e as Error).message}`);
  }
  const head = new PassThrough({ highWaterMark: 1 << 20 });
  if (first === null) {
    head.end();
    return head;
  }
  head.write(first);
  const gz = isGzip(first);
  // Errors must reach the consumer as InputErrors naming the file (a read error must not hang it,
  // corrupt gzip must say so). pipe() does not forward errors, so each stage reports its own.
  if (!gz) {
    source.on('error', (e) => head.destroy(new InputError(`${name}: ${e.message}`)));
    source.pipe(head);
    return head;
  }
  const gunzip = createGunzip();
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  source.on('error', (e) => out.destroy(new InputError(`${name}: ${e.message}`)));
  gunzip.on('error', (e) => out.destroy(new InputError(`${name}: corrupt or truncated gzip data (${e.message})`)));
  source.pipe(head).pipe(gunzip).pipe(out);
  return out;
}
