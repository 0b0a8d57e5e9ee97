// `journalctl -o verbose` and `-o export`: one entry over several lines, a field a line (systemd's
// logs-show.c output_verbose / output_export). Real samples rewritten the way journalctl prints
// them give the records of the originals; an entry kubelog cannot read goes on line by line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseText } from '../parser/index.js';
import { samplePath } from './helpers/samples.js';

const SYSLOG = /^(\w{3}) (\d\d) (\d\d:\d\d:\d\d) (\S+) ([^[]+)\[(\d+)\]: (.*)$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Entry {
  realtimeUs: number;
  host: string;
  ident: string;
  pid: string;
  message: string;
}

/** A sample's journald lines as entries: the entry time is the line's second plus its klog µs. */
function entries(prefix: string): Entry[] {
  return readFileSync(samplePath(prefix), 'utf8')
    .split('\n')
    .filter((l) => SYSLOG.test(l))
    .map((l) => {
      const m = SYSLOG.exec(l)!;
      const micros = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.(\d{6})/.exec(m[7]!)?.[1] ?? '000000';
      const [h, mi, s] = m[3]!.split(':').map(Number) as [number, number, number];
      const realtimeUs = Date.UTC(2024, MONTHS.indexOf(m[1]!), Number(m[2]), h, mi, s) * 1000 + Number(micros);
      return { realtimeUs, host: m[4]!, ident: m[5]!, pid: m[6]!, message: m[7]! };
    });
}

const cursor = (i: number) => `s=6f0c1b8e2d9a4c7f8e1d2c3b4a596870;i=${(0x4f2 + i).toString(16)};b=1e2d3c4b5a6978877665544332211000;m=${(0x1c9c380 + i).toString(16)};t=613c2a1b0c${i.toString(16).padStart(3, '0')};x=9a8b7c6d5e4f3a2b`;

function verbose(es: Entry[]): string {
  return es
    .map((e, i) => {
      const d = new Date(e.realtimeUs / 1000);
      const day = d.toUTCString().slice(0, 3);
      const ts = `${day} ${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}.${String(e.realtimeUs % 1_000_000).padStart(6, '0')} UTC`;
      return [
        `${ts} [${cursor(i)}]`,
        '    _BOOT_ID=1e2d3c4b5a6978877665544332211000',
        '    PRIORITY=6',
        '    SYSLOG_FACILITY=3',
        `    _HOSTNAME=${e.host}`,
        `    SYSLOG_IDENTIFIER=${e.ident}`,
        `    _PID=${e.pid}`,
        `    _COMM=${e.ident}`,
        '    _SYSTEMD_UNIT=kubelet.service',
        '    _TRANSPORT=stdout',
        `    MESSAGE=${e.message}`,
      ].join('\n');
    })
    .join('\n');
}

function exported(es: Entry[]): string {
  return es
    .map((e, i) =>
      [
        `__CURSOR=${cursor(i)}`,
        `__REALTIME_TIMESTAMP=${e.realtimeUs}`,
        `__MONOTONIC_TIMESTAMP=${30000000 + i}`,
        '_BOOT_ID=1e2d3c4b5a6978877665544332211000',
        'PRIORITY=6',
        `_HOSTNAME=${e.host}`,
        `SYSLOG_IDENTIFIER=${e.ident}`,
        `_PID=${e.pid}`,
        '_TRANSPORT=stdout',
        `MESSAGE=${e.message}`,
        '',
      ].join('\n'),
    )
    .join('\n');
}

const essence = (text: string) => parseText(text, { year: 2024 }).records.map((r) => [r.timeUs, r.severity, r.caller, r.msg, r.kv, r.transport?.host, r.transport?.pid]);

describe('journalctl -o verbose and -o export', () => {
  it.each(['06', '08'])('sample %s: the records of the original, each spanning its entry', (prefix) => {
    const original = parseText(readFileSync(samplePath(prefix), 'utf8'), { year: 2024 });
    const want = essence(readFileSync(samplePath(prefix), 'utf8'));
    for (const text of [verbose(entries(prefix)), exported(entries(prefix))]) {
      const r = parseText(text, { year: 2024 });
      expect(essence(text)).toStrictEqual(want);
      expect(r.counts.records).toBe(original.counts.records);
      // every line counted once: the entries' lines are the records' lines
      expect(r.records.reduce((n, x) => n + x.endLine - x.line + 1, 0) + r.counts.foreign + r.counts.rejected).toBe(text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
    }
  });

  it('verbose: a value over several lines is one value; a blob or a missing MESSAGE goes on as it came', () => {
    const head = 'Sat 2024-03-16 04:31:21.080650 UTC [s=6f0c;i=4f2;b=1e2d;m=1c9;t=613c;x=9a8b]';
    const text = [
      head,
      '    _HOSTNAME=kind-worker',
      '    SYSLOG_IDENTIFIER=kubelet',
      '    _PID=202',
      '    MESSAGE=E0316 04:31:21.080604     202 pod_workers.go:1301] "Error syncing pod, skipping" err=<',
      '            failed to "StartContainer" for "web"',
      '             >',
      '     pod="default/web-0" podUID="1f4bd4a2-0000-4000-8000-000000000001"',
      head,
      '    _HOSTNAME=kind-worker',
      '    SYSLOG_IDENTIFIER=kubelet',
      '    MESSAGE=[1.2K blob data]',
      '',
    ].join('\n');
    const r = parseText(text, { year: 2024 });
    expect(r.records[0]).toMatchObject({ line: 1, endLine: 7, msg: 'Error syncing pod, skipping', kv: { err: 'failed to "StartContainer" for "web"' } });
    // a line indented less than MESSAGE's value is no part of it; the entry whose MESSAGE is a blob
    // is not folded: those lines go on as they came, each counted
    expect(r.records.map((x) => [x.line, x.endLine])).toStrictEqual([[1, 7]]);
    expect(r.foreign.map((f) => [f.line, f.kind])).toStrictEqual([8, 9, 10, 11, 12].map((n) => [n, 'text']));
    expect(r.counts.linesRead).toBe(r.counts.recordLines + r.counts.foreign);
  });

  it('verbose in a zone named by its abbreviation: CEST is one offset; CST (China, US, Cuba) is left to the log', () => {
    const entry = (time: string) =>
      [
        `${time} [s=6f0c;i=4f2;b=1e2d;m=1c9;t=613c;x=9a8b]`,
        '    _HOSTNAME=kind-worker',
        '    SYSLOG_IDENTIFIER=kubelet',
        '    _PID=202',
        `    MESSAGE=I0316 ${time.slice(15, 30)}     202 kubelet.go:2474] "SyncLoop ADD" source="api" pods=["default/web-0"]`,
      ].join('\n') + '\n';
    const cest = parseText(entry('Sat 2024-03-16 06:31:21.080650 CEST'), { year: 2024 });
    expect(cest.records.map((x) => [x.line, x.endLine, x.msg, x.transport?.timeUs, x.timeUs])).toStrictEqual([[1, 5, 'SyncLoop ADD', 1710563481080650, 1710563481080650]]);
    const cst = parseText(entry('Sat 2024-03-16 12:31:21.080650 CST'), { year: 2024 });
    // read as short-full; nothing else in this log says the zone: assumed, and said so
    expect(cst.records.map((x) => [x.line, x.endLine, x.msg, x.transport?.timeText])).toStrictEqual([[1, 5, 'SyncLoop ADD', 'Sat 2024-03-16 12:31:21.080650 CST']]);
    expect(cst.time.zone).toMatchObject({ value: '+00:00', from: 'default' });
  });
});
