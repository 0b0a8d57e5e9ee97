// The kubelet in a container (RKE1's kubelet container, kubelet-in-docker): its output as the
// container runtime logs it, in the CRI format (containerd, CRI-O) and Docker's json-file. Built
// from sample 08 (and a generated long line the runtime cut at 16 KiB); it must give the records
// of the sample itself, and a cut line must come back whole.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseText, type LogRecord } from '../parser/index.js';
import { samplePath } from './helpers/samples.js';

const SYSLOG = /^\w{3} +\d+ \d\d:\d\d:\d\d \S+ \w+\[\d+\]: (.*)$/;
const klog = readFileSync(samplePath('08'), 'utf8').split('\n').filter((l) => l !== '').map((l) => SYSLOG.exec(l)![1]!);
const timeOf = (line: string): string => {
  const k = /^[IWEF](\d\d)(\d\d) (\d\d:\d\d:\d\d\.\d{6})/.exec(line)!;
  return `2025-${k[1]}-${k[2]}T${k[3]}123Z`;
};
const text = (ls: string[]): string => ls.join('\n') + '\n';
const cri = (line: string, tag = 'F', time = timeOf(line)) => `${time} stderr ${tag} ${line}`;
const docker = (log: string, time: string) => JSON.stringify({ log, stream: 'stderr', time });
const said = (r: LogRecord) => ({ msg: r.msg, kv: r.kv, severity: r.severity, caller: r.caller, timeUs: r.timeUs });

describe('the kubelet’s output as its container runtime logs it', () => {
  const original = parseText(text(klog), { year: 2025 });

  it.each([
    ['CRI (containerd, CRI-O)', text(klog.map((l) => cri(l)))],
    ['Docker json-file', text(klog.map((l) => docker(`${l}\n`, timeOf(l))))],
  ])('%s: the records of the original, dated by the runtime (with the year)', (_name, input) => {
    const r = parseText(input);
    expect(r.counts.linesRead).toBe(klog.length);
    expect(r.records.map(said)).toEqual(original.records.map(said));
    expect(r.records.every((x) => x.envelope === 'container')).toBe(true);
    expect(r.time.year).toBeUndefined();
  });

  // a status patch 40 KB long, cut by the runtime into 16 KiB pieces
  const long = `I0316 04:31:21.500000     202 status_manager.go:874] "Patch status for pod" pod="lws-e2e-thznm/lws-1" podUID="4ba4f666-0000-4000-8000-000000000001" patch="${'x'.repeat(40_000)}"`;
  const cuts = [0, 16_384, 32_768, long.length];
  const pieces = cuts.slice(1).map((end, i) => long.slice(cuts[i], end));
  const after = 'I0316 04:31:22.000000     202 kubelet.go:2474] "SyncLoop ADD" source="api" pods=["a/b"]';

  it.each([
    ['CRI P, P, F', [...pieces.map((p, i) => cri(p, i < 2 ? 'P' : 'F', '2025-03-16T04:31:21.500000123Z')), cri(after)]],
    ['json-file pieces without their newline', [...pieces.map((p, i) => docker(i < 2 ? p : `${p}\n`, '2025-03-16T04:31:21.500000123Z')), docker(`${after}\n`, timeOf(after))]],
  ])('%s: one record, whole, over the lines of its pieces', (_name, lines) => {
    const r = parseText(text(lines));
    expect(r.counts.linesRead).toBe(4);
    expect(r.counts.linesRead).toBe(r.counts.recordLines + r.counts.foreign + r.counts.rejected);
    expect(r.records.map((x) => [x.line, x.endLine, x.msg])).toEqual([
      [1, 3, 'Patch status for pod'],
      [4, 4, 'SyncLoop ADD'],
    ]);
    expect(r.records[0]!.kv.patch).toBe('x'.repeat(40_000));
    expect(r.records[0]!.raw).toBe(lines.slice(0, 3).join('\n'));
  });

  it('pieces that never get their last one go on as they came', () => {
    const lines = [cri(pieces[0]!, 'P', '2025-03-16T04:31:21.500000123Z'), `2025-03-16T04:31:21.600000000Z stdout F something else`, cri(after)];
    const r = parseText(text(lines));
    expect(r.counts.linesRead).toBe(3);
    expect(r.counts.linesRead).toBe(r.counts.recordLines + r.counts.foreign + r.counts.rejected);
    expect(r.records.map((x) => x.line)).toContain(3);
  });
});
