// `node dist/test/bench/codec-bench.js [DB]`: what block compression costs and saves, on the blocks
// of a real ingest (default bench-data/ingest-bench.db, from bench:ingest). Every BENCH_EVERY-th
// block (default 4) is decompressed once, then compressed and decompressed with each candidate;
// CPU time (this thread, process.cpuUsage) and bytes are summed. The ingest's writer pays the
// compression per block, every reader of records (the lifecycle rebuild, the search index, a
// pod's page) the decompression.
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants as zc, deflateRawSync, inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { decompressBlock } from '../../store/codec.js';
import { root } from './child.js';

const dbPath = process.argv[2] ?? path.join(root, 'bench-data', 'ingest-bench.db');
const every = Number(process.env.BENCH_EVERY ?? 4);
const db = new Database(dbPath, { readonly: true });
const payloads: Buffer[] = [];
for (const row of db.prepare('SELECT id, format, data FROM blocks ORDER BY id').iterate() as Iterable<{ id: number; format: number; data: Buffer }>) {
  if (row.id % every === 0) payloads.push(Buffer.from(decompressBlock(row.data, row.format), 'utf8'));
}
db.close();
const rawBytes = payloads.reduce((a, p) => a + p.length, 0);

const brotli = (quality: number, lgwin: number) => ({
  name: `brotli q${quality} lgwin ${lgwin}`,
  compress: (b: Buffer) =>
    brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: quality, [zc.BROTLI_PARAM_LGWIN]: lgwin, [zc.BROTLI_PARAM_SIZE_HINT]: b.length, [zc.BROTLI_PARAM_MODE]: zc.BROTLI_MODE_TEXT } }),
  decompress: (b: Buffer) => brotliDecompressSync(b),
});
const deflate = (level: number) => ({ name: `deflate level ${level}`, compress: (b: Buffer) => deflateRawSync(b, { level }), decompress: (b: Buffer) => inflateRawSync(b) });
const candidates = [brotli(0, 18), brotli(1, 18), brotli(1, 22), brotli(2, 18), brotli(3, 18), brotli(4, 18), brotli(5, 18), deflate(1), deflate(6)];

const cpuMs = (fn: () => void): number => {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
};

console.error(`${payloads.length} blocks of ${dbPath} (every ${every}th), ${(rawBytes / 1e6).toFixed(1)} MB encoded`);
const rows = [];
for (const c of candidates) {
  let out: Buffer[] = [];
  const compressMs = cpuMs(() => (out = payloads.map((p) => c.compress(p))));
  const decompressMs = cpuMs(() => out.forEach((b) => c.decompress(b)));
  const bytes = out.reduce((a, b) => a + b.length, 0);
  rows.push({ codec: c.name, ratio: +(bytes / rawBytes).toFixed(4), mb: +(bytes / 1e6).toFixed(1), compressMsPerMb: +(compressMs / (rawBytes / 1e6)).toFixed(2), decompressMsPerMb: +(decompressMs / (rawBytes / 1e6)).toFixed(2) });
  console.error(JSON.stringify(rows.at(-1)));
}
console.log(JSON.stringify({ db: dbPath, blocks: payloads.length, encodedMb: +(rawBytes / 1e6).toFixed(1), rows }, null, 2));
