// Files of one node read together date each other: a file whose lines state no year or zone takes
// them from a file of the same node that does, not from its modification time (which a copy resets).
// Samples 21 and 16 are one kubelet (pid 1304 on e2e-big-minion-group-wfls): 21 opens with the
// journal's `-- Logs begin at Wed 2020-03-25 12:12:41 UTC` marker; 16 (its PLEG lines and its
// SIGABRT at 12:27:00) states no year and no zone.
import { copyFileSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { siblingTimes, type DatedHead } from '../ingest/sibling-times.js';
import { runCli } from './helpers/cli.js';
import { samplePath } from './helpers/samples.js';

const us = (iso: string) => Date.parse(iso) * 1000;

describe('siblingTimes', () => {
  const stated: DatedHead = { path: '/logs/kubelet.journal', host: 'n1', firstTimeUs: us('2020-12-30T10:00:00Z'), year: { value: 2020, from: 'journal-marker' }, zone: { value: '+08:00', from: 'journal-marker' } };

  it('a guessed year becomes the stated one of the same host, across New Year', () => {
    // dated with its mtime year 2026: 2 January, three days after the journal's 30 December 2020
    const guessed: DatedHead = { path: '/logs/kubelet.log', host: 'n1', firstTimeUs: us('2026-01-02T08:00:00Z'), year: { value: 2026, from: 'mtime' }, zone: { value: '+00:00', from: 'default' } };
    expect(siblingTimes([stated, guessed], false).get(guessed)).toEqual({
      year: { value: 2021, evidence: 'kubelet.journal, whose journal marker states it' },
      zone: { value: '+08:00', evidence: 'kubelet.journal, whose journal marker states it' },
    });
    expect(siblingTimes([stated, guessed], false).has(stated)).toBe(false);
  });

  it('another host gives nothing, unless --node makes them one node', () => {
    const other: DatedHead = { path: '/logs/b.log', host: 'n2', firstTimeUs: us('2026-12-31T08:00:00Z'), year: { value: 2026, from: 'mtime' } };
    expect(siblingTimes([stated, other], false).size).toBe(0);
    expect(siblingTimes([stated, other], true).get(other)?.year?.value).toBe(2020);
  });

  it('a year or zone the file states itself is kept', () => {
    const own: DatedHead = { path: '/logs/c.log', host: 'n1', firstTimeUs: us('2019-05-01T00:00:00Z'), year: { value: 2019, from: 'content' }, zone: { value: '+02:00', from: 'content' } };
    expect(siblingTimes([stated, own], false).size).toBe(0);
  });
});

describe('kubelog ingest of two files of one node, copied today (real CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubelog-sibling-'));
    const today = new Date('2026-06-01T00:00:00Z');
    for (const [sample, name] of [
      ['21', 'kubelet-start.log'],
      ['16', 'kubelet-crash.log'],
    ] as const) {
      copyFileSync(samplePath(sample), path.join(dir, name));
      utimesSync(path.join(dir, name), today, today);
    }
  });

  const sources = async (db: string, files: string[]) => {
    const r = await runCli(['ingest', '--json', '--db', path.join(dir, db), ...files.map((f) => path.join(dir, f))]);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { sources: Array<{ path: string; firstTime: string; time?: { year?: unknown; zone?: unknown } }> }).sources;
  };

  it('alone, the crash file takes its modification time: 2026', async () => {
    const [crash] = await sources('alone.db', ['kubelet-crash.log']);
    expect(crash!.time?.year).toEqual({ value: 2026, from: 'mtime' });
    expect(crash!.firstTime).toBe('2026-03-25T12:13:58.444175Z');
  });

  it('with its start file, it takes the journal marker’s 2020 and UTC, and the crash is dated 2020', async () => {
    const [start, crash] = await sources('both.db', ['kubelet-start.log', 'kubelet-crash.log']);
    expect(start!.time?.year).toEqual({ value: 2020, from: 'journal-marker', line: 1 });
    expect(crash!.time?.year).toEqual({ value: 2020, from: 'sibling', evidence: 'kubelet-start.log, whose journal marker states it' });
    expect(crash!.time?.zone).toEqual({ value: '+00:00', from: 'sibling', evidence: 'kubelet-start.log, whose journal marker states it' });
    expect(crash!.firstTime).toBe('2020-03-25T12:13:58.444175Z');
    const node = await runCli(['node', '--json', '--db', path.join(dir, 'both.db')]);
    expect(node.code, node.stderr).toBe(0);
    const processes = (JSON.parse(node.stdout) as { nodes: Array<{ processes: Array<{ pid: number; end: { kind: string; timeUs: number } }> }> }).nodes[0]!.processes;
    expect(processes.map((k) => [k.pid, k.end.kind, k.end.timeUs])).toEqual([[1304, 'crash', us('2020-03-25T12:27:00Z')]]);
  });
});
