// Full-text search is exact per record, though its index is per block of records: a block that
// holds a record with the word a NOT excludes also holds records that match. A generated log
// (fixed seed) whose blocks mix a busy pod's probe lines with a quiet pod's; the answers are
// counted from the log's own lines, over the real database `kubelog ingest` writes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db.js';
import { searchPage } from '../store/queries.js';
import { blockQuery, queryShape } from '../store/search-query.js';
import { busyPodLog } from './helpers/busy-pod-log.js';
import { runCli } from './helpers/cli.js';

let lines: string[];
let file: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-search-'));
  const log = busyPodLog(9, 12_000, 100_000);
  lines = log.text.trimEnd().split('\n');
  writeFileSync(path.join(dir, 'k.log'), log.text);
  file = path.join(dir, 'k.db');
  const r = await runCli(['ingest', '-q', '--db', file, '--year', '2024', path.join(dir, 'k.log')]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

/** The lines' tokens after their klog header, as FTS5's unicode61 makes them (lower case). */
const tokens = (line: string): Set<string> => new Set((line.slice(line.indexOf('] ') + 2).match(/[\p{L}\p{N}]+/gu) ?? []).map((t) => t.toLowerCase()));

function search(q: string): number[] {
  const db = openDatabase(file, { readonly: true });
  try {
    return searchPage(db, q, { limit: 1_000_000, maxBlocks: 1_000_000 }).hits.map((h) => h.record.line);
  } finally {
    db.close();
  }
}
const linesWhere = (ok: (t: Set<string>, line: string) => boolean): number[] => lines.flatMap((l, i) => (ok(tokens(l), l) ? [i + 1] : []));

describe('search, per record', () => {
  it('a NOT b: every record with a and without b, also in the blocks where another record has b', () => {
    const quiet = linesWhere((t) => t.has('db'));
    // the quiet pod's lines sit in blocks of the busy pod's: each of those blocks holds both kinds
    expect(quiet.length).toBe(2);
    const want = linesWhere((t) => t.has('readiness') && !t.has('db'));
    expect(want.length).toBeGreaterThan(11_000);
    const got = search('Readiness NOT db');
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
    // the lines either side of a quiet one, in its block
    expect(got).toContain(quiet[1]! - 1);
    expect(got).toContain(quiet[1]! + 1);
    expect(search('probeType NOT (db OR warning)')).toEqual(linesWhere((t) => t.has('probetype') && !t.has('db') && !t.has('warning')));
    expect(search('"Probe succeeded" NOT "containerName db"')).toEqual(linesWhere((t, l) => t.has('probe') && /"Probe succeeded/.test(l) && !/containerName="db"/.test(l)));
  });

  it('AND and phrases hold within one record, never across two of a block', () => {
    // "db" and "busy" are in the same blocks, never in one record
    expect(search('db AND busy')).toEqual([]);
    expect(search('db busy')).toEqual([]);
    expect(search('db AND quiet')).toEqual(linesWhere((t) => t.has('db') && t.has('quiet')));
    // a phrase made of one record's end and the next one's start
    expect(search('"containerName app Probe"')).toEqual([]);
    expect(search('"with a warning"')).toEqual(linesWhere((_t, l) => l.includes('with a warning')));
  });
});

describe('the blocks a query may match in (blockQuery)', () => {
  it('leaves out what each NOT excludes, operand and all, and nothing else', () => {
    const cases: Array<[string, string]> = [
      ['a NOT b', 'a'],
      ['a NOT "b c" d', 'a d'],
      ['a NOT (b OR c) d', 'a d'],
      ['a OR b NOT c', 'a OR b'],
      ['x NOT col:y z', 'x z'],
      ['x NOT NEAR(a b, 2)', 'x'],
      ['x NOT b* NOT c', 'x'],
      ['x NOT "a" + "b" y', 'x y'],
      ['"NOT" NOT b', '"NOT"'],
      ['x NOT ^b', 'x'],
      ['x NOT {text}: b', 'x'],
      ['(a NOT b) OR (c NOT d)', '(a) OR (c)'],
      ['a AND b', 'a AND b'],
      ['a NOT', 'a NOT'],
    ];
    for (const [q, want] of cases) expect([q, blockQuery(q).replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim()]).toEqual([q, want]);
    // what a query costs is read the same way as before
    expect(queryShape('"kill container" fail* a:b {x y}: c NOT d')).toEqual({ terms: 6, prefixes: ['fail'] });
  });
});
