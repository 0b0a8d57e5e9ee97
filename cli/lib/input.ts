// Opening inputs: a path, or `-` / nothing for stdin. Gzip is recognised by its magic bytes, not
// the file name, so rotated `kubelet.log-20240607.gz` and a piped `zcat`-less stream both work.
// A FIFO or other stream file is read like stdin (ingest/inputs.ts opens it without blocking).
import { createReadStream, promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { contentChunks } from '../../ingest/peek.js';
import { GzipDataError } from '../../ingest/gunzip.js';
import { isStreamFile, openStreamFile } from '../../ingest/inputs.js';
import { InputReadError } from '../../ingest/input-error.js';

export interface OpenedInput {
  /** `-` for stdin. */
  name: string;
  /** The content (after gunzip); errors are InputErrors naming the input. */
  chunks: AsyncIterable<Buffer>;
  /** Year of the file's modification time: the last resort for yearless timestamps. */
  mtimeYear?: number;
  size?: number;
}

export class InputError extends Error {
  /** Damaged gzip data: everything before the damage was read. */
  constructor(
    message: string,
    readonly gzip?: GzipDataError,
  ) {
    super(message);
  }
}

export async function openInput(name: string): Promise<OpenedInput> {
  if (name === '-') return { name, chunks: content(process.stdin, name) };
  let stat;
  try {
    stat = await fs.stat(name);
  } catch (e) {
    throw new InputError(`${name}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (stat.isDirectory()) throw new InputError(`${name}: is a directory (give the log files inside it)`);
  if (isStreamFile(stat)) {
    try {
      return { name, chunks: content(openStreamFile(name), name) };
    } catch (e) {
      throw new InputError(e instanceof InputReadError ? e.message : `${name}: ${(e as Error).message}`);
    }
  }
  try {
    await (await fs.open(name, 'r')).close();
  } catch (e) {
    throw new InputError(`${name}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const stream = createReadStream(name, { highWaterMark: 1 << 20 });
  return { name, chunks: content(stream, name), mtimeYear: stat.mtime.getFullYear(), size: stat.size };
}

/** The content of `source`, with errors that name the input. */
async function* content(source: Readable, name: string): AsyncGenerator<Buffer, void, undefined> {
  try {
    yield* contentChunks(source);
  } catch (e) {
    if (e instanceof GzipDataError) throw new InputError(`${name}: ${e.message}`, e);
    throw new InputError(`${name}: ${(e as Error).message}`);
  }
}
