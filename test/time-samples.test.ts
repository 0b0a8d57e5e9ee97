// Times you can trust, on the real samples: what a kubelet engineer reads in each file about its
// year and zone (see samples/real/SOURCES.md), the parser must read too, without --year or --tz.
// `fallbackYear` stands in for the file's modification time, which the content must beat.
import { describe, expect, it } from 'vitest';
import { iso, parseSample, recordAt } from './helpers/samples.js';

const MTIME = { fallbackYear: 2026 };
const NONE = { conflicts: { count: 0 }, klogOff: { count: 0, toleranceSeconds: 120 } };
/** The report of a file whose year and zone one line's time gave, with nothing contradicting it. */
const fromLine = (year: number, zone: string, line: number, evidence: string) => ({
  ...NONE,
  year: { value: year, from: 'content', line, evidence },
  zone: { value: zone, from: 'content', line, evidence },
});

describe('the year and zone come from the content, before the mtime', () => {
  it('08 kind 1.32, journald short: lastTransitionTime 2025-03-16T04:31:21Z at wall 04:31:21 → 2025, UTC', () => {
    const r = parseSample('08', MTIME);
    expect(r.time).toEqual(fromLine(2025, '+00:00', 5, '2025-03-16T04:31:21Z'));
    expect(iso(recordAt(r, 1).timeUs)).toBe('2025-03-16T04:31:21.080604Z');
    // podCreationTimestamp="2025-03-16 04:31:20 +0000 UTC" on line 26 agrees
    expect(r.diagnostics.filter((d) => d.code === 'time-conflict')).toEqual([]);
  });

  it('09 /var/log/syslog: containerd time="2024-11-29T18:13:11.68…Z" at syslog 18:13:11 → 2024, UTC', () => {
    const r = parseSample('09', MTIME);
    expect(r.time.year).toEqual({ value: 2024, from: 'content', line: 1, evidence: '2024-11-29T18:13:11.682692569Z' });
    expect(r.time.zone).toEqual({ value: '+00:00', from: 'content', line: 1, evidence: '2024-11-29T18:13:11.682692569Z' });
  });

  it('09 line 22: a klog time 2 h off its syslog time is counted, reported and placed at the transport time', () => {
    const r = parseSample('09', MTIME);
    const message = 'klog time 1129 16:20:18.683569 is 1h 59m 59.3s before its transport time Nov 29 18:20:18: placed at the transport time';
    expect(r.time.klogOff).toEqual({ count: 1, toleranceSeconds: 120, first: { line: 22, message } });
    expect(r.diagnostics.filter((d) => d.code === 'klog-time-off')).toEqual([{ level: 'warning', code: 'klog-time-off', message, line: 22 }]);
    expect(iso(recordAt(r, 22).timeUs)).toBe('2024-11-29T18:20:18.000000Z');
    // the kubelet's part of the file spans 7 minutes, as it happened, not 2 hours
    const times = r.records.map((x) => x.timeUs!);
    expect(Math.max(...times) - Math.min(...times)).toBe(426_756_480);
    expect(iso(recordAt(r, 23).timeUs)).toBe('2024-11-29T18:20:18.683600Z');
  });

  it('12 journald on a +08:00 host: "startTime":"2024-08-15T14:24:53Z" at klog wall 22:24:53 → 2024, +08:00', () => {
    const r = parseSample('12', MTIME);
    expect(r.time).toEqual(fromLine(2024, '+08:00', 26, '2024-08-15T14:24:53Z'));
    expect(iso(recordAt(r, 1).timeUs)).toBe('2024-08-15T14:24:53.410301Z');
    // journald's second (22:24:54) later than the klog time (22:24:53.998648) is normal, not "off"
    expect(recordAt(r, 45).transport?.timeText).toBe('Aug 15 22:24:54');
    expect(iso(recordAt(r, 45).timeUs)).toBe('2024-08-15T14:24:53.998648Z');
  });

  it('13 journald: pod.CreationTimestamp="2024-04-17 19:46:19 +0800 CST" at wall 19:46:19 → 2024, +08:00', () => {
    const r = parseSample('13', MTIME);
    expect(r.time.year).toMatchObject({ value: 2024, from: 'content', line: 12 });
    expect(r.time.zone).toMatchObject({ value: '+08:00', from: 'content', line: 12 });
    expect(r.time.zone!.evidence).toMatch(/^2024-04-17 19:46:\d\d(\.\d+)? \+0800 CST$/);
    expect(iso(recordAt(r, 1).timeUs)).toBe('2024-04-17T11:46:19.298368Z');
  });

  it('20 /var/log/messages: dockerd time="2018-06-08T09:34:03.03…+08:00" at syslog 09:34:03 → 2018, +08:00', () => {
    const r = parseSample('20', MTIME);
    expect(r.time.year).toMatchObject({ value: 2018, from: 'content', line: 6 });
    expect(r.time.zone).toEqual({ value: '+08:00', from: 'content', line: 6, evidence: '2018-06-08T09:34:03.036612156+08:00' });
  });

  it('16 GCE e2e 2020: no year in the content, so the mtime (or --year) dates it, and the report says so', () => {
    expect(parseSample('16', { fallbackYear: 2020 }).time).toEqual({ ...NONE, year: { value: 2020, from: 'mtime' }, zone: { value: '+00:00', from: 'default' } });
    const given = parseSample('16', { year: 2020 });
    expect(given.time.year).toEqual({ value: 2020, from: 'option' });
    expect(iso(recordAt(given, 1).timeUs)).toBe('2020-03-25T12:13:58.444175Z');
    expect(parseSample('16', MTIME).diagnostics.filter((d) => d.code === 'year-assumed').map((d) => d.message)).toEqual([
      "no year in the log: assuming 2026 from the file's modification time (use --year)",
    ]);
  });

  it('17 rsyslog RFC 3339 +09:00: the envelope states year and zone; only the kubelet zone is read off it', () => {
    const r = parseSample('17', MTIME);
    expect(r.time).toEqual({ ...NONE, klogZone: { value: '+09:00', line: 2, shiftMinutes: 540, transport: 'absolute' } });
    expect(iso(recordAt(r, 2).timeUs)).toBe('2024-02-13T12:46:14.539067Z');
  });

  it('11 journalctl -r (newest first, 2017, no year anywhere): every record keeps its year, in input order', () => {
    const r = parseSample('11', { fallbackYear: 2017 });
    expect(r.time.year).toEqual({ value: 2017, from: 'mtime' });
    const times = r.records.map((x) => iso(x.timeUs)!);
    expect(times[0]).toBe('2017-11-03T13:31:45.565316Z');
    expect(times[times.length - 1]).toBe('2017-11-03T13:31:44.327379Z');
    expect(times.every((t) => t.startsWith('2017-11-03T13:31:4'))).toBe(true);
  });

  it('14 klog file header, 19 and 21 journal markers state the year (the markers also the zone)', () => {
    expect(parseSample('14', MTIME).time.year).toEqual({ value: 2019, from: 'klog-file-header', line: 1 });
    expect(iso(recordAt(parseSample('14', MTIME), 17).timeUs)).toBe('2019-08-20T20:28:26.509526Z');
    expect(parseSample('19', MTIME).time).toMatchObject({
      year: { value: 2020, from: 'journal-marker', line: 2 },
      zone: { value: '+00:00', from: 'journal-marker', line: 2, evidence: '2020-05-19 11:22:19 UTC' },
    });
    expect(parseSample('21', MTIME).time).toMatchObject({ year: { value: 2020, from: 'journal-marker', line: 1 }, zone: { value: '+00:00', from: 'journal-marker' } });
  });

  it('--year and --tz override what the content says, which is reported as a conflict', () => {
    const r = parseSample('13', { year: 2023, tz: 'UTC' });
    expect(r.time.year).toEqual({ value: 2023, from: 'option' });
    expect(r.time.zone).toEqual({ value: 'UTC', from: 'option' });
    expect(iso(recordAt(r, 1).timeUs)).toBe('2023-04-17T19:46:19.298368Z');
    expect(r.diagnostics.filter((d) => d.code === 'time-conflict').map((d) => [d.line, d.message])).toEqual([
      [12, 'its times say year 2024 (2024-04-17 19:46:20.295142614 +0800 CST); 2023 is given by --year'],
    ]);
  });
});
