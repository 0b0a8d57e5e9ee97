// The first chunk of a stream, without consuming it for good: gzip is recognised by its magic
// bytes, not by a file name (rotated `kubelet.log-20240607` members, piped input).
import type { Readable } from 'node:stream';

/** Resolves with the first chunk (null for an empty stream); rejects with the stream's error. */
export function readFirstChunk(source: Readable): Promise<Buffer | null> {
  return new Promise<Buffer | null>((resolve, reject) => {
    const onReadable = () => {
      cleanup();
      resolve(source.read() as Buffer | null);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      source.off('readable', onReadable);
      source.off('end', onEnd);
      source.off('error', onError);
    };
    source.once('readable', onReadable);
    source.once('end', onEnd);
    source.once('error', onError);
  });
}

export const isGzip = (b: Buffer | null): boolean => b !== null && b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
