// A pod's events by window and their density (pipeline/pod-events.ts) over a real database: the same
// answers from the time and severity kept beside each event (migration 0010), from a database of
// an older kubelog opened read-only (read from the records), and after 0010 migrates it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import { podEventDensity, podEventWindow } from '../pipeline/pod-events.js';
import { podIdByKey } from '../pipeline/pods.js';
import { BUSY_UID, busyPodLog, type BusyPodLog } from './helpers/busy-pod-log.js';
import { runCli } from './helpers/cli.js';

let log: BusyPodLog;
let file: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-pod-events-'));
  log = busyPodLog(4, 3000, 50_000);
  writeFileSync(path.join(dir, 'busy.log'), log.text);
  file = path.join(dir, 'busy.db');
  const r = await runCli(['ingest', '-q', '--db', file, '--year', '2024', path.join(dir, 'busy.log')]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

function answers(db: Db): unknown {
  const id = podIdByKey(db, BUSY_UID)!;
  const from = log.times[1000]!;
  const to = log.times[1999]!;
  const first = podEventWindow(db, id, { fromUs: from, toUs: to, limit: 600, sources: 'always' });
  const second = podEventWindow(db, id, { fromUs: from, toUs: to, limit: 600, after: first.next!, sources: 'always' });
  return { density: podEventDensity(db, id, 50), first, second };
}

describe('pod events by window', () => {
  it('pages a window exactly and counts every event in the density', () => {
    const db = openDatabase(file, { readonly: true });
    const a = answers(db) as { density: ReturnType<typeof podEventDensity>; first: ReturnType<typeof podEventWindow>; second: ReturnType<typeof podEventWindow> };
    db.close();
    expect([a.first.total, a.first.events.length, a.second.events.length, a.second.next]).toEqual([1000, 600, 400, null]);
    expect([...a.first.events, ...a.second.events].map((e) => e.timeUs)).toEqual(log.times.slice(1000, 2000));
    expect(a.density.total).toBe(3000);
    const errors = a.density.lanes.reduce((n, l) => n + l.buckets.reduce((m, b) => m + b[3], 0), 0);
    expect(errors).toBe(log.severities.filter((s) => s === 'E').length);
  });

  it('answers the same over a database from before 0010 opened read-only, and after 0010 migrates it', () => {
    const db = openDatabase(file, { readonly: true });
    const now = answers(db);
    db.close();
    // back to schema 9: no time or severity beside the events
    const w = openDatabase(file);
    w.exec('DROP INDEX IF EXISTS pod_events_time; ALTER TABLE pod_events DROP COLUMN time_us; ALTER TABLE pod_events DROP COLUMN severity; DROP TABLE search_state; DROP INDEX diagnostics_code;');
    w.pragma('user_version = 9');
    w.close();
    const old = openDatabase(file, { readonly: true });
    expect(old.prepare("SELECT count(*) FROM pragma_table_info('pod_events') WHERE name = 'time_us'").pluck().get()).toBe(0);
    expect(answers(old)).toEqual(now);
    old.close();
    const migrated = openDatabase(file);
    expect(migrated.pragma('user_version', { simple: true })).toBe(14);
    expect(migrated.prepare('SELECT count(*) FROM pod_events e JOIN records r ON r.id = e.record_id WHERE e.time_us IS r.time_us AND e.severity IS r.severity').pluck().get()).toBe(3001);
    expect(answers(migrated)).toEqual(now);
    // a pod's events come from the primary key by pod (0013 dropped the time index: 28.6 MB of the
    // benchmark database for 4 ms on its busiest pod's window)
    expect(migrated.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM pod_events WHERE pod_id = 1 AND time_us >= 1 AND time_us <= 2").all()).toContainEqual(expect.objectContaining({ detail: expect.stringContaining('PRIMARY KEY (pod_id=?)') }));
    migrated.close();
  });
});
