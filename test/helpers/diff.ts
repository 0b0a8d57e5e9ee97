// Sides of `kubelog diff` for tests: generator logs written to files, each ingested into a
// database of its own with its pod lifecycles (what the command does with two log files).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { generateLog, type GeneratorOptions, type GroundTruth } from '../../samples/generator/index.js';
import { ingest } from '../../ingest/ingest.js';
import { openDatabase, type Db } from '../../store/db.js';
import { rebuildLifecycles } from '../../pipeline/rebuild.js';
import { loadDiffSide, type SideSelector } from '../../pipeline/diff-side.js';
import { diffSides, type DiffOptions, type DiffResult, type DiffSide } from '../../lifecycle/diff/index.js';

export interface GeneratedLog {
  file: string;
  text: string;
  truth: GroundTruth;
}

export async function writeGenerated(dir: string, name: string, opts: GeneratorOptions): Promise<GeneratedLog> {
  let text = '';
  const truth = await generateLog(opts, (c) => {
    text += c;
  });
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return { file, text, truth };
}

/** Files into a new database (one source each), lifecycles built. */
export async function ingestInto(db: string, files: string[]): Promise<void> {
  await ingest({ db, args: files, year: 2024 });
  const d = openDatabase(db);
  try {
    rebuildLifecycles(d);
  } finally {
    d.close();
  }
}

/** Two sides (each a database and a selector), diffed. */
export function diffOf(a: { db: Db; sel?: SideSelector; label?: string }, b: { db: Db; sel?: SideSelector; label?: string }, opts: DiffOptions = {}): { result: DiffResult; a: DiffSide; b: DiffSide } {
  const sa = loadDiffSide(a.db, a.sel ?? 'all', a.label ?? 'A');
  const sb = loadDiffSide(b.db, b.sel ?? 'all', b.label ?? 'B');
  return { result: diffSides(sa, sb, opts), a: sa, b: sb };
}

/** Every section of a diff says "no differences". */
export function expectNoDifferences(r: DiffResult): void {
  expect(r.overview.differences).toEqual([]);
  const l = r.lifecycle;
  expect([l.workloads.total, l.incidents.total, l.onlyA.total, l.onlyB.total, l.podsOnlyA.total, l.podsOnlyB.total]).toEqual([0, 0, 0, 0, 0, 0]);
  expect([r.messages.new.total, r.messages.gone.total, r.messages.changed.total]).toEqual([0, 0, 0]);
  expect(r.messages.templatesA).toBe(r.messages.templatesB);
  expect(r.samePods.diverging.total).toBe(0);
  expect(r.samePods.identical).toBe(r.samePods.compared);
}

/**
 * A copy of a database as an older kubelog left it (schema 3: no message_counts, record_facts or
 * lifecycle_runs.facts; pod events with their kind and lane as text, before 0005), opened for
 * reading: its sides are read from the records and blocks.
 */
export function withoutStoredFacts(db: Db, copy: string): Db {
  db.prepare('VACUUM INTO ?').run(copy);
  const d = new Database(copy);
  try {
    d.exec('DROP TABLE message_counts; DROP TABLE record_facts; ALTER TABLE lifecycle_runs DROP COLUMN facts;');
    d.exec(`CREATE TABLE pod_events_text (pod_id INTEGER NOT NULL, record_id INTEGER NOT NULL, lane TEXT, kind TEXT NOT NULL, PRIMARY KEY (pod_id, record_id)) WITHOUT ROWID;
      INSERT INTO pod_events_text SELECT pod_id, record_id, lane, kind FROM pod_events_view;
      DROP VIEW pod_events_view; DROP TABLE pod_events; DROP TABLE event_types; ALTER TABLE pod_events_text RENAME TO pod_events;
      PRAGMA user_version = 3;`);
  } finally {
    d.close();
  }
  return openDatabase(copy, { readonly: true });
}

/** Two sides equal in all they hold (their event readers aside). */
export function expectSameSides(a: DiffSide, b: DiffSide): void {
  const { events: _a, pods: podsA, hasPod: _ha, ...restA } = a;
  const { events: _b, pods: podsB, hasPod: _hb, ...restB } = b;
  expect(restA).toEqual(restB);
  expect([...podsA()]).toEqual([...podsB()]);
}
