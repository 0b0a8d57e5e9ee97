// What `kubelog diff` says of the kubelet itself (its versions, its -v flag) comes from a few
// start-up lines, found without an index by message (0014 dropped it): over the time span the
// stored message counts give, by the time index, else over the side's records. A node log with
// two kubelet starts an hour apart, many lines between them: both starts, in order, whichever way
// the lines are found; the same from a database whose lifecycles an older kubelog built.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import { loadDiffSide } from '../pipeline/diff-side.js';
import { ingestInto, withoutStoredFacts } from './helpers/diff.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-diff-starts-'));
let db: Db;

const line = (sec: number, pid: number, body: string): string => {
  const t = new Date(Date.UTC(2024, 11, 7, 10, 0, 0) + sec * 1000);
  const hh = String(t.getUTCHours()).padStart(2, '0');
  const mm = String(t.getUTCMinutes()).padStart(2, '0');
  const ss = String(t.getUTCSeconds()).padStart(2, '0');
  return `Dec 07 ${hh}:${mm}:${ss} node-1 kubelet[${pid}]: I1207 ${hh}:${mm}:${ss}.000000 ${pid} ${body}`;
};

/** Two kubelet processes: v1.28.7 at -v=4, then v1.29.1 at -v=2 an hour later; 2,000 lines between. */
function nodeLog(): string {
  const out: string[] = [];
  const start = (sec: number, pid: number, v: number, version: string) => {
    out.push(line(sec, pid, `flags.go:64] FLAG: --node-ip=""`));
    out.push(line(sec, pid, `flags.go:64] FLAG: --v="${v}"`));
    out.push(line(sec, pid, `server.go:487] "Kubelet version" kubeletVersion="${version}"`));
  };
  start(0, 100, 4, 'v1.28.7');
  for (let i = 0; i < 2000; i++) out.push(line(1 + i, 100, `kubelet.go:2400] "SyncLoop (housekeeping)"`));
  start(3600, 200, 2, 'v1.29.1');
  out.push(line(3601, 200, `kubelet.go:2400] "SyncLoop (housekeeping)"`));
  return out.join('\n') + '\n';
}

beforeAll(async () => {
  const file = path.join(dir, 'node-1.log');
  writeFileSync(file, nodeLog());
  await ingestInto(path.join(dir, 'k.db'), [file]);
  db = openDatabase(path.join(dir, 'k.db'), { readonly: true });
});

afterAll(() => db?.close());

describe("kubelog diff: the kubelet's versions and -v flag", () => {
  it('both starts, in the order they happened; the first -v flag, as the flag says', () => {
    const side = loadDiffSide(db, 'all', 'A');
    expect(side.overview.kubeletVersions).toEqual(['v1.28.7', 'v1.29.1']);
    expect(side.overview.verbosity).toEqual({ level: 4, atLeast: false, evidence: 'flag' });
    expect(side.overview.records).toBe(2007);
  });

  it('the same when the counts are not stored (every record of the side is read)', () => {
    const old = withoutStoredFacts(db, path.join(dir, 'old.db'));
    try {
      const side = loadDiffSide(old, 'all', 'A');
      expect(side.overview.kubeletVersions).toEqual(['v1.28.7', 'v1.29.1']);
      expect(side.overview.verbosity).toEqual({ level: 4, atLeast: false, evidence: 'flag' });
    } finally {
      old.close();
    }
  });

  it('the database has no index by message', () => {
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%msg_id%'").pluck().all()).toEqual([]);
  });
});
