// `npm run bench:parse`: parse-only throughput on one core over a generated ~300 MB kubelet log.
// The log is generated once (samples/generator) into bench-data/ and reused.
import { existsSync, statSync, createReadStream, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { KubeletLogParser } from '../../parser/index.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const sizeMb = Number(process.env.BENCH_MB ?? 300);
const envelope = process.env.BENCH_ENVELOPE ?? 'journal-short';
const version = process.env.BENCH_VERSION ?? '1.28';
const file = path.join(root, 'bench-data', `kubelet-${version}-${envelope}-${sizeMb}MB.log`);

if (!existsSync(file)) {
  mkdirSync(path.dirname(file), { recursive: true });
  console.error(`generating ${file} …`);
  execFileSync(process.execPath, [
    path.join(root, 'dist/samples/generator/cli.js'),
    '--out', file, '--size', `${sizeMb}MB`, '--seed', '42', '--version', version, '--envelope', envelope, '--verbosity', '4',
  ], { stdio: 'inherit' });
}

const bytes = statSync(file).size;
let records = 0;
const parser = new KubeletLogParser({ year: 2024 }, (e) => {
  if (e.type === 'record') records++;
});
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) parser.push(chunk as Buffer);
const counts = parser.end();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const result = {
  file: path.relative(root, file),
  mb: +(bytes / 1e6).toFixed(1),
  seconds: +seconds.toFixed(2),
  mbPerSecond: +(bytes / 1e6 / seconds).toFixed(1),
  // CPU seconds of this process (parser thread plus V8's GC helpers): less sensitive to other load
  cpuSeconds: +cpuSeconds.toFixed(2),
  mbPerCpuSecond: +(bytes / 1e6 / cpuSeconds).toFixed(1),
  linesPerSecond: Math.round(counts.linesRead / seconds),
  lines: counts.linesRead,
  records,
  foreign: counts.foreign,
  rejected: counts.rejected,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
console.log(JSON.stringify(result, null, 2));
