// Exact klog output of the same kubelet-shaped calls under four klog versions (value eras A, B,
// B with the 1.26 KObjSlice quirk, C): every line parses, and the same Go value comes out as the
// same typed value whatever the era.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseText, type LogRecord } from '../parser/index.js';
import { repoRoot } from './helpers/samples.js';

// a copy of shared/reference/kubelet-messages/klog-golden (its README says how it was made)
const goldenDir = path.join(repoRoot, 'test/fixtures/klog-golden');
const eras = ['klog-v2.30.0.txt', 'klog-v2.80.1.txt', 'klog-v2.90.1.txt', 'klog-v2.100.1.txt'] as const;

function golden(name: string) {
  return parseText(readFileSync(path.join(goldenDir, name)), { year: 2026 });
}

function byCaller(records: LogRecord[], line: number): LogRecord[] {
  return records.filter((r) => r.caller === `main.go:${line}`);
}

const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13';

describe.each(eras)('%s', (name) => {
  const r = golden(name);

  it('every line is a record or part of one; nothing rejected', () => {
    expect(r.counts.rejected).toBe(0);
    expect(r.counts.linesRead).toBe(r.counts.recordLines + r.counts.foreign);
    expect(r.foreign.every((f) => f.kind === 'blank')).toBe(true);
    expect(r.diagnostics.filter((d) => d.level !== 'info')).toEqual([]);
  });

  it('the PLEG event is {ID, Type, Data} (printf %#v, era A/B struct, era C JSON)', () => {
    const printf = byCaller(r.records, 63)[0]!;
    expect(printf.printf).toBe('syncloop-pleg');
    expect(printf.kv.event).toEqual({ ID: UID, Type: 'ContainerStarted', Data: 'dc18bc33e791' });
    expect(byCaller(r.records, 67)[0]!.kv.event).toEqual({ ID: UID, Type: 'ContainerDied', Data: 'dc18bc33e791' });
  });

  it('scalars, nil and numbers read the same in every era', () => {
    expect(byCaller(r.records, 68)[0]!.kv).toEqual({ pod: 'default/nginx-deployment-9456bbbf9-cvrr7', podUID: UID, updateType: 1 });
    expect(byCaller(r.records, 71)[0]!.kv.gracePeriod).toBeNull();
    expect(byCaller(r.records, 72)[0]!.kv.gracePeriod).toBe(30);
    expect(byCaller(r.records, 79)[0]!.kv.podStartSLOduration).toBe(-9223372029.479458);
    expect(byCaller(r.records, 89)[0]!.kv).toEqual({ err: 'some error', nilErr: null });
    expect(byCaller(r.records, 91)[0]!.kv).toEqual({ podUID: UID });
  });

  it('slices of structs and CgroupName read the same in every era', () => {
    expect(byCaller(r.records, 74)[0]!.kv.containers).toEqual([{ Name: 'nginx', State: 'exited', ExitCode: 0, FinishedAt: '2024-06-07T06:54:46.591410983Z' }]);
    expect(byCaller(r.records, 80)[0]!.kv).toEqual({ pid: 1234, cgroupName: ['kubepods', 'besteffort', `pod${UID}`] });
    expect(byCaller(r.records, 82)[0]!.kv).toEqual({ labels: { app: 'nginx' }, ready: true, bytes: 'abc' });
  });

  it('a multi-line string is the same text, escaped (era A) or as a key=< block (B, C)', () => {
    const probe = byCaller(r.records, 77)[0]!;
    expect(probe.kv.output).toBe('Get "http://10.0.0.5:80/": dial tcp 10.0.0.5:80: connect: connection refused\nsecond line');
    expect(probe.kv.probeResult).toBe('failure');
    expect(probe.endLine - probe.line).toBe(name === 'klog-v2.30.0.txt' ? 0 : 3);
  });

  it('an ErrorS line keeps err first and the quoted error text', () => {
    const e = byCaller(r.records, 75)[0]!;
    expect(e.severity).toBe('E');
    expect(Object.keys(e.kv)).toEqual(['err', 'pod', 'podUID']);
    expect(e.kv.err).toBe('failed to "StartContainer" for "nginx" with CrashLoopBackOff: "back-off 10s restarting failed container=nginx pod=nginx_default(4f37)"');
  });
});

describe('era differences that stay visible', () => {
  it('pods lists: KObjs [a b], the 1.26 KObjSlice string "[a b]", era-C JSON', () => {
    const pods = ['default/nginx-deployment-9456bbbf9-cvrr7', 'kube-system/coredns-5dd5756b68-6dljd'];
    expect(byCaller(golden('klog-v2.30.0.txt').records, 65)[0]!.kv.pods).toEqual(pods);
    expect(byCaller(golden('klog-v2.80.1.txt').records, 66)[0]!.kv.pods).toBe(`[${pods.join(' ')}]`);
    expect(byCaller(golden('klog-v2.90.1.txt').records, 66)[0]!.kv.pods).toEqual(pods);
    expect(byCaller(golden('klog-v2.100.1.txt').records, 66)[0]!.kv.pods).toEqual(pods);
    expect(byCaller(golden('klog-v2.100.1.txt').records, 65)[0]!.kv.pods).toEqual([
      { name: 'nginx-deployment-9456bbbf9-cvrr7', namespace: 'default' },
      { name: 'coredns-5dd5756b68-6dljd', namespace: 'kube-system' },
    ]);
  });

  it('a struct whose %+v has a newline: raw continuation (A), block string (B), JSON (C)', () => {
    const text = 'This is some long text\nwith a line break.';
    const a = byCaller(golden('klog-v2.30.0.txt').records, 88)[0]!;
    expect(a.endLine - a.line).toBe(1);
    expect(a.kv.myData).toEqual({ Data: text });
    expect(byCaller(golden('klog-v2.90.1.txt').records, 88)[0]!.kv.myData).toBe(`{Data:${text}}`);
    expect(byCaller(golden('klog-v2.100.1.txt').records, 88)[0]!.kv.myData).toEqual({ Data: text });
  });

  it('updateType: PodWorkType int (1.22-1.27) and PodWorkerState string (1.28+)', () => {
    const recs = byCaller(golden('klog-v2.100.1.txt').records, 69);
    expect(recs[0]!.kv.updateType).toBe('terminating');
  });
});
