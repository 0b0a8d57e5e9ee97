// The content of an input as it streams in: gzip is recognised by its magic bytes, not by a file
// name (rotated `kubelet.log-20240607` members, piped input), and then read through gunzip.
import { gunzipChunks } from './gunzip.js';

export const isGzip = (b: Buffer | null): boolean => b !== null && b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/**
 * The content bytes of `source`, through gunzip when its first two bytes are gzip's. `onKind` is
 * told which, before the first chunk (or at the end of an empty input). Errors of `source` are
 * thrown as they are; damaged gzip data as GzipDataError, after all the content before it.
 */
export async function* contentChunks(source: AsyncIterable<Buffer | string>, onKind?: (gzip: boolean) => void): AsyncGenerator<Buffer, void, undefined> {
  const it = source[Symbol.asyncIterator]();
  try {
    yield* content(it, onKind);
  } finally {
    // a reader that stops early closes the input (a FIFO, a socket) too
    await it.return?.();
  }
}

async function* content(it: AsyncIterator<Buffer | string>, onKind?: (gzip: boolean) => void): AsyncGenerator<Buffer, void, undefined> {
  const first: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < 2) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    first.push(b);
    size += b.length;
  }
  const head = first.length === 1 ? first[0]! : Buffer.concat(first);
  const gzip = isGzip(head);
  onKind?.(gzip);
  async function* all(): AsyncGenerator<Buffer, void, undefined> {
    if (head.length) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
  }
  if (gzip) yield* gunzipChunks(all());
  else yield* all();
}
