// Logging platforms' CSV exports (schemas/envelopes.json csvExport): a header row naming a message
// column, then one row per event. Sample 08 exported as Splunk writes it gives the records of the
// original; a multi-line event, Azure's UTC column, and rows that are no rows of the header.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseText } from '../parser/index.js';
import { csvFields } from '../parser/csv-export.js';
import { samplePath } from './helpers/samples.js';

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
const essence = (text: string) => parseText(text, { year: 2024 }).records.map((r) => [r.timeUs, r.severity, r.caller, r.msg, r.kv, r.transport?.host, r.transport?.pid]);

describe('CSV exports', () => {
  it('RFC 4180 fields: quotes, doubled quotes, commas and line breaks inside quotes', () => {
    expect(csvFields('a,"b,c","say ""hi""",,"x\ny"')).toStrictEqual(['a', 'b,c', 'say "hi"', '', 'x\ny']);
    expect(csvFields('"open')).toBeUndefined();
    expect(csvFields('"a"b,c')).toBeUndefined();
  });

  it('sample 08 as a Splunk export: the records of the original, the row time as the transport time', () => {
    const lines = readFileSync(samplePath('08'), 'utf8').split('\n').filter(Boolean);
    const rows = lines.map((l, i) => {
      const us = /^[IWEF]\d{4} (\d\d:\d\d:\d\d\.\d{6})/.exec(l.slice(l.indexOf(': ') + 2))![1]!;
      return [String(i), q(`2024-03-16T${us}+00:00`), q('/var/log/syslog'), 'syslog', q('kind-worker'), q(l)].join(',');
    });
    const csv = ['"_serial","_time",source,sourcetype,host,"_raw"', ...rows].join('\n') + '\n';
    const r = parseText(csv, { year: 2024 });
    expect(essence(csv)).toStrictEqual(essence(lines.join('\n') + '\n'));
    expect(r.records.every((x) => x.envelope === 'log-export' && x.transport?.timeUs === x.timeUs)).toBe(true);
    // the header is counted, as another program's text
    expect([r.counts.linesRead, r.counts.recordLines, r.counts.foreign]).toStrictEqual([68, 67, 1]);
  });

  it('a multi-line event is one record over its row; Azure times under a [UTC] header are exact', () => {
    const splunk = [
      '_time,host,_raw',
      `"2025-03-16T04:31:22.080+00:00",kind-worker,${q('Mar 16 04:31:22 kind-worker kubelet[202]: I0316 04:31:22.080604     202 prober.go:107] "Probe failed" probeType="Liveness" pod="default/liveness-exec" output=<\nMar 16 04:31:22 kind-worker kubelet[202]:         cat: can\'t open \'/tmp/healthy\'\nMar 16 04:31:22 kind-worker kubelet[202]:  >')}`,
    ].join('\n');
    const r = parseText(splunk + '\n');
    expect(r.records.map((x) => [x.line, x.endLine, x.msg, x.kv.output, x.timeUs])).toStrictEqual([[2, 4, 'Probe failed', "cat: can't open '/tmp/healthy'", Date.UTC(2025, 2, 16, 4, 31, 22) * 1000 + 80_604]]);
    // the lines after the first are dated by their row too: no year is assumed
    expect(r.diagnostics).toStrictEqual([]);

    const azure = [
      'TimeGenerated [UTC],Computer,ProcessName,ProcessID,SeverityLevel,SyslogMessage',
      `"3/16/2025, 4:31:21.080 PM",aks-nodepool1-29985679-vmss00000a,kubelet,4052,info,${q('I0316 16:31:21.080604    4052 kubelet.go:2474] "SyncLoop ADD" source="api" pods=["default/liveness-exec"]')}`,
    ].join('\n');
    const a = parseText(azure + '\n');
    expect(a.records.map((x) => [x.msg, x.timeUs, x.transport])).toStrictEqual([
      ['SyncLoop ADD', Date.UTC(2025, 2, 16, 16, 31, 21) * 1000 + 80_604, { host: 'aks-nodepool1-29985679-vmss00000a', ident: 'kubelet', pid: 4052, timeUs: Date.UTC(2025, 2, 16, 16, 31, 21, 80) * 1000, timeText: '2025-03-16T16:31:21.080Z' }],
    ]);
  });

  it('only a first line that is such a header starts it; a row that is no row of it goes on as it came', () => {
    // a syslog first line with commas is a log line, not a header
    const log = 'Mar 16 04:31:21 kind-worker kubelet[202]: I0316 04:31:21.080604     202 kubelet.go:2474] "SyncLoop ADD" source="api" pods=["a/b","c/d"]\n';
    expect(parseText(log, { year: 2024 }).records).toHaveLength(1);
    const bad = ['_time,host,_raw', 'only,two', `"2025-03-16T04:31:22.080+00:00",kind-worker,${q('I0316 04:31:22.080604     202 kubelet.go:2474] "SyncLoop ADD" source="api" pods=["a/b"]')}`].join('\n') + '\n';
    const r = parseText(bad);
    expect(r.records.map((x) => [x.line, x.msg])).toStrictEqual([[3, 'SyncLoop ADD']]);
    expect(r.foreign.map((f) => f.line)).toStrictEqual([1, 2]);
  });
});
