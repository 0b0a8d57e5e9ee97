// lnav on the same file, for the ingest benchmark's ratios (issue 16): its open and count of every
// line, and one per-pod question (the lines naming a pod UID), against kubelog's ingest and its
// `kubelog pod UID`. lnav is optional: absent (`apt-get install lnav`), the ratios are left out.
import { spawnSync } from 'node:child_process';

export interface LnavFigures {
  version: string;
  /** `lnav -n -c ';SELECT count(*) FROM all_logs' FILE`: wall seconds, and the count it printed. */
  openCount: { seconds: number; lines: number };
  /** `… WHERE log_body LIKE '%UID%'`: wall seconds (the open included), and the lines it counted. */
  podQuery: { seconds: number; lines: number; uid: string };
}

function lnavCount(file: string, sql: string): { seconds: number; lines: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('lnav', ['-n', '-c', `;${sql}`, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const seconds = +(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2);
  if (r.status !== 0) throw new Error(`lnav exited ${r.status}: ${r.stderr}`);
  const n = /(\d+)\s*$/.exec(r.stdout.trim());
  return { seconds, lines: n ? Number(n[1]) : NaN };
}

export function lnavFigures(file: string, uid: string): LnavFigures | undefined {
  const v = spawnSync('lnav', ['-V'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return undefined;
  if (!/^[0-9a-f-]{36}$/.test(uid)) throw new Error(`not a pod UID: ${uid}`);
  return {
    version: v.stdout.trim(),
    openCount: lnavCount(file, 'SELECT count(*) AS n FROM all_logs'),
    podQuery: { ...lnavCount(file, `SELECT count(*) AS n FROM all_logs WHERE log_body LIKE '%${uid}%'`), uid },
  };
}
