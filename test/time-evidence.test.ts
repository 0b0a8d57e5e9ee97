// The times a line states about itself, in every form the kubelet and its neighbours write them.
import { describe, expect, it } from 'vitest';
import { findTimes, type FoundTime } from '../parser/time-evidence.js';
import { makeRand } from './helpers/rand.js';

const found = (text: string, uuids = true): Array<[string, string, boolean, string]> => {
  const out: FoundTime[] = [];
  findTimes(text, uuids, out);
  return out.map((f) => [f.kind, new Date(Math.floor(f.us / 1000)).toISOString(), f.absolute, f.text]);
};

describe('findTimes', () => {
  it('RFC 3339 with Z or an offset, also escaped inside a quoted value', () => {
    expect(found('status={"lastTransitionTime":"2025-03-16T04:31:21Z"}')).toEqual([['rfc3339', '2025-03-16T04:31:21.000Z', true, '2025-03-16T04:31:21Z']]);
    expect(found('patch="{\\"startTime\\":\\"2024-08-15T14:24:53Z\\"}"')).toEqual([['rfc3339', '2024-08-15T14:24:53.000Z', true, '2024-08-15T14:24:53Z']]);
    expect(found('x=2018-06-08T09:34:03.036612156+08:00 y')).toEqual([['rfc3339', '2018-06-08T01:34:03.036Z', true, '2018-06-08T09:34:03.036612156+08:00']]);
    expect(found('x=2018-06-08T09:34:03-0530')).toEqual([['rfc3339', '2018-06-08T15:04:03.000Z', true, '2018-06-08T09:34:03-0530']]);
  });

  it("Go's time.Time.String(), with the zone name and the monotonic reading", () => {
    expect(found('pod.CreationTimestamp="2024-04-17 19:46:19 +0800 CST" observedRunningTime="2024-04-17 19:46:20.295142614 +0800 CST m=+465268.893586305"')).toEqual([
      ['go-time', '2024-04-17T11:46:19.000Z', true, '2024-04-17 19:46:19 +0800 CST'],
      ['go-time', '2024-04-17T11:46:20.295Z', true, '2024-04-17 19:46:20.295142614 +0800 CST'],
    ]);
    expect(found('podCreationTimestamp="2025-03-16 04:31:20 +0000 UTC"')).toEqual([['go-time', '2025-03-16T04:31:20.000Z', true, '2025-03-16 04:31:20 +0000 UTC']]);
  });

  it("another daemon's own timestamp: logfmt time=, JSON \"time\":", () => {
    expect(found('time="2024-11-29T18:13:11.682692569Z" level=info msg="StartContainer"')).toEqual([['daemon-time', '2024-11-29T18:13:11.682Z', true, '2024-11-29T18:13:11.682692569Z']]);
    expect(found('{"level":"info","msg":"x","time":"2023-09-04T23:24:53.959862831Z"}')[0]![0]).toBe('daemon-time');
    // a value that only ends in "time" is not the line's own timestamp
    expect(found('lastTransitionTime="2023-09-04T23:24:53Z"')[0]![0]).toBe('rfc3339');
  });

  it('a date-time without a zone is a wall time (year evidence only)', () => {
    expect(found('-- Logs begin at 2020-05-19 11:22:19, end …')).toEqual([['wall-date', '2020-05-19T11:22:19.000Z', false, '2020-05-19 11:22:19']]);
    expect(found('at 2020-05-19 11:22:19 UTC')).toEqual([['go-time', '2020-05-19T11:22:19.000Z', true, '2020-05-19 11:22:19 UTC']]);
  });

  it('version-1 UUIDs carry their creation time; version-4 ones do not', () => {
    expect(found('volume "pvc-1fdcba47-6a36-11e8-a0e1-525400bcf250"')).toEqual([['uuid-v1', '2018-06-07T09:35:33.013Z', true, '1fdcba47-6a36-11e8-a0e1-525400bcf250']]);
    expect(found('podUID="563dafa2-77a7-4dab-949e-9dbf079a4a70"')).toEqual([]);
    expect(found('volume "pvc-1fdcba47-6a36-11e8-a0e1-525400bcf250"', false)).toEqual([]);
  });

  it('deadlines, expiry times and Go zero times are not evidence', () => {
    expect(found('Certificate expiration is 2025-06-07 10:00:00 +0000 UTC, rotation deadline is 2025-04-20 11:22:33 +0000 UTC')).toEqual([]);
    expect(found('No retries permitted until 2024-06-07 10:00:04.5 +0000 UTC m=+12.3 (durationBeforeRetry 2s)')).toEqual([]);
    expect(found('firstStartedPulling="0001-01-01 00:00:00 +0000 UTC"')).toEqual([]);
  });

  it('not dates: longer numbers, impossible fields', () => {
    expect(found('id=12024-06-07T10:00:00Z')).toEqual([]);
    expect(found('x=2024-13-07T10:00:00Z y=2024-06-07T25:00:00Z z=2024-06-00T10:00:00Z')).toEqual([]);
  });

  it('never throws, on generated hostile text (fixed seed)', () => {
    const rand = makeRand(14);
    const alphabet = '2019-0 T:.+Z-123456789abcdefUTC"=\\';
    for (let i = 0; i < 3000; i++) {
      const s = Array.from({ length: rand(80) }, () => alphabet[rand(alphabet.length)]).join('');
      const out: FoundTime[] = [];
      expect(() => findTimes(s, true, out)).not.toThrow();
      for (const f of out) expect(Number.isSafeInteger(f.us)).toBe(true);
    }
  });
});
