// The year and zone resolver on generated inputs: New Year both ways, weighing, the bounded
// lookahead, later conflicts, klog times off their transport, resume.
import { describe, expect, it } from 'vitest';
import { KubeletLogParser, parseText, type LogRecord, type ParseEvent, type ParseOptions } from '../parser/index.js';
import { WINDOW_LINES } from '../parser/resolve-time.js';
import { iso } from './helpers/samples.js';

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** A journalctl-short line of the kubelet at a wall time (the transport second, the klog µs). */
function syslog(month: number, day: number, h: number, m: number, s: number, us: number, body: string, klog: { month: number; day: number; h: number; m: number; s: number } = { month, day, h, m, s }): string {
  const ts = `${MON[month - 1]} ${p2(day)} ${p2(h)}:${p2(m)}:${p2(s)}`;
  return `${ts} node-1 kubelet[7]: I${p2(klog.month)}${p2(klog.day)} ${p2(klog.h)}:${p2(klog.m)}:${p2(klog.s)}.${String(us).padStart(6, '0')}       7 a.go:1] ${body}`;
}
const status = (isoTime: string) => `"Status for pod updated successfully" pod="ns/p" status={"conditions":[{"type":"Ready","lastTransitionTime":"${isoTime}"}]}`;
const diag = (r: { diagnostics: Array<{ code: string; line: number; message: string }> }, code: string) => r.diagnostics.filter((d) => d.code === code).map((d) => [d.line, d.message]);

describe('the year across New Year', () => {
  it('forward: evidence after the roll-over dates the lines before it (Dec → Jan)', () => {
    const lines = [
      syslog(12, 31, 23, 59, 58, 1, '"a"'),
      syslog(12, 31, 23, 59, 59, 2, '"b"'),
      syslog(1, 1, 0, 0, 1, 3, status('2025-01-01T00:00:01Z')),
      syslog(1, 1, 0, 0, 2, 4, status('2025-01-01T00:00:02Z')),
    ];
    const r = parseText(lines.join('\n'), { fallbackYear: 2030 });
    expect(r.records.map((x) => iso(x.timeUs))).toEqual(['2024-12-31T23:59:58.000001Z', '2024-12-31T23:59:59.000002Z', '2025-01-01T00:00:01.000003Z', '2025-01-01T00:00:02.000004Z']);
    expect(r.time.year).toEqual({ value: 2024, from: 'content', line: 3, evidence: '2025-01-01T00:00:01Z' });
  });

  it('newest first (journalctl -r): evidence at the oldest end dates the newest lines (Jan → Dec)', () => {
    const lines = [
      syslog(1, 1, 0, 0, 5, 5, '"newest"'),
      syslog(1, 1, 0, 0, 1, 4, '"b"'),
      syslog(12, 31, 23, 59, 59, 3, status('2024-12-31T23:59:59Z')),
      syslog(12, 31, 23, 59, 58, 2, '"oldest"'),
    ];
    const r = parseText(lines.join('\n'), { fallbackYear: 2030 });
    expect(r.records.map((x) => iso(x.timeUs))).toEqual(['2025-01-01T00:00:05.000005Z', '2025-01-01T00:00:01.000004Z', '2024-12-31T23:59:59.000003Z', '2024-12-31T23:59:58.000002Z']);
    expect(r.time.year).toMatchObject({ value: 2025, from: 'content', line: 3 });
  });
});

describe('weighing the evidence', () => {
  it('one odd value does not flip the year: it loses, and is reported with its line', () => {
    const lines = [1, 2, 3, 4].map((i) => syslog(6, 7, 10, 0, i, i, status(`2024-06-07T10:00:0${i}Z`)));
    lines.splice(2, 0, syslog(6, 7, 10, 0, 2, 9, '"Observed pod startup duration" podCreationTimestamp="2023-06-01 10:00:00 +0000 UTC"'));
    const r = parseText(lines.join('\n'), { fallbackYear: 2030 });
    expect(r.time.year).toMatchObject({ value: 2024, from: 'content', line: 1 });
    expect(r.records.every((x) => iso(x.timeUs)!.startsWith('2024-06-07T10:00:0'))).toBe(true);
    expect(diag(r, 'time-conflict')).toEqual([[3, 'its times say year 2023 (2023-06-01 10:00:00 +0000 UTC); 2024 has more evidence (4 lines)']]);
    expect(r.time.conflicts.count).toBe(1);
  });

  it('an old value that happens to sit near a quarter hour does not set the zone against the same-moment ones', () => {
    const lines = [
      // a condition that changed 3 h ago, 1 s off a whole quarter hour: looks like -03:00 on its own
      syslog(6, 7, 10, 0, 1, 1, status('2024-06-07T07:00:00Z')),
      ...[2, 3, 4].map((i) => syslog(6, 7, 10, 0, i, i, status(`2024-06-07T10:00:0${i}Z`))),
    ];
    const r = parseText(lines.join('\n'), { fallbackYear: 2030 });
    expect(r.time.zone).toMatchObject({ value: '+00:00', from: 'content', line: 2 });
    expect(iso(r.records[0]!.timeUs)).toBe('2024-06-07T10:00:01.000001Z');
  });

  it('deadlines and expiry times are not evidence: a certificate valid for a year does not vote for the next year', () => {
    const lines = [
      syslog(6, 7, 10, 0, 1, 1, '"Certificate expiration is 2025-06-07 10:00:00 +0000 UTC, rotation deadline is 2025-04-20 11:22:33 +0000 UTC"'),
      syslog(6, 7, 10, 0, 2, 2, '"No retries permitted until 2025-06-07 10:00:04 +0000 UTC (durationBeforeRetry 2s)"'),
      syslog(6, 7, 10, 0, 3, 3, status('2024-06-07T10:00:03Z')),
    ];
    const r = parseText(lines.join('\n'), { fallbackYear: 2030 });
    expect(r.time.year).toMatchObject({ value: 2024, line: 3 });
    expect(r.time.conflicts.count).toBe(0);
  });

  it('a kubelet JSON line behind a syslog prefix: its ts dates the syslog wall clock', () => {
    const ts = Date.UTC(2023, 2, 4, 5, 6, 7, 890);
    const line = `Mar 04 13:06:07 n kubelet[1]: {"ts":${ts}.123,"caller":"a.go:1","msg":"x","v":0}`;
    const r = parseText(line, { fallbackYear: 2030 });
    expect(r.time).toMatchObject({ year: { value: 2023, from: 'content', line: 1 }, zone: { value: '+08:00', from: 'content', line: 1 } });
    expect(iso(r.records[0]!.transport!.timeUs)).toBe('2023-03-04T05:06:07.000000Z');
  });

  it('bare klog: evidence on a continuation line is about its record', () => {
    const text = ['I0607 10:00:01.000001       7 a.go:1] "Patch status for pod" patch=<', '\t{"status":{"startTime":"2024-06-07T02:00:01Z"}}', ' >'].join('\n');
    const r = parseText(text, { fallbackYear: 2030 });
    expect(r.time).toMatchObject({ year: { value: 2024, line: 2 }, zone: { value: '+08:00', line: 2 } });
    expect(iso(r.records[0]!.timeUs)).toBe('2024-06-07T02:00:01.000001Z');
  });

  it('--tz beats what the log says about its zone, and the disagreement is reported', () => {
    const lines = [1, 2, 3].map((i) => syslog(6, 7, 18, 0, i, i, status(`2024-06-07T10:00:0${i}Z`)));
    const r = parseText(lines.join('\n'), { tz: 'UTC', fallbackYear: 2030 });
    expect(r.time.zone).toEqual({ value: 'UTC', from: 'option' });
    expect(iso(r.records[0]!.timeUs)).toBe('2024-06-07T18:00:01.000001Z');
    expect(diag(r, 'time-conflict')).toEqual([[1, 'its times say zone +08:00 (2024-06-07T10:00:01Z, 3 lines); UTC is given by --tz']]);
  });

  it('a journal marker with an ambiguous zone name dates the lines but says nothing about the zone', () => {
    const text = ['-- Logs begin at Wed 2020-03-25 12:12:41 CST, end at Wed 2020-03-25 12:27:22 CST. --', syslog(3, 25, 12, 13, 43, 1, '"a"')].join('\n');
    const r = parseText(text, { fallbackYear: 2030 });
    expect(r.time).toMatchObject({ year: { value: 2020, from: 'journal-marker', line: 1 }, zone: { value: '+00:00', from: 'default' } });
  });
});

describe('the bounded lookahead', () => {
  function stream(lines: string[], opts: ParseOptions, onRecord: (r: LogRecord, linesPushed: number) => void): KubeletLogParser {
    let pushed = 0;
    const parser = new KubeletLogParser(opts, (e: ParseEvent) => {
      if (e.type === 'record') onRecord(e.record, pushed);
    });
    for (const l of lines) {
      pushed++;
      parser.push(l + '\n');
    }
    parser.end();
    return parser;
  }

  it(`without evidence, records wait at most ${WINDOW_LINES} lines, then go out dated by the mtime; later evidence is reported, not applied`, () => {
    const n = WINDOW_LINES + 600;
    const lines = Array.from({ length: n }, (_, i) => syslog(6, 7, 10, Math.floor(i / 60) % 60, i % 60, i, '"tick"'));
    lines[WINDOW_LINES + 300] = syslog(6, 7, 10, 0, 0, 0, status('2024-06-07T10:00:00Z'));
    let firstOutAt = 0;
    let emitted = 0;
    const parser = stream(lines, { fallbackYear: 2026 }, (r, pushed) => {
      if (emitted++ === 0) firstOutAt = pushed;
      expect(iso(r.timeUs)!.startsWith('2026-06-07T10:')).toBe(true);
    });
    expect(emitted).toBe(n);
    // the first record went out once the window was full, not at the end
    expect(firstOutAt).toBeGreaterThan(WINDOW_LINES);
    expect(firstOutAt).toBeLessThan(WINDOW_LINES + 10);
    const t = parser.timeReport();
    expect(t.year).toEqual({ value: 2026, from: 'mtime' });
    expect(t.conflicts).toEqual({ count: 1, first: { line: WINDOW_LINES + 301, message: 'its times say year 2024 (2024-06-07T10:00:00Z); 2026 is assumed' } });
  });

  it('enough agreeing evidence settles it early: records flow after a few lines', () => {
    const lines = Array.from({ length: 50 }, (_, i) => syslog(6, 7, 10, 0, i % 60, i, status(`2024-06-07T10:00:${p2(i % 60)}Z`)));
    let firstOutAt = 0;
    stream(lines, { fallbackYear: 2030 }, (_r, pushed) => {
      firstOutAt ||= pushed;
    });
    expect(firstOutAt).toBe(3); // decided on line 3's evidence: lines 1–3 are parsed then, which completes line 1's record
  });

  it('with --year and --tz nothing waits', () => {
    const lines = Array.from({ length: 5 }, (_, i) => syslog(6, 7, 10, 0, i, i, '"x"'));
    const at: number[] = [];
    stream(lines, { year: 2024, tz: '+02:00' }, (r, pushed) => at.push(pushed));
    expect(at).toEqual([2, 3, 4, 5, 5]);
  });
});

describe('klog times against their transport times', () => {
  const iso8601 = (us: number) => new Date(us / 1000).toISOString().replace('Z', '+00:00');
  /** short-iso (absolute) transport, a Berlin kubelet writing local klog times */
  function shortIso(utcMs: number, klogOffsetMin: number, i: number): string {
    const k = new Date(utcMs + klogOffsetMin * 60_000);
    return `${iso8601(utcMs * 1000)} n kubelet[1]: I${p2(k.getUTCMonth() + 1)}${p2(k.getUTCDate())} ${p2(k.getUTCHours())}:${p2(k.getUTCMinutes())}:${p2(k.getUTCSeconds())}.${String(i).padStart(6, '0')}       1 a.go:1] "x"`;
  }

  it('an absolute transport: the kubelet zone is learned; a DST change after three lines is a zone change, not an error', () => {
    const t0 = Date.UTC(2024, 9, 27, 0, 58);
    const lines = [0, 1, 2, 3, 4].map((i) => shortIso(t0 + i * 60_000, 120, i)); // CEST
    lines.push(...[5, 6, 7, 8].map((i) => shortIso(t0 + i * 60_000, 60, i))); // CET from 01:03Z
    const r = parseText(lines.join('\n'), {});
    expect(r.time.klogZone).toEqual({ value: '+02:00', line: 1, shiftMinutes: 120, transport: 'absolute' });
    // every record at its own minute: the first two CET lines are reported off, then the zone changes
    expect(r.records.map((x) => Math.round((x.timeUs! - t0 * 1000) / 60_000_000))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // placed at the klog µs, except the two reported ones, placed at their transport time
    expect(r.records.map((x) => x.timeUs! % 1_000_000)).toEqual([0, 1, 2, 3, 4, 0, 0, 7, 8]);
    expect(diag(r, 'klog-time-off').map(([line]) => line)).toEqual([6, 7]);
    expect(diag(r, 'klog-zone-change')).toEqual([[8, 'from here klog times are in zone +01:00 by their transport times (were +02:00)']]);
  });

  it('RFC 3164: a kubelet in another zone than its syslog is one learned shift, not every line off', () => {
    const lines = [1, 2, 3].map((i) => syslog(6, 7, 18, 0, i, i, '"x"', { month: 6, day: 7, h: 10, m: 0, s: i }));
    const r = parseText(lines.join('\n'), { year: 2024, tz: '+08:00' });
    expect(r.time.klogOff.count).toBe(0);
    expect(r.time.klogZone).toEqual({ value: '+00:00', line: 1, shiftMinutes: -480, transport: 'wall' });
    expect(iso(r.records[0]!.timeUs)).toBe('2024-06-07T10:00:01.000001Z');
  });

  it('a few seconds of receive delay is normal; minutes are not', () => {
    const lines = [
      syslog(6, 7, 10, 0, 5, 1, '"late by 4 s"', { month: 6, day: 7, h: 10, m: 0, s: 1 }),
      syslog(6, 7, 10, 0, 6, 2, '"x"'),
      syslog(6, 7, 10, 5, 6, 3, '"off by 5 min"', { month: 6, day: 7, h: 10, m: 0, s: 6 }),
      syslog(6, 7, 10, 5, 7, 4, '"x"'),
    ];
    const r = parseText(lines.join('\n'), { year: 2024, tz: 'UTC' });
    expect(r.records.map((x) => iso(x.timeUs))).toEqual(['2024-06-07T10:00:01.000001Z', '2024-06-07T10:00:06.000002Z', '2024-06-07T10:05:06.000000Z', '2024-06-07T10:05:07.000004Z']);
    expect(diag(r, 'klog-time-off')).toEqual([[3, 'klog time 0607 10:00:06.000003 is 5m 0.0s before its transport time Jun 07 10:05:06: placed at the transport time']]);
  });
});

describe('resume', () => {
  it('a parse that continues at a later line keeps the settled assumptions and rolls over from the last record', () => {
    const resume = {
      assumptions: { year: { value: 2024, from: 'content' as const, line: 5, evidence: 'x' }, zone: { value: '+08:00', from: 'content' as const, line: 5, evidence: 'x' } },
      year: 2024,
      month: 12,
    };
    const r = parseText([syslog(1, 1, 8, 0, 1, 1, '"after New Year"')].join('\n'), { fallbackYear: 2030, resume });
    expect(iso(r.records[0]!.timeUs)).toBe('2025-01-01T00:00:01.000001Z');
    expect(r.time).toMatchObject({ year: resume.assumptions.year, zone: resume.assumptions.zone });
  });
});
