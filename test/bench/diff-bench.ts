// `npm run bench:diff`: `kubelog diff` of two ~300 MB generated kubelet logs' databases, the real
// CLI as a subprocess. A is the 300 MB benchmark log of bench:parse and bench:ingest (seed 42,
// node-1); B is another node's day (seed 43, node-2) that differs in known ways: its frontend pods
// take the whole 30 s grace period to terminate, more teardowns fail to kill a container, more pods
// crash-loop, and it logs a warning A never does. Each log is generated once into bench-data/ and
// ingested once into a database of its own (`kubelog ingest`, which also builds the pod
// lifecycles); delete bench-data/diff-*.db to ingest them again (after changing the lifecycle model).
//
// Reported for each command, best and median of BENCH_RUNS (default 3): wall seconds, and the
// process's peak RSS and CPU time (process.resourceUsage() in the child: KUBELOG_RUSAGE=1). The
// commands: A against B with --json and as text for people, and A against itself, where every pod
// UID is on both sides (the worst case for comparing same-UID event sequences).
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadavg } from 'node:os';
import Database from 'better-sqlite3';
import { generateLog, type GeneratorOptions } from '../../samples/generator/index.js';
import type { DiffResult } from '../../lifecycle/diff/index.js';
import { bin, root, runKubelog } from './child.js';

const data = path.join(root, 'bench-data');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const MB = 300;

const logA = path.join(data, `kubelet-1.28-journal-short-${MB}MB.log`);
const logB = path.join(data, `kubelet-1.28-journal-short-${MB}MB-node-2.log`);
const dbA = path.join(data, 'diff-a.db');
const dbB = path.join(data, 'diff-b.db');
const NEW_WARNING = 'Watch cache of pods fell behind';
const OPTS_B: GeneratorOptions = {
  targetBytes: MB * 1e6,
  seed: 43,
  node: 'node-2',
  kubeletVersion: '1.28',
  envelope: 'journal-short',
  verbosity: 4,
  workloads: [{ match: 'frontend', terminationSeconds: 30 }],
  anomalies: { killFailure: 0.1, crashLoop: 0.1 },
  extraPeriodic: [{ everySeconds: 60, message: NEW_WARNING, severity: 'W', kv: { resource: 'pods' } }],
};

mkdirSync(data, { recursive: true });
if (!existsSync(logA)) {
  // the same log as bench:parse and bench:ingest
  console.error(`generating ${logA} …`);
  execFileSync(
    process.execPath,
    [path.join(root, 'dist/samples/generator/cli.js'), '--out', logA, '--size', `${MB}MB`, '--seed', '42', '--version', '1.28', '--envelope', 'journal-short', '--verbosity', '4'],
    { stdio: 'inherit' },
  );
}
if (!existsSync(logB)) {
  console.error(`generating ${logB} …`);
  const part = `${logB}.part`;
  const out = createWriteStream(part);
  await generateLog(OPTS_B, async (chunk) => {
    if (!out.write(chunk)) await once(out, 'drain');
  });
  out.end();
  await once(out, 'close');
  renameSync(part, logB);
}
for (const [log, db] of [
  [logA, dbA],
  [logB, dbB],
] as const) {
  if (existsSync(db)) continue;
  console.error(`ingesting ${path.relative(root, log)} into ${path.relative(root, db)} …`);
  const part = `${db}.part`;
  for (const f of [part, `${part}-wal`, `${part}-shm`]) rmSync(f, { force: true });
  execFileSync(process.execPath, [bin, 'ingest', '-q', '--db', part, '--year', '2024', log], { stdio: 'inherit' });
  // one file (no write-ahead log) before it takes its name: a half-built database is never used
  const d = new Database(part);
  d.pragma('journal_mode = DELETE');
  d.close();
  renameSync(part, db);
}

interface Run {
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
  load: number;
  stdout: string;
}

async function measure(args: string[]): Promise<Run> {
  const load = loadavg()[0]!;
  const child = await runKubelog(args);
  const u = child.usage();
  return { seconds: child.seconds, peakRssMb: Math.round(u.maxRssKb / 1024), cpuSeconds: (u.userUs + u.systemUs) / 1e6, load, stdout: child.stdout };
}

const rel = (p: string) => path.relative(root, p);
const cases: Array<{ name: string; args: string[] }> = [
  { name: 'A vs B, --json', args: ['diff', rel(dbA), rel(dbB), '--json'] },
  { name: 'A vs B, text', args: ['diff', rel(dbA), rel(dbB)] },
  { name: 'A vs A, --json (every pod UID on both sides)', args: ['diff', rel(dbA), rel(dbA), '--json'] },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const report = [];
let checked: DiffResult | undefined;
for (const c of cases) {
  const all: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await measure(c.args);
    all.push(r);
    console.error(`${c.name}: run ${i + 1}/${runs} (load ${r.load.toFixed(2)}): ${r.seconds.toFixed(2)} s, peak RSS ${r.peakRssMb} MB, CPU ${r.cpuSeconds.toFixed(1)} s`);
  }
  if (c.args.includes('--json') && !checked) checked = JSON.parse(all[0]!.stdout) as DiffResult;
  report.push({
    command: `kubelog ${c.args.join(' ')}`,
    runs: all.length,
    seconds: { best: +Math.min(...all.map((r) => r.seconds)).toFixed(2), median: +median(all.map((r) => r.seconds)).toFixed(2) },
    peakRssMb: { best: Math.min(...all.map((r) => r.peakRssMb)), median: median(all.map((r) => r.peakRssMb)), max: Math.max(...all.map((r) => r.peakRssMb)) },
    cpuSeconds: { best: +Math.min(...all.map((r) => r.cpuSeconds)).toFixed(1), median: +median(all.map((r) => r.cpuSeconds)).toFixed(1) },
    load: all.map((r) => +r.load.toFixed(2)),
  });
}

// the known differences must top their sections, or the timing measures a diff that finds nothing
const d = checked!;
const facts = {
  inputMb: { a: +(statSync(logA).size / 1e6).toFixed(1), b: +(statSync(logB).size / 1e6).toFixed(1) },
  databaseMb: { a: +(statSync(dbA).size / 1e6).toFixed(1), b: +(statSync(dbB).size / 1e6).toFixed(1) },
  records: { a: d.overview.a.records, b: d.overview.b.records },
  pods: { a: d.overview.a.pods, b: d.overview.b.pods },
  topWorkload: d.lifecycle.workloads.items[0] && { workload: d.lifecycle.workloads.items[0].workload, change: d.lifecycle.workloads.items[0].changes[0]!.what },
  topAnomalies: d.lifecycle.incidents.items.slice(0, 2).map((a) => `${a.kind} ${a.a} → ${a.b}`),
  firstNewTemplate: d.messages.new.items[0]?.template,
  samePodsCompared: d.samePods.compared,
};
if (facts.topWorkload?.workload !== 'shop/frontend' || facts.firstNewTemplate !== NEW_WARNING) {
  throw new Error(`the diff of A and B does not show the differences B was generated with: ${JSON.stringify(facts)}`);
}
console.log(JSON.stringify({ a: rel(logA), b: rel(logB), ...facts, cases: report }, null, 2));
