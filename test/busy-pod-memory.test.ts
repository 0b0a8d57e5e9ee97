// A pod of 150,000 events (a probe line every second for two days) in heaps far smaller than its
// events as objects: the lifecycle rebuild reads the pod from its fact rows (lifecycle/pod-events.ts),
// `kubelog pod` writes its events a page at a time (pipeline/pods.ts podEvents), and `kubelog diff`
// reads them as it compares them (pipeline/diff-side.ts sideEvents). Before, each ran out of these
// heaps (the rebuild retried uncapped; `kubelog pod` and `kubelog diff` aborted).
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db.js';
import { rebuildInWorker } from '../pipeline/rebuild-thread.js';
import { BUSY_POD, BUSY_UID, busyPodLog, T0_US, type BusyPodLog } from './helpers/busy-pod-log.js';
import { ingestTextWithCli, runCli } from './helpers/cli.js';
import { lifecycleTables } from './helpers/lifecycle-tables.js';

const EVENTS = 150_000;
/**
 * A V8 old generation far below the ~150 MB of the pod's event views (or of its events read whole
 * by both sides of a diff). As installed: oclif outside
 * production (vitest sets NODE_ENV=test) loads the commands' TypeScript sources, which alone need more.
 */
const SMALL_HEAP = { NODE_OPTIONS: '--max-old-space-size=64', NODE_ENV: 'production' };

describe(`a pod of ${EVENTS.toLocaleString('en')} events`, () => {
  let db: string;
  let log: BusyPodLog;
  beforeAll(async () => {
    log = busyPodLog(15, EVENTS);
    ({ db } = await ingestTextWithCli(log.text, 'kubelog-busy-'));
  }, 120_000);

  it('its lifecycle rebuilds in a 24 MB heap, the same tables as before', async () => {
    const d = openDatabase(db, { readonly: true });
    const stored = d.prepare('SELECT COUNT(*) FROM pod_events e JOIN pods p ON p.id = e.pod_id WHERE p.uid = ?').pluck().get(BUSY_UID);
    d.close();
    expect(stored).toBe(EVENTS);
    const before = lifecycleTables(db);
    let retried = 0;
    const r = await rebuildInWorker(db, 24, () => retried++);
    expect(retried).toBe(0);
    expect(r.pods).toBe(2);
    expect(lifecycleTables(db)).toEqual(before);
  }, 60_000);

  it('`kubelog pod` prints every event in a 64 MB heap', async () => {
    const r = await runCli(['pod', BUSY_UID, '--db', db], { env: SMALL_HEAP });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${BUSY_POD}  uid ${BUSY_UID}`);
    expect(lines[1]).toContain(`  ·  ${EVENTS} records  ·  `);
    const events = lines.slice(lines.indexOf('events') + 1, -1);
    expect(events.length).toBe(EVENTS);
    // times from the pod's first record, and severities, as the generator wrote them
    const rel = (us: number) => `+${((us - T0_US) / 1e6).toFixed(3)}s`.padStart(12);
    expect(events.map((l) => l.slice(2, 14))).toEqual(log.times.map(rel));
    expect(events.map((l) => l[15])).toEqual(log.severities);
  }, 60_000);

  it('`kubelog pod --json` writes every event, in order, in a 64 MB heap', async () => {
    const r = await runCli(['pod', BUSY_UID, '--json', '--db', db], { env: SMALL_HEAP });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const view = JSON.parse(r.stdout) as { uid: string; name: string; events: { line: number; timeUs?: number; severity?: string }[] };
    expect([view.uid, view.name]).toEqual([BUSY_UID, 'busy-0']);
    expect(view.events.length).toBe(EVENTS);
    expect(view.events.map((e) => e.timeUs)).toEqual(log.times);
    expect(view.events.map((e) => e.severity)).toEqual(log.severities);
    expect(view.events[0]!.timeUs).toBe(T0_US);
  }, 60_000);

  it('`kubelog diff` compares its events with the same pod of another side in a 64 MB heap', async () => {
    const r = await runCli(['diff', db, db, '--json'], { env: SMALL_HEAP });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.stdout) as { samePods: { compared: number; identical: number } };
    expect(diff.samePods).toEqual({ compared: 2, identical: 2, diverging: { items: [], total: 0 } });
  }, 60_000);
});
