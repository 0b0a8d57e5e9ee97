// `npm run bench:pods`: how fast `kubelog pods` answers on the database of the 300 MB benchmark
// log. Reports the query time in-process (what the command adds) and the whole command's wall
// time as a subprocess (Node and oclif start-up included).
import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { openDatabase } from '../../store/db.js';
import { listPods, countPods, type PodFilter } from '../../pipeline/pods.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const log = path.join(root, 'bench-data', 'kubelet-1.28-journal-short-300MB.log');
const db = process.env.BENCH_DB ? path.resolve(process.env.BENCH_DB) : path.join(root, 'bench-data', 'ingest-bench.db');
const bin = path.join(root, 'cli/bin/run.js');

if (!existsSync(db)) {
  if (!existsSync(log)) execFileSync(process.execPath, [path.join(root, 'dist/test/bench/parse-bench.js')], { stdio: 'inherit' });
  console.error(`ingesting ${log} into ${db} …`);
  execFileSync(process.execPath, [bin, 'ingest', '-q', '--db', db, log], { stdio: 'inherit' });
}

function best(f: () => unknown, runs = 7): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    f();
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return +min.toFixed(1);
}

const d = openDatabase(db, { readonly: true });
const cases: [string, PodFilter][] = [
  ['all pods, by start', {}],
  ['--incidents', { withIncidents: true }],
  ['--sort terminating --desc --limit 20', { sort: 'terminating', desc: true, limit: 20 }],
  ['--namespace default --name "nginx-*"', { namespace: 'default', name: 'nginx-*' }],
];
const queries = cases.map(([label, f]) => ({ query: label, rows: listPods(d, f).length, total: countPods(d, f), bestMs: best(() => listPods(d, f)) }));
d.close();
const cli = ['pods', '--db', db, '--incidents', '--json'];
let cliMs = Infinity;
for (let i = 0; i < 3; i++) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...cli], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr || String(r.error));
  cliMs = Math.min(cliMs, Number(process.hrtime.bigint() - t) / 1e6);
}
console.log(JSON.stringify({ db: path.relative(root, db), queries, cli: { command: `kubelog ${cli.join(' ')}`, bestWallMs: +cliMs.toFixed(0) } }, null, 2));
