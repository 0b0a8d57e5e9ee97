// Memory and time of `kubelog ingest` as the number of pod UIDs grows (issue 13, item 5: a million
// UIDs once took 2.1 GB and 78 s). BENCH_UIDS=N (default 1,000,000): a log of N pods, each with
// `SyncLoop ADD` by name and `syncPod enter` with its UID — the shape of a node that churns
// through short-lived pods. Generated once into bench-data/; the real CLI as a subprocess, its
// peak RSS from process.resourceUsage() in the child.
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadavg } from 'node:os';
import { root, runKubelog } from './child.js';

const uids = Number(process.env.BENCH_UIDS ?? 1_000_000);
const file = path.join(root, 'bench-data', `uids-${uids}.log`);
const db = path.join(root, 'bench-data', 'uids-bench.db');

/** A version-4 UUID from a counter: distinct, and looks like a pod UID. */
const uid = (i: number): string => {
  const h = i.toString(16).padStart(12, '0');
  return `8f${h.slice(0, 6)}-1c2d-4e5f-8a9b-${h}`;
};

async function generate(): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  for (let i = 0; i < uids; i++) {
    const us = 100000 + (i % 900000);
    const t = `${String(6 + Math.floor(i / 360000) % 18).padStart(2, '0')}:${String(Math.floor(i / 6000) % 60).padStart(2, '0')}:${String(Math.floor(i / 100) % 60).padStart(2, '0')}.${String(us).padStart(6, '0')}`;
    const line =
      `I0607 ${t}    1234 kubelet.go:2440] "SyncLoop ADD" source="api" pods=["default/job-${i}"]\n` +
      `I0607 ${t}    1234 pod_workers.go:1230] "syncPod enter" pod="default/job-${i}" podUID="${uid(i)}"\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

if (!existsSync(file)) await generate();
for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
const load = loadavg()[0]!.toFixed(1);
const r = await runKubelog(['ingest', '-q', '--db', db, '--year', '2024', file]);
const u = r.usage();
const pods = await runKubelog(['pods', '--db', db, '--json', '--limit', '1']);
console.log(
  JSON.stringify({
    uids,
    inputMb: +(statSync(file).size / 1e6).toFixed(1),
    seconds: +r.seconds.toFixed(1),
    peakRssMb: Math.round(u.maxRssKb / 1024),
    cpuSeconds: +((u.userUs + u.systemUs) / 1e6).toFixed(1),
    dbMb: +(statSync(db).size / 1e6).toFixed(1),
    pods: (JSON.parse(pods.stdout) as { total: number }).total,
    loadAverage: load,
  }),
);
