// `kubelog node`: the kubelet's own life, read from real samples as a kubelet engineer reads them,
// through the real binary over a real database.
//
// Samples 21 and 16 are one kubelet (pid 1304 on e2e-big-minion-group-wfls, 2020-03-25): 21 is its
// start — systemd's `Started Kubernetes kubelet.` at 12:13:43 (L2), the deprecated-flag lines from L3,
// the flags dump — and 16 its end: PLEG lines until 12:14:02, then at 12:27:00 `SIGABRT: abort` (L8)
// and the Go runtime's goroutine dump: a crash. Sample 11 is kubelet v1.5.2 (pid 1334 on minion2),
// newest first (`journalctl -r`): `Started kubelet v1.5.2` is its last line (L30), `skipping pod
// synchronization - [container runtime is down]` (L21) the node not ready, and it runs on at the end.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeResult } from '../cli/commands/node.js';
import { runCli } from './helpers/cli.js';
import { validateSchema } from './helpers/json-schema.js';
import { samplePath } from './helpers/samples.js';

const us = (iso: string) => Date.parse(iso) * 1000;

let dir: string;
let gce: string;
let ingestOut: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-node-'));
  gce = path.join(dir, 'gce.db');
  // sample 16 states no year; 21's journal marker says 2020
  const r = await runCli(['ingest', '--db', gce, '--year', '2020', samplePath('21'), samplePath('16')]);
  expect(r.code, r.stderr).toBe(0);
  ingestOut = r.stderr;
});

async function nodeJson(db: string, ...args: string[]): Promise<NodeResult> {
  const r = await runCli(['node', '--db', db, '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as NodeResult;
  expect(validateSchema('node.schema.json', out)).toEqual([]);
  return out;
}

describe('kubelog node', () => {
  it('one kubelet across two files: started by systemd, crashed with SIGABRT 13 minutes after its last line', async () => {
    const out = await nodeJson(gce);
    expect(out.nodes.map((n) => n.node)).toEqual(['e2e-big-minion-group-wfls']);
    const [k, ...others] = out.nodes[0]!.processes;
    expect(others).toEqual([]);
    expect(k).toMatchObject({
      pid: 1304,
      version: null,
      // systemd's line is not a record: the start is the first deprecated-flag line after it (source 1 is 21, the older content)
      start: { at: { source: 1, line: 3, timeUs: us('2020-03-25T12:13:43Z') }, timeUs: us('2020-03-25T12:13:43Z'), evidence: ['systemd-started', 'flag-deprecated', 'flags'] },
      end: { kind: 'crash', at: { source: 2, line: 8, timeUs: us('2020-03-25T12:27:00Z') }, signal: 'SIGABRT', message: 'SIGABRT: abort' },
    });
    expect(out.nodes[0]!.incidents.map((i) => [i.kind, i.severity, i.at.source, i.at.line, i.detail])).toEqual([
      ['kubelet-crash', 'critical', 2, 8, 'kubelet 1304 crashed: SIGABRT: abort; the log ends'],
    ]);
    // the ingest's summary says so, and where to look
    expect(ingestOut).toMatch(/^the kubelet: 1 crash: kubelog node --db .*gce\.db$/m);
  });

  it('prints it for people: the process, how it ended, the incident', async () => {
    const r = await runCli(['node', '--db', gce]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 7)).toEqual([
      'node e2e-big-minion-group-wfls',
      'kubelet processes',
      expect.stringMatching(/^ {2}pid 1304 {2}\S.* {2}-v(≥|=)\d+ {2}18 records$/),
      '    started 2020-03-25 12:13:43.000 (systemd-started, flag-deprecated, flags)',
      '    2020-03-25 12:27:00.000  crashed: SIGABRT: abort  source 2 L8',
      'incidents',
      '  2020-03-25 12:27:00.000  critical kubelet crashed          kubelet 1304 crashed: SIGABRT: abort; the log ends  source 2 L8',
    ]);
  });

  it('newest first (journalctl -r): v1.5.2 started at its last line, runs on; its runtime was down', async () => {
    const db = path.join(dir, 'minion2.db');
    expect((await runCli(['ingest', '-q', '--db', db, '--year', '2016', samplePath('11')])).code).toBe(0);
    const [n] = (await nodeJson(db)).nodes;
    expect(n!.node).toBe('minion2');
    expect(n!.processes.map((k) => [k.pid, k.version, k.start?.at?.line, k.start?.evidence, k.end.kind])).toEqual([[1334, 'v1.5.2', 30, ['started-kubelet', 'main-sync-loop'], 'log-end']]);
    expect(n!.incidents.map((i) => [i.kind, i.severity, i.at.line])).toEqual([['node-not-ready', 'error', 21]]);
    expect(n!.events.map((e) => [e.kind, e.first.line, e.lines, e.detail])).toEqual([['runtime-not-ready', 21, 1, 'skipping pod synchronization - [container runtime is down]']]);
  });

  it('--node picks one; an unknown node says which there are', async () => {
    expect((await nodeJson(gce, '--node', 'e2e-big-minion-group-wfls')).nodes).toHaveLength(1);
    const r = await runCli(['node', '--db', gce, '--node', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no node "nope" in');
    expect(r.stderr).toContain('(nodes: e2e-big-minion-group-wfls)');
  });
});
