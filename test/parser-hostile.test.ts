// Bad input: the parser never throws, and every line is a record line, a foreign line or a
// counted reject with a diagnostic that names its line.
import { describe, expect, it } from 'vitest';
import { KubeletLogParser, parseText, type ParseEvent } from '../parser/index.js';
import { iso } from './helpers/samples.js';

const K = (sev: string, mmdd: string, time: string, caller: string, body: string) => `${sev}${mmdd} ${time}    1234 ${caller}] ${body}`;
const GOOD = K('I', '0607', '14:54:46.123456', 'kubelet.go:2389', '"SyncLoop ADD" source="api" pods=["default/a"]');

function accounted(r: ReturnType<typeof parseText>) {
  expect(r.counts.linesRead).toBe(r.counts.recordLines + r.counts.foreign + r.counts.rejected);
}

describe('hostile input', () => {
  it('an empty input gives nothing and no error', () => {
    for (const input of ['', Buffer.alloc(0)]) {
      const r = parseText(input);
      expect(r.counts).toMatchObject({ linesRead: 0, records: 0, foreign: 0, rejected: 0 });
      expect(r.records).toEqual([]);
    }
  });

  it('binary bytes are rejected as binary, with the line number', () => {
    const input = Buffer.concat([Buffer.from(GOOD + '\n'), Buffer.from([0x00, 0x01, 0x02, 0xff, 0x10, 0x0a]), Buffer.from(GOOD + '\n')]);
    const r = parseText(input, { year: 2024 });
    expect(r.records.map((x) => x.line)).toEqual([1, 3]);
    expect(r.rejected).toMatchObject([{ line: 2, reason: 'binary' }]);
    expect(r.diagnostics).toMatchObject([{ line: 2, level: 'error', code: 'binary' }]);
    accounted(r);
  });

  it('invalid UTF-8 is replaced, parsed, and reported', () => {
    const bad = Buffer.concat([Buffer.from(K('I', '0607', '14:54:46.000001', 'x.go:1', '"msg" name="')), Buffer.from([0xc3, 0x28, 0xa0]), Buffer.from('"\n')]);
    const r = parseText(bad, { year: 2024 });
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.kv.name).toBe('\uFFFD(\uFFFD');
    expect(r.diagnostics).toMatchObject([{ line: 1, level: 'warning', code: 'invalid-utf8' }]);
  });

  it('a literal U+FFFD in valid UTF-8 is not reported', () => {
    const r = parseText(K('I', '0607', '14:54:46.000001', 'x.go:1', '"msg" name="\uFFFD"') + '\n', { year: 2024 });
    expect(r.diagnostics).toEqual([]);
  });

  it('a 10 MB line is rejected as too long and the lines around it survive', () => {
    const huge = 'I0607 14:54:46.000001    1234 x.go:1] "msg" v="' + 'x'.repeat(10 * 1024 * 1024) + '"';
    const r = parseText([GOOD, huge, GOOD].join('\n') + '\n', { year: 2024 });
    expect(r.records.map((x) => x.line)).toEqual([1, 3]);
    expect(r.rejected).toMatchObject([{ line: 2, reason: 'too-long' }]);
    expect(r.rejected[0]!.text.length).toBeLessThanOrEqual(512);
    expect(r.diagnostics[0]!.message).toMatch(/over the limit/);
    accounted(r);
  });

  it('a 10 MB line is not held in memory: the line splitter keeps only a prefix', () => {
    const events: ParseEvent[] = [];
    const p = new KubeletLogParser({ year: 2024 }, (e) => events.push(e));
    const chunk = Buffer.alloc(1 << 20, 0x61);
    p.push(GOOD + '\n');
    for (let i = 0; i < 10; i++) p.push(chunk);
    p.push('\n' + GOOD + '\n');
    const counts = p.end();
    expect(counts).toMatchObject({ linesRead: 3, records: 2, rejected: 1 });
    expect(counts.bytesRead).toBe(2 * (GOOD.length + 1) + 10 * (1 << 20) + 1);
  });

  it('CRLF line endings give the same records as LF', () => {
    const lines = [GOOD, K('E', '0607', '14:54:47.000000', 'pod_workers.go:1300', '"Error syncing pod, skipping" err="boom" podUID=abc')];
    const lf = parseText(lines.join('\n') + '\n', { year: 2024 });
    const crlf = parseText(lines.join('\r\n') + '\r\n', { year: 2024 });
    expect(crlf.records.map((r) => [r.msg, r.kv, r.timeUs])).toEqual(lf.records.map((r) => [r.msg, r.kv, r.timeUs]));
    expect(crlf.records[1]!.kv).toEqual({ err: 'boom', podUID: 'abc' });
  });

  it('a line cut inside a quoted value keeps what was there and says so', () => {
    const r = parseText(K('I', '0607', '14:54:46.000001', 'x.go:1', '"Killing container" pod="default/a" containerID="containerd://ab') + '\n', { year: 2024 });
    expect(r.records[0]!.kv).toEqual({ pod: 'default/a', containerID: 'containerd://ab' });
    expect(r.diagnostics).toMatchObject([{ line: 1, code: 'unterminated-string' }]);
  });

  it('a cut `key=<` block ends at the next header', () => {
    const r = parseText([K('I', '0607', '14:54:46.000001', 'prober.go:107', '"Probe failed" output=<'), '\tline one', GOOD].join('\n'), { year: 2024 });
    expect(r.records.map((x) => [x.line, x.endLine])).toEqual([
      [1, 2],
      [3, 3],
    ]);
    expect(r.records[0]!.kv.output).toBe('line one');
    expect(r.diagnostics).toMatchObject([{ line: 1, code: 'unclosed-block' }]);
  });

  it('a klog header with an impossible date is rejected, not read as text', () => {
    const r = parseText(K('I', '1307', '14:54:46.000001', 'x.go:1', '"msg"') + '\n', { year: 2024 });
    expect(r.rejected).toMatchObject([{ line: 1, reason: 'bad-header' }]);
  });

  it('truncated kubelet JSON is rejected as bad-json', () => {
    const r = parseText('{"ts":1746793592062.8118,"caller":"kubelet/pod_workers.go:1298","msg":"Error sync\n', { year: 2024 });
    expect(r.rejected).toMatchObject([{ line: 1, reason: 'bad-json' }]);
    expect(r.diagnostics[0]!.level).toBe('error');
  });

  it('rsyslog #011 block lines and ` >` with pairs after it', () => {
    const lines = [
      'Jun  7 14:54:46 node1 kubelet[1234]: ' + K('I', '0607', '14:54:46.000001', 'prober.go:107', '"Probe failed" probeType="Liveness" output=<'),
      'Jun  7 14:54:46 node1 kubelet[1234]: #011HTTP probe failed with statuscode: 500',
      'Jun  7 14:54:46 node1 kubelet[1234]: #011#011indented twice',
      'Jun  7 14:54:46 node1 kubelet[1234]:  > pod="default/a" podUID=abc',
    ];
    const r = parseText(lines.join('\n') + '\n', { year: 2024 });
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.kv).toEqual({ probeType: 'Liveness', output: 'HTTP probe failed with statuscode: 500\n\tindented twice', pod: 'default/a', podUID: 'abc' });
    expect(r.records[0]!.endLine).toBe(4);
  });

  it('journalctl shows the block TAB as spaces', () => {
    const lines = [
      'Jun 07 14:54:46 node1 kubelet[1234]: ' + K('I', '0607', '14:54:46.000001', 'prober.go:107', '"Probe failed" output=<'),
      'Jun 07 14:54:46 node1 kubelet[1234]:         first',
      'Jun 07 14:54:46 node1 kubelet[1234]:  >',
    ];
    expect(parseText(lines.join('\n'), { year: 2024 }).records[0]!.kv.output).toBe('first');
  });

  it('a goroutine dump after a klog line belongs to it', () => {
    const lines = [K('F', '0607', '14:54:46.000001', 'server.go:1', 'unexpected error'), 'goroutine 1 [running]:', 'main.main()', '\t/go/src/main.go:12 +0x1d', GOOD];
    const r = parseText(lines.join('\n'), { year: 2024 });
    expect(r.records.map((x) => [x.line, x.endLine, x.severity])).toEqual([
      [1, 4, 'F'],
      [5, 5, 'I'],
    ]);
  });
});

describe('record order', () => {
  it('records come out in input order when a kubelet process stops mid-stream (restart)', () => {
    const lines = [
      'Jun 07 14:54:46 n kubelet[100]: ' + K('I', '0607', '14:54:46.000001', 'a.go:1', '"old process, last words"'),
      'Jun 07 14:54:50 n kubelet[200]: Flag --x has been deprecated',
      'Jun 07 14:54:50 n kubelet[200]: ' + K('I', '0607', '14:54:50.000001', 'a.go:1', '"new process"'),
    ];
    const order: number[] = [];
    const p = new KubeletLogParser({ year: 2024 }, (e) => e.type === 'record' && order.push(e.record.line));
    p.push(lines.join('\n') + '\n');
    p.end();
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('envelopes the kubelet shares with others', () => {
  it('MicroShift: a component word before the klog header', () => {
    const line = 'Jan 28 17:55:40 jetson07 microshift[779521]: kubelet ' + K('I', '0128', '17:55:40.123456', 'kubelet.go:2389', '"SyncLoop ADD" source="api" pods=["default/a"]');
    const rec = parseText(line, { year: 2024 }).records[0]!;
    expect(rec).toMatchObject({ format: 'klog', msg: 'SyncLoop ADD', caller: 'kubelet.go:2389', transport: { ident: 'microshift', pid: 779521 } });
  });

  it('journalctl -o json without --all: a null MESSAGE is a counted reject that says what to do', () => {
    const entry = { __REALTIME_TIMESTAMP: '1717743286000000', _HOSTNAME: 'n', SYSLOG_IDENTIFIER: 'kubelet', _PID: '1', MESSAGE: null };
    const r = parseText(JSON.stringify(entry) + '\n');
    expect(r.rejected).toMatchObject([{ line: 1, reason: 'omitted-by-journal' }]);
    expect(r.diagnostics[0]!.message).toMatch(/--all/);
  });
});

describe('time', () => {
  it('a zone name is applied with its daylight-saving offset', () => {
    const winter = parseText(K('I', '0115', '12:00:00.000000', 'a.go:1', '"w"'), { year: 2024, tz: 'Europe/Berlin' }).records[0]!;
    const summer = parseText(K('I', '0715', '12:00:00.000000', 'a.go:1', '"s"'), { year: 2024, tz: 'Europe/Berlin' }).records[0]!;
    expect(iso(winter.timeUs)).toBe('2024-01-15T11:00:00.000000Z');
    expect(iso(summer.timeUs)).toBe('2024-07-15T10:00:00.000000Z');
    // 02:30 on the spring-forward night does not exist; 03:30 does, at +02:00
    const after = parseText(K('I', '0331', '03:30:00.000000', 'a.go:1', '"a"'), { year: 2024, tz: 'Europe/Berlin' }).records[0]!;
    expect(iso(after.timeUs)).toBe('2024-03-31T01:30:00.000000Z');
  });

  it('rolls the year over when the month goes backwards (Dec → Jan)', () => {
    const lines = [K('I', '1231', '23:59:59.999999', 'a.go:1', '"a"'), K('I', '0101', '00:00:00.000001', 'a.go:1', '"b"')];
    const r = parseText(lines.join('\n'), { year: 2023 });
    expect(r.records.map((x) => iso(x.timeUs))).toEqual(['2023-12-31T23:59:59.999999Z', '2024-01-01T00:00:00.000001Z']);
  });

  it('reverse-ordered input (journalctl -r) goes back a year at Jan → Dec', () => {
    const lines = [K('I', '0101', '00:00:00.000001', 'a.go:1', '"b"'), K('I', '1231', '23:59:59.999999', 'a.go:1', '"a"')];
    const r = parseText(lines.join('\n'), { year: 2024 });
    expect(r.records.map((x) => iso(x.timeUs))).toEqual(['2024-01-01T00:00:00.000001Z', '2023-12-31T23:59:59.999999Z']);
  });

  it('lines slightly out of order never change the year', () => {
    const lines = [K('I', '0630', '23:59:59.000000', 'a.go:1', '"a"'), K('I', '0701', '00:00:01.000000', 'a.go:1', '"b"'), K('I', '0630', '23:59:58.000000', 'a.go:1', '"c"')];
    expect(parseText(lines.join('\n'), { year: 2024 }).records.every((x) => iso(x.timeUs)!.startsWith('2024'))).toBe(true);
  });

  it('a caller-given zone applies to klog times and RFC 3164 transport times', () => {
    const line = 'Apr 17 19:46:19 n kubelet[4170]: ' + K('I', '0417', '19:46:19.298368', 'kubelet.go:2199', '"SyncLoop ADD"');
    const r = parseText(line, { year: 2024, tz: 'Asia/Shanghai' });
    expect(iso(r.records[0]!.timeUs)).toBe('2024-04-17T11:46:19.298368Z');
    expect(iso(r.records[0]!.transport!.timeUs)).toBe('2024-04-17T11:46:19.000000Z');
  });

  it('an absolute transport time gives the year and the kubelet zone (journal JSON)', () => {
    // journald received it at 06:54:46.2 UTC; the kubelet wrote 14:54:46.123456 local: +08:00
    const entry = { __REALTIME_TIMESTAMP: String(Date.UTC(2024, 5, 7, 6, 54, 46, 200) * 1000), _HOSTNAME: 'n', SYSLOG_IDENTIFIER: 'kubelet', _PID: '1234', MESSAGE: GOOD };
    const r = parseText(JSON.stringify(entry) + '\n', { year: 1999 });
    expect(r.records[0]).toMatchObject({ envelope: 'journal-json', format: 'klog', msg: 'SyncLoop ADD' });
    expect(iso(r.records[0]!.timeUs)).toBe('2024-06-07T06:54:46.123456Z');
  });

  it('short-iso: the year comes from the transport across New Year', () => {
    const line = '2025-01-01T00:00:00+00:00 n kubelet[1]: ' + K('I', '1231', '23:59:59.999000', 'a.go:1', '"late"');
    expect(iso(parseText(line, { year: 1999 }).records[0]!.timeUs)).toBe('2024-12-31T23:59:59.999000Z');
  });

  it('RFC 3164: a klog time written just before New Year takes the previous year', () => {
    const line = 'Jan  1 00:00:00 n kubelet[1]: ' + K('I', '1231', '23:59:59.999000', 'a.go:1', '"late"');
    const rec = parseText(line, { year: 2025 }).records[0]!;
    expect(iso(rec.transport!.timeUs)).toBe('2025-01-01T00:00:00.000000Z');
    expect(iso(rec.timeUs)).toBe('2024-12-31T23:59:59.999000Z');
  });

  it('without any year, the current year is assumed and reported once', () => {
    const r = parseText([GOOD, GOOD].join('\n'));
    expect(r.diagnostics.filter((d) => d.code === 'year-assumed')).toHaveLength(1);
    expect(iso(r.records[0]!.timeUs)!.slice(0, 4)).toBe(String(new Date().getUTCFullYear()));
  });
});
