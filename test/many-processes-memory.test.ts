// A log of as many kubelet processes as lines (a new PID on every line: a hostile log, or the
// journal of a kubelet crash-looping for weeks). Each process that has ended keeps a summary of its
// profile and a few numbers in columns; its description waits in a spill file; the processes and
// their incidents are written one at a time (lifecycle/process.ts, pipeline/rebuild.ts). Before,
// every process kept a profile builder and a description (~5 KB): 50,000 processes took a 675 MB
// rebuild, 500,000 passed 3.7 GB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodResponse } from '../web/api/types.js';
import { openDatabase } from '../store/db.js';
import { rebuildInWorker } from '../pipeline/rebuild-thread.js';
import { ingestTextWithCli, runCli } from './helpers/cli.js';
import { lifecycleTables } from './helpers/lifecycle-tables.js';
import { validateSchema } from './helpers/json-schema.js';
import { serve, type Served } from './helpers/serve.js';
import { launchChromium, screenshot, strictPage, type BrowserSession } from './helpers/browser.js';

const PROCESSES = 40_000;
/** A V8 old generation far below the processes and incidents as views (~6 KB a process before). */
const SMALL_HEAP = { NODE_OPTIONS: '--max-old-space-size=64', NODE_ENV: 'production' };
const FIRST_PID = 1000;

/** Bare klog, 10 ms apart, each line of its own PID: `SyncLoop ADD` of pods ns/p-0 … ns/p-99 in turn. */
function manyProcessesLog(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const ms = i * 10;
    const time = `06:${String(Math.floor(ms / 60_000)).padStart(2, '0')}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
    lines.push(`I0607 ${time} ${String(FIRST_PID + i).padStart(8)} kubelet.go:2410] "SyncLoop ADD" source="api" pods=["ns/p-${i % 100}"]`);
  }
  return lines.join('\n') + '\n';
}

describe(`a log of ${PROCESSES.toLocaleString('en')} kubelet processes`, () => {
  let db: string;
  beforeAll(async () => {
    ({ db } = await ingestTextWithCli(manyProcessesLog(PROCESSES), 'kubelog-processes-'));
  }, 120_000);

  it('stores every process and every restart between them', () => {
    const d = openDatabase(db, { readonly: true });
    try {
      expect(d.prepare('SELECT count(*) FROM kubelet_processes').pluck().get()).toBe(PROCESSES);
      const pids = d.prepare('SELECT pid FROM kubelet_processes ORDER BY epoch').pluck().all() as number[];
      expect(pids.slice(0, 3)).toEqual([FIRST_PID, FIRST_PID + 1, FIRST_PID + 2]);
      expect(pids.at(-1)).toBe(FIRST_PID + PROCESSES - 1);
      const ends = d.prepare('SELECT end_kind, count(*) FROM kubelet_processes GROUP BY end_kind ORDER BY 1').raw().all();
      expect(ends).toEqual([
        ['log-end', 1],
        ['restart', PROCESSES - 1],
      ]);
      const restarts = d.prepare("SELECT detail FROM incidents WHERE pod_id IS NULL AND kind = 'kubelet-restart' ORDER BY record_id").pluck().all() as string[];
      expect(restarts.length).toBe(PROCESSES - 1);
      expect(restarts[0]).toBe(`kubelet ${FIRST_PID} restarted without a word: kubelet ${FIRST_PID + 1} 0.0 s later`);
      expect(restarts.at(-1)).toBe(`kubelet ${FIRST_PID + PROCESSES - 2} restarted without a word: kubelet ${FIRST_PID + PROCESSES - 1} 0.0 s later`);
      // each ADD of a pod is another process's: a sync of its own, ended with its process, at its line
      const phases = d
        .prepare("SELECT ph.phase, ph.end_by, ph.start_record_id = ph.end_record_id FROM phases ph JOIN pods p ON p.id = ph.pod_id WHERE p.namespace = 'ns' AND p.name = 'p-0' ORDER BY ph.seq")
        .raw()
        .all();
      expect(phases).toEqual(Array.from({ length: PROCESSES / 100 }, () => ['sync', 'kubelet-restart', 1]));
    } finally {
      d.close();
    }
  });

  it('its lifecycles rebuild in a 24 MB heap, the same tables as before', async () => {
    const before = lifecycleTables(db);
    let retried = 0;
    const r = await rebuildInWorker(db, 24, () => retried++);
    expect(retried).toBe(0);
    expect([r.records, r.restarts]).toEqual([PROCESSES, PROCESSES - 1]);
    expect(lifecycleTables(db)).toEqual(before);
  }, 120_000);

  it('`kubelog node` prints every process and incident in a 64 MB heap', async () => {
    const r = await runCli(['node', '--db', db], { env: SMALL_HEAP });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'node (not named by the log)',
      'kubelet processes',
      `  pid ${FIRST_PID}  ≥1.28 (from its wording)  -v≥2  1 records`,
      '    running when the log begins, 2024-06-07 06:00:00.000',
      '    2024-06-07 06:00:00.000  replaced by a new process  source 1 L1',
      `  pid ${FIRST_PID + 1}  ≥1.28 (from its wording)  -v≥2  1 records`,
    ]);
    expect(lines.filter((l) => l.startsWith('  pid ')).length).toBe(PROCESSES);
    const incidents = lines.slice(lines.indexOf('incidents') + 1, -1);
    expect(incidents.length).toBe(PROCESSES - 1);
    expect(incidents.at(-1)).toContain(`kubelet ${FIRST_PID + PROCESSES - 2} restarted without a word: kubelet ${FIRST_PID + PROCESSES - 1} 0.0 s later`);
  }, 60_000);

  it('`kubelog node --json` writes the same, in a 64 MB heap', async () => {
    const r = await runCli(['node', '--json', '--db', db], { env: SMALL_HEAP });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { db: string; nodes: { node: string | null; processes: { pid: number }[]; incidents: { detail: string }[]; events: unknown[] }[] };
    expect(out.db).toBe(db);
    expect(out.nodes.map((n) => [n.node, n.processes.length, n.incidents.length, n.events.length])).toEqual([[null, PROCESSES, PROCESSES - 1, 0]]);
    expect(out.nodes[0]!.processes.map((p) => p.pid)).toEqual(Array.from({ length: PROCESSES }, (_, i) => FIRST_PID + i));
  }, 60_000);

  describe('a pod that lived through 39,900 of its kubelet restarts, served', () => {
    let server: Served;
    let chromium: BrowserSession;
    const problems: string[] = [];
    beforeAll(async () => {
      [server, chromium] = await Promise.all([serve(['--db', db], 120_000), launchChromium()]);
    }, 180_000);
    afterAll(async () => {
      await chromium?.close();
      await server?.stop();
      expect(problems).toEqual([]);
    });

    it('/api/pod sends the first 2,000 of them and their count', async () => {
      const res = await fetch(`${server.url}/api/pod/${encodeURIComponent('ns/p-0')}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as PodResponse;
      expect(validateSchema('api/pod.schema.json', body)).toEqual([]);
      // ns/p-0 lives from the first line to its last ADD (line 39,901): the restarts whose successor began by then
      expect([body.kubelet.length, body.kubeletTotal]).toEqual([2000, 39_900]);
      expect(body.kubelet[0]!.detail).toBe(`kubelet ${FIRST_PID} restarted without a word: kubelet ${FIRST_PID + 1} 0.0 s later`);
      expect(body.kubelet.map((i) => i.line)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 2));
    });

    it('the pod page says it shows the first 2,000 of 39,900', async () => {
      const page = await strictPage(chromium.context, problems);
      await page.goto(`${server.url}/pod/ns/p-0`);
      const more = page.getByTestId('kubelet-incidents-more');
      await more.waitFor();
      expect(await more.textContent()).toBe('the first 2,000 of 39,900 (kubelog node lists them all)');
      await screenshot(page, 'pod-many-kubelet-restarts');
      await page.close();
    }, 60_000);
  });
});
