// `npm run bench:ingest`: end-to-end `kubelog ingest` of a generated ~300 MB kubelet log into a
// fresh database, the real CLI as a subprocess. Reports MB/s (wall), the process's peak RSS
// (worker threads included, from process.resourceUsage() in the child: KUBELOG_RUSAGE=1), its CPU
// time, and the database size relative to the input — for the ingest itself (ingest/ingest.ts:
// reading, parsing, storing), until the pods are queryable (the pod lifecycles rebuilt over the
// database and stored: the CLI's `kubelog-rusage-lifecycles` mark, pipeline/runs.ts) and for
// the whole command, which then builds the full-text and secondary indexes. The log is generated
// once into bench-data/ (the same file as bench:parse). BENCH_MB / BENCH_VERSION / BENCH_ENVELOPE choose another log, BENCH_RUNS repeats
// the ingest (the machine is shared: the best and the median are reported). BENCH_BLANK_LINES=N
// ingests a file of N blank lines instead (memory per foreign line: it must not grow with N).
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadavg } from 'node:os';
import Database from 'better-sqlite3';
import { root, runKubelog, type Usage } from './child.js';
import { lnavFigures } from './lnav.js';

const sizeMb = Number(process.env.BENCH_MB ?? 300);
const envelope = process.env.BENCH_ENVELOPE ?? 'journal-short';
const version = process.env.BENCH_VERSION ?? '1.28';
const runs = Number(process.env.BENCH_RUNS ?? 1);
const blankLines = Number(process.env.BENCH_BLANK_LINES ?? 0);
const file = path.join(root, 'bench-data', blankLines ? `blank-${blankLines}.log` : `kubelet-${version}-${envelope}-${sizeMb}MB.log`);
const db = path.join(root, 'bench-data', 'ingest-bench.db');

if (blankLines && !existsSync(file)) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '\n'.repeat(blankLines));
} else if (!existsSync(file)) {
  mkdirSync(path.dirname(file), { recursive: true });
  console.error(`generating ${file} …`);
  execFileSync(
    process.execPath,
    [path.join(root, 'dist/samples/generator/cli.js'), '--out', file, '--size', `${sizeMb}MB`, '--seed', '42', '--version', version, '--envelope', envelope, '--verbosity', '4'],
    { stdio: 'inherit' },
  );
}

interface Phase {
  seconds: number;
  mbPerSecond: number;
  peakRssMb: number;
  cpuSeconds: number;
}

interface Run {
  /** Reading, parsing and storing (until ingest/ingest.ts returns). */
  ingest: Phase;
  /** Until the pods are queryable: the records stored, then the pod lifecycles. */
  pods: Phase;
  /** The whole command: ingest, the pod lifecycles rebuilt over the database, then the search and secondary indexes. */
  command: Phase;
  dbMb: number;
  dbToInput: number;
  /** The database without the lifecycle model's tables: records, blocks and their indexes, full-text index included. */
  storeMb: number;
  storeToInput: number;
  records: number;
  linesRead: number;
  load: number;
}

// what the lifecycle rebuild writes (0002, 0004, 0005, 0007): the rest is the ingest's store
const LIFECYCLE_TABLES = ['pods', 'phases', 'incidents', 'kubelet_processes', 'node_events', 'pod_events', 'event_types', 'lifecycle_runs', 'message_counts', 'record_facts'];

async function once(): Promise<Run> {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const load = loadavg()[0]!;
  const child = await runKubelog(['ingest', '--json', '--db', db, '--year', '2024', file]);
  const seconds = child.seconds;
  const atIngest = child.usage('kubelog-rusage-ingest');
  const atPods = child.usage('kubelog-rusage-lifecycles');
  const atExit = child.usage();
  const result = JSON.parse(child.stdout) as { totals: { records: number; linesRead: number } };
  const input = statSync(file).size;
  const size = statSync(db).size + (existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0);
  const d = new Database(db, { readonly: true });
  const lifecycleBytes = (
    d.prepare(`SELECT coalesce(sum(pgsize), 0) AS n FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name IN (${LIFECYCLE_TABLES.map(() => '?').join(',')}))`).get(...LIFECYCLE_TABLES) as { n: number }
  ).n;
  d.close();
  const phase = (u: Usage, secs: number): Phase => ({
    seconds: +secs.toFixed(2),
    mbPerSecond: +(input / 1e6 / secs).toFixed(1),
    peakRssMb: Math.round(u.maxRssKb / 1024),
    cpuSeconds: +((u.userUs + u.systemUs) / 1e6).toFixed(1),
  });
  return {
    ingest: phase(atIngest, atIngest.atMs / 1000),
    pods: phase(atPods, atPods.atMs / 1000),
    command: phase(atExit, seconds),
    dbMb: +(size / 1e6).toFixed(1),
    dbToInput: +(size / input).toFixed(3),
    storeMb: +((size - lifecycleBytes) / 1e6).toFixed(1),
    storeToInput: +((size - lifecycleBytes) / input).toFixed(3),
    records: result.totals.records,
    linesRead: result.totals.linesRead,
    load: +load.toFixed(2),
  };
}

const all: Run[] = [];
for (let i = 0; i < runs; i++) {
  const r = await once();
  all.push(r);
  console.error(
    `run ${i + 1}/${runs} (load ${r.load}): ingest ${r.ingest.mbPerSecond} MB/s, ${r.ingest.seconds} s, peak RSS ${r.ingest.peakRssMb} MB, CPU ${r.ingest.cpuSeconds} s, ` +
      `store ${r.storeToInput}× input; pods queryable at ${r.pods.seconds} s (${r.pods.mbPerSecond} MB/s); whole command ${r.command.mbPerSecond} MB/s, ${r.command.seconds} s, peak RSS ${r.command.peakRssMb} MB, db ${r.dbToInput}× input`,
  );
}
const bySpeed = [...all].sort((a, b) => b.ingest.mbPerSecond - a.ingest.mbPerSecond);

// beside lnav on the same file: its open + count against the whole ingest, and the busiest pod's
// lines against `kubelog pod` of that pod (its phases, incidents and every event)
const busiest = new Database(db, { readonly: true }).prepare('SELECT uid FROM pods WHERE uid IS NOT NULL ORDER BY events DESC LIMIT 1').pluck().get() as string | undefined;
const pod = busiest === undefined ? undefined : await runKubelog(['pod', '--json', '--db', db, busiest]);
const kubelogPod = pod ? { uid: busiest, seconds: +pod.seconds.toFixed(2), peakRssMb: Math.round(pod.usage().maxRssKb / 1024) } : undefined;
const lnav = busiest === undefined ? undefined : lnavFigures(file, busiest);
const median = bySpeed[Math.floor((bySpeed.length - 1) / 2)]!;
console.log(
  JSON.stringify(
    {
      command: `kubelog ingest --db bench-data/ingest-bench.db --year 2024 ${path.relative(root, file)}`,
      inputMb: +(statSync(file).size / 1e6).toFixed(1),
      runs: all.length,
      best: bySpeed[0],
      median,
      maxIngestPeakRssMb: Math.max(...all.map((r) => r.ingest.peakRssMb)),
      maxCommandPeakRssMb: Math.max(...all.map((r) => r.command.peakRssMb)),
      kubelogPod,
      lnav: lnav ?? 'not installed',
      ...(lnav
        ? {
            ratios: {
              wholeIngestToLnavOpenCount: +(median.command.seconds / lnav.openCount.seconds).toFixed(1),
              podsQueryableToLnavOpenCount: +(median.pods.seconds / lnav.openCount.seconds).toFixed(1),
              kubelogPodToLnavPodQuery: +(kubelogPod!.seconds / lnav.podQuery.seconds).toFixed(2),
            },
          }
        : {}),
    },
    null,
    2,
  ),
);
