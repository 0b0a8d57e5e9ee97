// `npm run bench:profile`: what the kubelet profile (lifecycle/kubelet-profile.ts: version and -v
// per process) adds to parsing, over a generated kubelet log (generated once into bench-data/).
import { existsSync, statSync, createReadStream, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { KubeletLogParser, type LogRecord } from '../../parser/index.js';
import { KubeletProfiles } from '../../lifecycle/kubelet-profile.js';
import { ProcessTracker } from '../../lifecycle/process.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const sizeMb = Number(process.env.BENCH_MB ?? 100);
const version = process.env.BENCH_VERSION ?? '1.28';
const file = path.join(root, 'bench-data', `kubelet-${version}-journal-short-${sizeMb}MB.log`);

if (!existsSync(file)) {
  mkdirSync(path.dirname(file), { recursive: true });
  console.error(`generating ${file} …`);
  execFileSync(process.execPath, [
    path.join(root, 'dist/samples/generator/cli.js'),
    '--out', file, '--size', `${sizeMb}MB`, '--seed', '42', '--version', version, '--envelope', 'journal-short', '--verbosity', '4',
  ], { stdio: 'inherit' });
}

/** CPU seconds of one pass over the log; `onRecord` sees every record. */
async function pass(onRecord: (r: LogRecord, i: number) => void): Promise<{ cpuSeconds: number; records: number }> {
  let records = 0;
  const parser = new KubeletLogParser({ year: 2024 }, (e) => {
    if (e.type === 'record') onRecord(e.record, records++);
  });
  const cpu0 = process.cpuUsage();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) parser.push(chunk as Buffer);
  parser.end();
  const cpu = process.cpuUsage(cpu0);
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, records };
}

const parseOnly = await pass(() => {});
const tracker = new ProcessTracker();
const profiles = new KubeletProfiles();
const withProfile = await pass((r, i) => profiles.add(tracker.add(r, i), r));
const extra = withProfile.cpuSeconds - parseOnly.cpuSeconds;
const last = profiles.get(profiles.epochs().at(-1)!)!;
console.log(
  JSON.stringify(
    {
      file: path.relative(root, file),
      mb: +(statSync(file).size / 1e6).toFixed(1),
      records: parseOnly.records,
      parseCpuSeconds: +parseOnly.cpuSeconds.toFixed(2),
      parseAndProfileCpuSeconds: +withProfile.cpuSeconds.toFixed(2),
      profileMicrosecondsPerRecord: +((extra * 1e6) / parseOnly.records).toFixed(1),
      processes: profiles.epochs().length,
      callSitesOfLastProcess: last.callSites,
      version: last.version.label,
      verbosity: `${last.verbosity.kind} ${last.verbosity.level}`,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    null,
    2,
  ),
);
