// Hostile input through the real CLI (issue 13): values nested thousands of levels deep, and the
// records around them, are printed and stored whole; nothing crashes and nothing is dropped.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `kubelog-${name}-`));
const ndjson = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const K = (time: string, body: string) => `I0607 14:54:${time}    1234 kubelet.go:1] ${body}`;

/** Levels of objects/arrays, following the first child at each level. */
function depthOf(v: unknown): number {
  let d = 0;
  while (v !== null && typeof v === 'object') {
    v = Array.isArray(v) ? v[0] : Object.values(v as object)[0];
    d++;
  }
  return d;
}

/** A Go struct, a klog JSON value and a kubelet JSON line nested `go`, `json`, `kubelet` levels. */
function deepLog(go: number, json: number, kubelet: number): string {
  const lines = [
    K('46.000001', '"before" pod="default/a"'),
    K('46.000002', '"go struct" pod=' + '&{A:'.repeat(go) + '1' + '}'.repeat(go)),
    K('46.000003', '"klog json" patch=' + '{"a":'.repeat(json) + '1' + '}'.repeat(json)),
    '{"ts":1717771686000.5,"caller":"kubelet/kubelet.go:1","msg":"kubelet json","v":2,"obj":' + '['.repeat(kubelet) + '1' + ']'.repeat(kubelet) + '}',
    K('46.000005', '"after" pod="default/b"'),
  ];
  return lines.join('\n') + '\n';
}

describe('deeply nested values', () => {
  // the three: a Go struct ~700 levels (3.5 KB), a klog JSON value ~1000, a kubelet JSON line ~5000
  const text = deepLog(700, 1000, 5000);

  it('kubelog parse prints every record, keeps the value as text beyond the limit, and says so', async () => {
    const dir = tmp('deep');
    const file = path.join(dir, 'deep.log');
    writeFileSync(file, text);
    const r = await runCli(['parse', '--year', '2024', file]);
    expect(r.code).toBe(0);
    const recs = ndjson(r.stdout);
    expect(recs.map((x) => x.msg)).toEqual(['before', 'go struct', 'klog json', 'kubelet json', 'after']);
    const kv = recs.map((x) => x.kv as Record<string, unknown>);
    // 64 levels of structure, then the exact text of the rest
    expect(depthOf(kv[1]!.pod)).toBe(64);
    expect(depthOf(kv[2]!.patch)).toBe(64);
    expect(depthOf(kv[3]!.obj)).toBe(64);
    let inner: unknown = kv[1]!.pod;
    while (typeof inner === 'object') inner = Object.values(inner as object)[0];
    expect(inner).toBe('&{A:'.repeat(700 - 64) + '1' + '}'.repeat(700 - 64));
    expect(r.stderr).toContain(`${file}:2: warning: value nested too deep to read as structure: kept as text from level 64 on`);
    expect(r.stderr).toContain(`${file}:3: warning: value nested too deep`);
    expect(r.stderr).toContain(`${file}:4: warning: value nested too deep`);
    expect(r.stderr).toMatch(/^5 lines read: 5 records in 5 lines, 0 foreign, 0 rejected; 3 diagnostics/m);
  });

  it('kubelog ingest stores every record, builds the lifecycles, and a rerun adds nothing', async () => {
    const dir = tmp('deep-ingest');
    const file = path.join(dir, 'deep.log');
    // ten times deeper: the ingest parses in worker threads, whose stacks are larger
    writeFileSync(file, deepLog(7000, 10000, 50000));
    const db = path.join(dir, 'k.db');
    const first = await runCli(['ingest', '--json', '--db', db, '--year', '2024', file]);
    expect(first.code).toBe(0);
    const res = JSON.parse(first.stdout) as { sources: Array<{ status: string; added: { records: number; linesRead: number } }>; lifecycle?: unknown };
    expect(res.sources[0]).toMatchObject({ status: 'new', added: { records: 5, linesRead: 5 } });
    expect(res.lifecycle).toBeDefined();
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare('SELECT records, lines_read, complete FROM sources').get()).toEqual({ records: 5, lines_read: 5, complete: 1 });
    } finally {
      d.close();
    }
    const again = await runCli(['ingest', '--json', '--db', db, '--year', '2024', file]);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { sources: Array<{ status: string }> }).sources[0]!.status).toBe('unchanged');
  });
});
