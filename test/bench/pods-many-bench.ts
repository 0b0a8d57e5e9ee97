// `npm run bench:pods-many`: peak RSS and time of the real `kubelog pods` and `kubelog pods --json`
// on databases of many pods (BENCH_PODS, default 150000 and 1000000), built row by row
// (many-pods-db.ts) into bench-data/pods-N.db. Their output is counted, not kept: the point is the
// command's memory, which must not grow with the pods it prints.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { bin, root, type Usage } from './child.js';
import { writeManyPods } from './many-pods-db.js';

const counts = (process.env.BENCH_PODS ?? '150000,1000000').split(',').map(Number);

/** Run kubelog, count its stdout, and read the peak RSS it reports at exit (KUBELOG_RUSAGE=1). */
function measure(args: string[]): Promise<{ seconds: number; outMB: number; lines: number; maxRssMB: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, KUBELOG_RUSAGE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let lines = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`kubelog ${args.join(' ')} exited ${code}: ${err}`));
      const usage = JSON.parse(/kubelog-rusage (.*)/.exec(err)![1]!) as Usage;
      resolve({ seconds: +(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2), outMB: +(bytes / 1e6).toFixed(1), lines, maxRssMB: Math.round(usage.maxRssKb / 1024) });
    });
  });
}

const results = [];
for (const n of counts) {
  const db = path.join(root, 'bench-data', `pods-${n}.db`);
  if (!existsSync(db)) {
    mkdirSync(path.dirname(db), { recursive: true });
    const t = Date.now();
    writeManyPods(db, n);
    console.error(`wrote ${n} pods into ${path.relative(root, db)} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  for (const args of [['pods', '--db', db], ['pods', '--db', db, '--json']]) {
    const r = await measure(args);
    results.push({ pods: n, command: `kubelog ${args.join(' ').replace(root + '/', '')}`, ...r });
    console.error(JSON.stringify(results[results.length - 1]));
  }
}
console.log(JSON.stringify(results, null, 2));
