// A database of N pods built row by row (no log behind them): `kubelog pods` on 150k or a million
// pods, which a log would take gigabytes to give. No records either: its lifecycles are current
// (those of zero stored records, store/lifecycle-state.ts). The rows look like a busy node's: workloads in a
// dozen namespaces, one to three phases each (a quarter still running when the log ends), one pod in ten with an
// incident. Seeded: the same N gives
// the same rows.
import { openDatabase } from '../../store/db.js';

const NAMESPACES = ['default', 'kube-system', 'shop', 'payments', 'monitoring', 'ingress-nginx', 'batch', 'ml-training', 'logging', 'cert-manager', 'istio-system', 'search'];
const WORKLOADS = ['frontend', 'checkout', 'cart', 'api-gateway', 'worker', 'redis', 'postgres-exporter', 'fluent-bit', 'node-exporter', 'coredns', 'trainer', 'indexer'];
// incident kinds with their severities (0 critical … 3 info, as pipeline/rebuild.ts numbers them)
const INCIDENTS: Array<[string, number]> = [['stuck-terminating', 0], ['grace-exceeded', 1], ['kill-failed', 0], ['sync-error', 2], ['torn-down-twice', 2], ['probe-restart', 2]];

/** Write `n` pods into a new database at `dbPath`. */
export function writeManyPods(dbPath: string, n: number, seed = 1): void {
  let s = seed | 0;
  const rand = (k: number): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % k;
  };
  const hex = (len: number) => Array.from({ length: len }, () => '0123456789abcdef'[rand(16)]).join('');
  const db = openDatabase(dbPath);
  const ins = db.prepare(`INSERT INTO pods (key, uid, namespace, name, workload, node, static, mirror_of, exact, first_time_us, last_time_us,
    state, first_record_id, last_record_id, finished_us, finished_record_id, finished_evidence, events, incidents, incident_kinds,
    worst_severity, sync_us, terminating_us, terminated_us, phases_json) VALUES (?,?,?,?,?,?,0,NULL,1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const t0 = Date.UTC(2024, 5, 7) * 1000;
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const uid = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
      const ns = NAMESPACES[rand(NAMESPACES.length)]!;
      const workload = WORKLOADS[rand(WORKLOADS.length)]!;
      const name = `${workload}-${hex(9)}-${hex(5)}`;
      const start = t0 + i * 200_000 + rand(100_000);
      const sync = 5_000_000 + rand(600_000_000);
      const terminating = rand(4) ? 200_000 + rand(31_000_000) : null;
      const terminated = terminating === null ? null : 50_000 + rand(2_000_000);
      const exact = { evidence: 'exact' };
      const ended = (last: boolean) => (last ? { evidence: 'log-end' } : exact);
      const phases: object[] = [{ phase: 'sync', evidence: 'exact', open: terminating === null, calls: 1 + rand(40), startUs: start, endUs: start + sync, startLine: 2 * i + 1, endLine: 2 * i + 2, startBy: exact, endBy: ended(terminating === null) }];
      if (terminating !== null) phases.push({ phase: 'terminating', evidence: 'exact', open: false, calls: 1, startUs: start + sync, endUs: start + sync + terminating, startLine: 2 * i + 2, endLine: 2 * i + 3, startBy: exact, endBy: exact });
      if (terminated !== null) phases.push({ phase: 'terminated', evidence: 'exact', open: false, calls: 1, startUs: start + sync + terminating!, endUs: start + sync + terminating! + terminated, startLine: 2 * i + 3, endLine: 2 * i + 4, startBy: exact, endBy: exact });
      const incident = rand(10) ? null : INCIDENTS[rand(INCIDENTS.length)]!;
      const end = start + sync + (terminating ?? 0) + (terminated ?? 0);
      const state = terminating === null ? 'running' : 'finished';
      ins.run(uid, uid, ns, name, `${ns}/${workload}`, 'node-1', start, end, state, 2 * i + 1, 2 * i + 4, terminated === null ? null : end, terminated === null ? null : 2 * i + 4, terminated === null ? null : 'exact', 20 + rand(200), incident ? 1 : 0, JSON.stringify(incident ? [incident[0]] : []), incident ? incident[1] : null, sync, terminating, terminated, JSON.stringify(phases));
    }
  })();
  // as kubelog leaves a database it wrote: readers need no -wal or -shm
  db.pragma('journal_mode = DELETE');
  db.close();
}
