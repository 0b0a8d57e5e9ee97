// Gunzip for reading logs, where a damaged file must still give everything before the damage.
// Piping into zlib's stream loses data: when it fails (a cut .gz: "unexpected end of file"), it
// destroys itself and whatever it had decoded but not yet handed on, up to a MiB or so, at random.
// Here compressed bytes go in 64 KiB at a time and every decoded byte is handed to the reader
// before the failure is: the reader sees all the content up to the damage, then GzipDataError.
import { createGunzip } from 'node:zlib';

/** Compressed bytes written to zlib at a time: bounds what one step decodes (≤ ~1000×). */
const PIECE = 64 * 1024;

export class GzipDataError extends Error {
  constructor(
    /** The stream ends before the end of its gzip data (a cut file), rather than being corrupt. */
    readonly truncated: boolean,
    /** Compressed bytes read before the failure (the file's size, for a cut file). */
    readonly compressedOffset: number,
    /** Content bytes decoded before it. */
    readonly contentOffset: number,
    readonly detail: string,
  ) {
    super(
      truncated
        ? `gzip data is truncated: the file ends at byte ${compressedOffset} (after ${contentOffset} bytes of content) before the end of its gzip stream`
        : `corrupt gzip data near byte ${compressedOffset} (after ${contentOffset} bytes of content): ${detail}`,
    );
  }
}

/**
 * The content of a gzip stream (gzip members one after another, as `cat a.gz b.gz`), chunk by
 * chunk. A read error of `source` is thrown as it is; damaged gzip data as GzipDataError, after
 * every byte decoded before it.
 */
export async function* gunzipChunks(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  const z = createGunzip({ chunkSize: 256 << 10 });
  const decoded: Buffer[] = [];
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  // flowing, never paused: zlib hands each decoded chunk over as it makes it, so nothing is left
  // inside it to be lost when it fails; the pace is set by writing one piece at a time
  z.on('data', (b: Buffer) => decoded.push(b));
  z.on('error', (e) => {
    failure = e;
    signal();
  });
  z.on('end', () => {
    ended = true;
    signal();
  });
  let content = 0;
  const fail = () => {
    const e = failure as NodeJS.ErrnoException;
    return new GzipDataError(e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message), z.bytesWritten, content, e.message);
  };
  const write = (piece: Buffer) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      z.write(piece, () => signal());
    });
  try {
    for await (const chunk of source) {
      for (let at = 0; at < chunk.length && !failure; at += PIECE) {
        await write(at === 0 && chunk.length <= PIECE ? chunk : chunk.subarray(at, at + PIECE));
        for (let b = decoded.shift(); b; b = decoded.shift()) {
          content += b.length;
          yield b;
        }
      }
      if (failure) break;
    }
    if (!failure) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (ended || failure) signal();
        z.end();
      });
    }
    // 'end' follows the last 'data'; after 'error' nothing more comes
    for (let b = decoded.shift(); b; b = decoded.shift()) {
      content += b.length;
      yield b;
    }
    if (failure) throw fail();
  } finally {
    z.destroy();
  }
}
