// The same kubelet log in the forms people paste or export it in: indented (a Markdown code
// block), quoted (`> ` in an issue), `journalctl -o json-pretty`, a Cloud Logging export (`gcloud
// logging read --format=json`: a pretty array of LogEntry; a log sink: one LogEntry a line), a
// CloudWatch Logs answer (`aws logs filter-log-events`), and `jq .` over kubelet JSON. Each is
// built here from a real sample and must give the records of the sample itself, every physical
// line counted once, and (through the real CLI over a real database) the same pod lifecycle.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { parseText, type LogRecord, type ParseResult } from '../parser/index.js';
import { pasteMargin } from '../parser/paste-margin.js';
import { runCli } from './helpers/cli.js';
import { samplePath } from './helpers/samples.js';

const lines = (prefix: string): string[] => readFileSync(samplePath(prefix), 'utf8').split('\n').filter((l) => l !== '');

/** Sample 08: kind-worker, kubelet pid 202, one pod (lws-e2e-thznm/lws-1) from ADD to REMOVE, March 2025. */
const KIND = lines('08');
const SYSLOG = /^(\w{3}) +(\d+) (\d\d:\d\d:\d\d) (\S+) (\w+)\[(\d+)\]: (.*)$/;

interface Entry {
  host: string;
  ident: string;
  pid: string;
  message: string;
  /** The klog header's time in 2025, UTC (the sample's kubelet logs in UTC). */
  timeUs: number;
}

const entries: Entry[] = KIND.map((l) => {
  const m = SYSLOG.exec(l)!;
  const k = /^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})/.exec(m[7]!)!;
  const ms = Date.UTC(2025, Number(k[1]) - 1, Number(k[2]), Number(k[3]), Number(k[4]), Number(k[5]));
  return { host: m[4]!, ident: m[5]!, pid: m[6]!, message: m[7]!, timeUs: ms * 1000 + Number(k[6]) };
});

const isoOf = (us: number): string => `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1e6).padStart(6, '0')}Z`;
const journalFields = (e: Entry) => ({
  __REALTIME_TIMESTAMP: String(e.timeUs),
  _HOSTNAME: e.host,
  SYSLOG_IDENTIFIER: e.ident,
  _PID: e.pid,
  _SYSTEMD_UNIT: 'kubelet.service',
  MESSAGE: e.message,
});

const text = (ls: string[]): string => ls.join('\n') + '\n';

/** A GKE node's kubelet line as Cloud Logging keeps it (the journal's fields as jsonPayload), keys in gcloud's order. */
const gkeLogEntry = (e: Entry, i: number) => ({
  insertId: `id${i}`,
  jsonPayload: { ...journalFields(e), PRIORITY: '6' },
  logName: 'projects/demo/logs/kubelet',
  receiveTimestamp: isoOf(e.timeUs + 1_000_000),
  resource: { labels: { cluster_name: 'c1', location: 'us-central1-a', node_name: e.host, project_id: 'demo' }, type: 'k8s_node' },
  severity: 'INFO',
  timestamp: isoOf(e.timeUs),
});

/** The forms, each with the number of physical lines it has. */
const FORMS: Record<string, string> = {
  'indented (Markdown code block)': text(KIND.map((l) => `    ${l}`)),
  'quoted (`> `) after a sentence and a fence, CRLF': text(['I see this on the node:', '', '> ```', ...KIND.map((l) => `> ${l}`), '> ```', '>']).replace(/\n/g, '\r\n'),
  'docker compose logs (the service padded, ` | `; k3s-io/k3s#587)': text(entries.map((e) => `${e.host.padEnd(16)}| ${e.message}`)),
  'Loki logcli --forward (time, labels, the journal line)': text(entries.map((e) => `${isoOf(e.timeUs)} {host="${e.host}", job="systemd-journal", unit="kubelet.service"} ${e.message}`)),
  'Loki logcli --forward -o jsonl': text(entries.map((e) => JSON.stringify({ labels: { host: e.host, unit: 'kubelet.service' }, line: e.message, timestamp: isoOf(e.timeUs) }))),
  'Elasticsearch hits of Filebeat journald documents (jq -c .hits.hits[])': text(
    entries.map((e, i) =>
      JSON.stringify({ _index: 'filebeat', _id: `d${i}`, _source: { '@timestamp': isoOf(e.timeUs), message: e.message, host: { hostname: e.host, name: e.host }, systemd: { unit: 'kubelet.service' }, process: { pid: Number(e.pid) } } }),
    ),
  ),
  'Splunk search -output json (syslog lines a forwarder read)': text(
    KIND.map((l, i) => JSON.stringify({ preview: false, offset: i, result: { _raw: l, _time: isoOf(entries[i]!.timeUs), host: entries[i]!.host, source: '/var/log/messages', sourcetype: 'syslog' } })),
  ),
  'journalctl -o json-pretty': text(entries.map((e) => JSON.stringify(journalFields(e), null, 8).replace(/": /g, '" : '))),
  'gcloud logging read --format=json (jsonPayload from the journal)': JSON.stringify(entries.map(gkeLogEntry), null, 2) + '\n',
  'gcloud logging read (its default YAML: a document per LogEntry, keys sorted)': entries.map((e, i) => `---\n${stringifyYaml(gkeLogEntry(e, i), { lineWidth: 80 })}`).join(''),
  'Cloud Logging sink (one LogEntry a line, textPayload)': text(
    entries.map((e) => JSON.stringify({ logName: 'projects/demo/logs/kubelet', resource: { type: 'k8s_node', labels: { node_name: e.host } }, textPayload: `${e.message}\n`, timestamp: isoOf(e.timeUs) })),
  ),
  'aws logs filter-log-events (syslog lines as messages)': JSON.stringify(
    {
      events: KIND.map((l, i) => ({ logStreamName: 'kind-worker', timestamp: Math.floor(entries[i]!.timeUs / 1000), message: l, ingestionTime: 1742100000000, eventId: String(i) })),
      searchedLogStreams: [{ logStreamName: 'kind-worker', searchedCompletely: true }],
    },
    null,
    4,
  ) + '\n',
};

/** What a record says, without where it sits or how it was wrapped. */
const said = (r: LogRecord) => ({ msg: r.msg, kv: r.kv, severity: r.severity, caller: r.caller, timeUs: r.timeUs, host: r.transport?.host });

const physicalLines = (s: string): number => s.split('\n').length - 1;

function expectAccounted(r: ParseResult, input: string): void {
  const c = r.counts;
  expect(c.linesRead).toBe(physicalLines(input));
  expect(c.linesRead).toBe(c.recordLines + c.foreign + c.rejected);
  // each record's lines are its own: no two records and no foreign line share one
  const owned = new Set<number>();
  for (const rec of r.records) for (let l = rec.line; l <= rec.endLine; l++) owned.add(l);
  for (const f of r.foreign) owned.add(f.line);
  for (const x of r.rejected) owned.add(x.line);
  expect(owned.size).toBe(c.linesRead);
}

describe('a kubelet log as people paste and export it', () => {
  const original = parseText(text(KIND), { year: 2025 });

  it('the original: 67 records', () => {
    expect(original.records).toHaveLength(67);
    expect(original.records[0]!.msg).toBe('SyncLoop ADD');
  });

  it.each(Object.entries(FORMS))('%s: the records of the original, every line counted once', (_name, input) => {
    const r = parseText(input, { year: 2025 });
    expectAccounted(r, input);
    expect(r.rejected).toEqual([]);
    expect(r.records.map(said)).toEqual(original.records.map(said));
  });

  it('syslog lines cut after their host (`cut -d" " -f5-`, kubernetes/kubernetes#20497): the records of the original, tag and pid kept, no node made up', () => {
    const input = text(entries.map((e) => `${e.ident}[${e.pid}]: ${e.message}`));
    const r = parseText(input, { year: 2025 });
    expectAccounted(r, input);
    expect(r.foreign).toEqual([]);
    expect(r.records.map((x) => ({ ...said(x), host: undefined }))).toEqual(original.records.map((x) => ({ ...said(x), host: undefined })));
    expect(r.records.every((x) => x.transport?.ident === 'kubelet' && x.transport.pid === 202 && x.transport.host === undefined)).toBe(true);
  });

  it('a json-pretty entry is one record over the lines of its object, its raw text as written', () => {
    const input = FORMS['journalctl -o json-pretty']!;
    const r = parseText(input, { year: 2025 });
    // 8 lines an entry: `{`, 6 fields, `}`
    expect(r.records.slice(0, 3).map((x) => [x.line, x.endLine])).toEqual([
      [1, 8],
      [9, 16],
      [17, 24],
    ]);
    expect(r.records[0]!.raw).toBe(input.split('\n').slice(0, 8).join('\n'));
    expect(r.records[0]!.envelope).toBe('journal-json');
    expect(r.records[0]!.transport).toEqual({ host: 'kind-worker', ident: 'kubelet', pid: 202, timeUs: entries[0]!.timeUs, timeText: String(entries[0]!.timeUs) });
  });

  it('the gcloud export: the array brackets are foreign lines, the node is the resource node', () => {
    const input = FORMS['gcloud logging read --format=json (jsonPayload from the journal)']!;
    const r = parseText(input, { year: 2025 });
    expect(r.foreign.map((f) => [f.line, f.text])).toEqual([
      [1, '['],
      [physicalLines(input), ']'],
    ]);
    expect(r.records[0]!.envelope).toBe('log-export');
    expect(r.records[0]!.transport).toEqual({ host: 'kind-worker', ident: 'kubelet', pid: 202, timeUs: entries[0]!.timeUs, timeText: isoOf(entries[0]!.timeUs) });
  });

  it('jq over kubelet JSON: each pretty record is the record of its line', () => {
    const json = lines('10').map((l) => l.slice(l.indexOf('{')));
    const flat = parseText(text(json));
    const pretty = text(json.map((l) => JSON.stringify(JSON.parse(l), null, 2)));
    const r = parseText(pretty);
    expectAccounted(r, pretty);
    expect(r.records.map(said)).toEqual(flat.records.map(said));
    expect(r.records).toHaveLength(25);
  });

  it('pretty JSON that is no log entry (a status patch continuing a klog record) stays as it was', () => {
    const log = [
      'I0316 04:31:21.000001     202 status_manager.go:874] "Patch status for pod" pod="a/b" podUID="0f6fc0b8-0b0c-4b6a-9a3e-d1a3c1e1a001" patch=<',
      '\t{',
      '\t  "metadata": {"uid": "0f6fc0b8-0b0c-4b6a-9a3e-d1a3c1e1a001"},',
      '\t  "status": {"conditions": [{"message": "ok", "timestamp": "x"}]}',
      '\t}',
      ' >',
      'I0316 04:31:22.000001     202 kubelet.go:2474] "SyncLoop ADD" source="api" pods=["a/c"]',
    ].join('\n');
    const r = parseText(log + '\n', { year: 2025 });
    expectAccounted(r, log + '\n');
    expect(r.records.map((x) => [x.line, x.endLine, x.msg])).toEqual([
      [1, 6, 'Patch status for pod'],
      [7, 7, 'SyncLoop ADD'],
    ]);
    expect(r.records[0]!.raw).toBe(log.split('\n').slice(0, 6).join('\n'));
    // the block's text, its TABs taken off, as it always was
    expect(r.records[0]!.kv.patch).toBe(['{', '  "metadata": {"uid": "0f6fc0b8-0b0c-4b6a-9a3e-d1a3c1e1a001"},', '  "status": {"conditions": [{"message": "ok", "timestamp": "x"}]}', '}'].join('\n'));
    expect(r.foreign).toEqual([]);
  });
});

describe('pretty JSON and YAML that never end, nest without end or expand (generated)', () => {
  const klog = 'I0316 04:31:22.000001     202 kubelet.go:2474] "SyncLoop ADD" source="api" pods=["a/c"]';
  it.each([
    ['an entry over 1 MB that never closes', ['[', '  {', ...Array.from({ length: 40_000 }, (_, i) => `    "k${i}": "${'x'.repeat(24)}",`), klog]],
    ['brackets 100,000 deep', ['[', ...Array.from({ length: 100_000 }, () => '['), klog]],
    ['an open string', ['{', '  "MESSAGE": "never closed', klog, '}', klog]],
    ['a YAML alias bomb in a LogEntry document', ['---', 'insertId: a', 'a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`), 'textPayload: x', '---', klog]],
    ['a YAML LogEntry nested 100,000 deep', ['---', 'insertId: a', 'textPayload: x', `n: ${'['.repeat(100_000)}${']'.repeat(100_000)}`, '---', klog]],
    ['a YAML LogEntry document over 1 MB', ['---', 'insertId: a', ...Array.from({ length: 40_000 }, (_, i) => `k${i}: ${'x'.repeat(24)}`), klog]],
  ])('%s: every line counted, the klog lines still records', (_name, ls) => {
    const input = text(ls);
    const r = parseText(input, { year: 2025 });
    expectAccounted(r, input);
    expect(r.records.filter((x) => x.msg === 'SyncLoop ADD').map((x) => x.line)).toEqual(ls.flatMap((l, i) => (l === klog ? [i + 1] : [])));
  });
});

describe('a log saved as UTF-16 (Windows PowerShell `>`)', () => {
  it('says so and how to convert it, and still counts every line', () => {
    const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(KIND.slice(0, 3)), 'utf16le')]);
    const r = parseText(input, { year: 2025 });
    expect(r.diagnostics[0]).toEqual({ level: 'error', code: 'utf-16', line: 1, message: expect.stringContaining('iconv -f UTF-16 -t UTF-8') });
    expect(r.counts.linesRead).toBe(r.counts.recordLines + r.counts.foreign + r.counts.rejected);
  });
});

describe('lines a terminal wrapped at its edge', () => {
  it('a stack frame cut in two stays in the crash record (journalctl pasted in kubernetes/kubernetes#86676)', () => {
    const h = 'Dec 27 21:41:30 kinder-upgrade-control-plane-1 kubelet[30265]: ';
    const log = [
      `${h}goroutine 603 [running]:`,
      `${h}k8s.io/kubernetes/vendor/k8s.io/apimachinery/pkg/util/runtime.logPanic(0x3a2dec0, 0x6d6df80)`,
      `${h}        /go/src/k8s.io/kubernetes/_output/dockerized/go/src/k8s.io/kubernetes/vendor/k8s.io/apimachinery/`,
      'pkg/util/runtime/runtime.go:74 +0xa3',
      `${h}k8s.io/kubernetes/vendor/k8s.io/apimachinery/pkg/util/runtime.HandleCrash(0x0, 0x0, 0x0)`,
      `${h}        /go/src/k8s.io/kubernetes/_output/dockerized/go/src/k8s.io/kubernetes/vendor/k8s.io/apimachinery/`,
      'pkg/util/runtime/runtime.go:48 +0x82',
      `${h}panic(0x3a2dec0, 0x6d6df80)`,
      `${h}        /usr/local/go/src/runtime/panic.go:679 +0x1b2`,
    ];
    const r = parseText(text(log), { year: 2019 });
    expect(r.foreign).toEqual([]);
    expect(r.records.map((x) => [x.line, x.endLine, x.format])).toEqual([[1, 9, 'crash']]);
  });

  it('a klog line cut inside its brackets continues; a line after a complete record does not', () => {
    const h = 'Mar 16 04:31:21 kind-worker kubelet[202]: ';
    const log = [`${h}I0316 04:31:21.080604     202 kubelet.go:2474] "SyncLoop ADD" source="api" pods=[`, '"lws-e2e-thznm/lws-1"]', 'a note pasted between lines', `${h}I0316 04:31:22.080604     202 kubelet.go:2474] "SyncLoop ADD" source="api" pods=["a/b"]`];
    const r = parseText(text(log), { year: 2025 });
    expect(r.records.map((x) => [x.line, x.endLine])).toEqual([
      [1, 2],
      [4, 4],
    ]);
    expect(r.records[0]!.kv.pods).toEqual(['lws-e2e-thznm/lws-1']);
    expect(r.foreign.map((f) => f.line)).toEqual([3]);
  });

  it('a printf-era line cut inside a %+v struct continues (k3s-io/k3s#2765); a balanced one is followed by foreign text', () => {
    const h = 'Jan 06 09:11:55 control02 k3s[3518259]: ';
    const log = [
      `${h}I0106 09:11:55.458848 3518259 setters.go:555] Node became not ready: {Type:Ready Status:False LastHeartbeatTime:2021-01-06 09:11:55.458777724 +0100 CET m=+33.683599143 LastTransitionTime:2021-01-06 09:11:55`,
      '.458777724 +0100 CET m=+33.683599143 Reason:KubeletNotReady Message:[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]}',
      `${h}I0106 09:11:55.455107 3518259 kubelet.go:1765] Node became not ready: {Type:Ready Status:False}`,
      'a note pasted between lines',
    ];
    const r = parseText(text(log), { year: 2021 });
    expect(r.records.map((x) => [x.line, x.endLine])).toEqual([
      [1, 2],
      [3, 3],
    ]);
    expect(r.records[0]!.msg).toContain('Reason:KubeletNotReady Message:[container runtime status check may not have completed yet');
    expect(r.foreign.map((f) => f.line)).toEqual([4]);
  });
});

describe('pasteMargin', () => {
  it.each([
    ['four blanks', ['    I0316 04:31:21.080604 1 a.go:1] "x"', '    \tcontinued', '    I0316 04:31:22.080604 1 a.go:1] "y"'], '    '],
    ['a quote', ['> Mar 16 04:31:21 n kubelet[1]: x', '>', '> Mar 16 04:31:22 n kubelet[1]: y'], '> '],
    ['a nested quote', ['> > {"ts":1,"msg":"x"}', '> > {"ts":2,"msg":"y"}'], '> > '],
    ['none: an ordinary log with continuation lines', ['I0316 04:31:21.080604 1 a.go:1] "x" c=<', '\tblock', ' >'], ''],
    ['none: indented text that starts no log line', ['    goroutine 1 [running]:', '    main.main()'], ''],
    ['none: fewer than four in five lines carry it', ['text', 'more text', 'and more', 'still text', '    I0316 04:31:21.080604 1 a.go:1] "x"'], ''],
  ])('%s', (_name, head, margin) => {
    expect(pasteMargin(head)).toBe(margin);
  });
});

describe('kubelog ingest of an export (real CLI, real database)', () => {
  it('the gcloud export gives the pod of the original, phase for phase', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-paste-'));
    const exportFile = path.join(dir, 'kubelet-export.json');
    writeFileSync(exportFile, FORMS['gcloud logging read --format=json (jsonPayload from the journal)']!);
    const pods = async (file: string, db: string) => {
      const ing = await runCli(['ingest', '-q', '--db', db, '--year', '2025', file]);
      expect(ing.code, ing.stderr).toBe(0);
      const r = await runCli(['pods', '--db', db, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { pods: Array<{ name: string; node: string; state: string; phases: unknown }> }).pods;
    };
    const fromExport = await pods(exportFile, path.join(dir, 'export.db'));
    const fromSample = await pods(samplePath('08'), path.join(dir, 'sample.db'));
    expect(fromExport).toHaveLength(1);
    expect(fromExport[0]!.name).toBe('lws-1');
    expect(fromExport[0]!.node).toBe('kind-worker');
    expect(fromExport[0]!.state).toBe('finished');
    // the same phases at the same times and by the same lines; the export's line numbers are its own
    type Phase = Record<string, unknown> & { startLine: number; endLine: number };
    const untied = (phases: unknown) => (phases as Phase[]).map(({ startLine: _s, endLine: _e, ...rest }) => rest);
    expect(untied(fromExport[0]!.phases)).toEqual(untied(fromSample[0]!.phases));
    expect(untied(fromExport[0]!.phases)).toHaveLength(3);
    // the first entry (the ADD) is lines 2–20 of the export: its phase starts at its first line
    expect((fromExport[0]!.phases as Phase[])[0]!.startLine).toBe(2);
  });
});
