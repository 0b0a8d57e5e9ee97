import { describe, expect, it } from 'vitest';
import { daysFromCivil, formatClockUs, formatIsoUs, formatTableTime, wallToEpochUs, YearTracker } from '../parser/time.js';
import { inferOffsetMinutes, isValidTimeZone, parseOffset, zonedWallToEpochUs, zoneOffsetMinutes } from '../parser/zone.js';
import { makeRand } from './helpers/rand.js';


const HOUR_US = 3_600_000_000;

describe('wallToEpochUs', () => {
  it('is exact to the microsecond', () => {
    const c = { year: 2023, month: 6, day: 7, hour: 14, minute: 54, second: 46, micros: 123456 };
    expect(wallToEpochUs(c, 0)).toBe(1686149686123456);
    expect(wallToEpochUs({ ...c, hour: 22 }, 480)).toBe(1686149686123456);
    expect(wallToEpochUs({ ...c, hour: 9, minute: 24, micros: 1 }, -330)).toBe(1686149686000001);
    expect(wallToEpochUs({ ...c, micros: 999999 }, 0)).toBe(1686149686999999);
    expect(wallToEpochUs({ year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, micros: 0 }, 0)).toBe(0);
    expect(wallToEpochUs({ year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59, micros: 999999 }, 0)).toBe(-1);
  });

  it('agrees with Date.UTC(...) * 1000 + micros over many dates', () => {
    const rand = makeRand(7);
    for (let i = 0; i < 5000; i++) {
      const c = { year: 1900 + rand(300), month: 1 + rand(12), day: 1 + rand(28), hour: rand(24), minute: rand(60), second: rand(60), micros: rand(1_000_000) };
      const off = rand(1681) - 840;
      const want = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) * 1000 + c.micros - off * 60_000_000;
      expect(wallToEpochUs(c, off)).toBe(want);
    }
    expect(daysFromCivil(2000, 2, 29)).toBe(Date.UTC(2000, 1, 29) / 86_400_000);
    expect(daysFromCivil(2100, 3, 1)).toBe(Date.UTC(2100, 2, 1) / 86_400_000);
  });
});

describe('parseOffset', () => {
  it('reads the forms transports and users write', () => {
    const cases: Array<[string, number]> = [
      ['Z', 0], ['z', 0], ['UTC', 0], ['utc', 0], ['GMT', 0], ['UT', 0],
      ['+0800', 480], ['+08:00', 480], ['+08', 480], ['+8', 480], ['-05:30', -330], ['-0530', -330],
      ['+05:45', 345], ['-00:00', 0], ['+14:00', 840], ['-12:00', -720], ['UTC+8', 480], ['GMT-05:00', -300],
    ];
    for (const [text, minutes] of cases) expect(parseOffset(text), text).toBe(minutes);
    expect(Object.is(parseOffset('-00:00'), 0)).toBe(true);
  });
  it('refuses everything else', () => {
    for (const s of ['', '+', '08:00', '+08:0', '+080', '+08:000', '+99:00', '+08:60', 'CST', 'Asia/Shanghai', 'UTCX', 'Zulu', '+08 00']) {
      expect(parseOffset(s), s).toBeUndefined();
    }
  });
});

describe('zoneOffsetMinutes', () => {
  const winter = Date.UTC(2024, 0, 15, 12);
  const summer = Date.UTC(2024, 6, 15, 12);

  it('fixed offsets', () => {
    expect(zoneOffsetMinutes('+05:30', winter)).toBe(330);
    expect(zoneOffsetMinutes('UTC', summer)).toBe(0);
  });

  it('Asia/Shanghai is +08:00 all year', () => {
    expect(zoneOffsetMinutes('Asia/Shanghai', winter)).toBe(480);
    expect(zoneOffsetMinutes('Asia/Shanghai', summer)).toBe(480);
  });

  it('America/New_York follows DST, to the second of the transition', () => {
    expect(zoneOffsetMinutes('America/New_York', winter)).toBe(-300);
    expect(zoneOffsetMinutes('America/New_York', summer)).toBe(-240);
    // 2024-03-10 02:00 EST → 03:00 EDT at 07:00Z; 2024-11-03 02:00 EDT → 01:00 EST at 06:00Z
    expect(zoneOffsetMinutes('America/New_York', Date.UTC(2024, 2, 10, 6, 59, 59, 999))).toBe(-300);
    expect(zoneOffsetMinutes('America/New_York', Date.UTC(2024, 2, 10, 7))).toBe(-240);
    expect(zoneOffsetMinutes('America/New_York', Date.UTC(2024, 10, 3, 5, 59, 59, 999))).toBe(-240);
    expect(zoneOffsetMinutes('America/New_York', Date.UTC(2024, 10, 3, 6))).toBe(-300);
  });

  it('quarter-hour zones and the southern hemisphere', () => {
    expect(zoneOffsetMinutes('Asia/Kathmandu', winter)).toBe(345);
    expect(zoneOffsetMinutes('Australia/Sydney', winter)).toBe(660);
    expect(zoneOffsetMinutes('Australia/Sydney', summer)).toBe(600);
  });

  it('an unknown zone is a RangeError (configuration error); a non-finite instant is NaN', () => {
    expect(() => zoneOffsetMinutes('Mars/Olympus_Mons', winter)).toThrow(RangeError);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('+08:00')).toBe(true);
    expect(zoneOffsetMinutes('Europe/Berlin', NaN)).toBeNaN();
    expect(zoneOffsetMinutes('Europe/Berlin', 1e300)).toBeNaN();
  });
});

describe('zonedWallToEpochUs', () => {
  const at = (month: number, day: number, hour: number, minute = 0) => ({ year: 2024, month, day, hour, minute, second: 0, micros: 42 });
  it('converts a local wall time in an IANA zone', () => {
    expect(zonedWallToEpochUs(at(7, 15, 10), 'America/New_York')).toBe(Date.UTC(2024, 6, 15, 14) * 1000 + 42);
    expect(zonedWallToEpochUs(at(1, 15, 10), 'America/New_York')).toBe(Date.UTC(2024, 0, 15, 15) * 1000 + 42);
    expect(zonedWallToEpochUs(at(1, 15, 10), 'Asia/Shanghai')).toBe(Date.UTC(2024, 0, 15, 2) * 1000 + 42);
    expect(zonedWallToEpochUs(at(1, 15, 10), '+05:30')).toBe(Date.UTC(2024, 0, 15, 4, 30) * 1000 + 42);
  });
  it('DST overlap takes the earlier instant, a gap reads with the offset from before it (as Date does)', () => {
    // New York: 2024-11-03 01:30 happens twice (EDT, then EST); 2024-03-10 02:30 never happens.
    expect(zonedWallToEpochUs(at(11, 3, 1, 30), 'America/New_York')).toBe(Date.UTC(2024, 10, 3, 5, 30) * 1000 + 42);
    expect(zonedWallToEpochUs(at(3, 10, 2, 30), 'America/New_York')).toBe(Date.UTC(2024, 2, 10, 7, 30) * 1000 + 42);
    // Berlin (east of UTC): 2024-10-27 02:30 twice (CEST, then CET); 2024-03-31 02:30 never.
    expect(zonedWallToEpochUs(at(10, 27, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2024, 9, 27, 0, 30) * 1000 + 42);
    expect(zonedWallToEpochUs(at(3, 31, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2024, 2, 31, 1, 30) * 1000 + 42);
    // Right next to the transitions
    expect(zonedWallToEpochUs(at(3, 31, 1, 59), 'Europe/Berlin')).toBe(Date.UTC(2024, 2, 31, 0, 59) * 1000 + 42);
    expect(zonedWallToEpochUs(at(3, 31, 3, 0), 'Europe/Berlin')).toBe(Date.UTC(2024, 2, 31, 1, 0) * 1000 + 42);
    expect(zonedWallToEpochUs(at(10, 27, 3, 0), 'Europe/Berlin')).toBe(Date.UTC(2024, 9, 27, 2, 0) * 1000 + 42);
  });

  it('outside DST gaps, the instant read back in the zone is the input wall time', () => {
    // (The gap/overlap values above equal `TZ=<zone> node -e "new Date(y, m - 1, d, h, mi)"`.)
    for (let day = 1; day <= 28; day += 3) {
      for (const month of [1, 3, 6, 10, 11, 12]) {
        const c = at(month, day, 13, 7);
        for (const tz of ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
          const us = zonedWallToEpochUs(c, tz);
          const off = zoneOffsetMinutes(tz, us / 1000);
          expect(wallToEpochUs(c, off), `${tz} ${month}/${day}`).toBe(us);
        }
      }
    }
  });
});

describe('YearTracker', () => {
  it('rolls forward at Dec → Jan', () => {
    const y = new YearTracker(2023);
    expect([11, 12, 12, 1, 1, 2].map((m) => y.yearFor(m))).toStrictEqual([2023, 2023, 2023, 2024, 2024, 2024]);
    expect(y.year).toBe(2024);
  });

  it('rolls back at Jan → Dec in journalctl -r order', () => {
    const y = new YearTracker(2024);
    expect([2, 1, 1, 12, 11].map((m) => y.yearFor(m))).toStrictEqual([2024, 2024, 2024, 2023, 2023]);
  });

  it('small out-of-order steps never change the year', () => {
    const y = new YearTracker(2023);
    expect([6, 7, 6, 7, 6, 7, 7, 6].map((m) => y.yearFor(m))).toStrictEqual(Array(8).fill(2023));
    const z = new YearTracker(2023);
    expect([1, 7, 1, 7].map((m) => z.yearFor(m))).toStrictEqual([2023, 2023, 2023, 2023]); // a 6-month step is not "more than 6"
  });

  it('spans several years; invalid months are ignored; reset re-anchors', () => {
    const y = new YearTracker(2020);
    expect([12, 1, 6, 12, 1, 13, 0, NaN, 2].map((m) => y.yearFor(m))).toStrictEqual([2020, 2021, 2021, 2021, 2022, 2022, 2022, 2022, 2022]);
    y.reset(2019, 12);
    expect(y.yearFor(1)).toBe(2020);
    y.reset(2030);
    expect(y.yearFor(1)).toBe(2030);
  });
});

describe('inferOffsetMinutes', () => {
  const utc = 1686149686123456;
  it('recovers +08:00 and -05:30 from a klog wall time and the journald receive time', () => {
    expect(inferOffsetMinutes(utc + 8 * HOUR_US - 3_000, utc)).toBe(480); // klog stamped 3 ms before journald
    expect(inferOffsetMinutes(utc + 8 * HOUR_US + 250_000, utc)).toBe(480);
    expect(inferOffsetMinutes(utc - 5.5 * HOUR_US - 1_200, utc)).toBe(-330);
    expect(inferOffsetMinutes(utc + 5.75 * HOUR_US, utc)).toBe(345);
  });
  it('same zone gives 0, never -0', () => {
    expect(Object.is(inferOffsetMinutes(utc - 2_000, utc), 0)).toBe(true);
    expect(Object.is(inferOffsetMinutes(utc + 2_000, utc), 0)).toBe(true);
  });
});

describe('formatIsoUs', () => {
  it('formats UTC and offsets with six fractional digits', () => {
    expect(formatIsoUs(1686149686123456)).toBe('2023-06-07T14:54:46.123456Z');
    expect(formatIsoUs(1686149686123456, 480)).toBe('2023-06-07T22:54:46.123456+08:00');
    expect(formatIsoUs(1686149686000001, -330)).toBe('2023-06-07T09:24:46.000001-05:30');
    expect(formatIsoUs(0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(formatIsoUs(-1)).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatIsoUs(Date.UTC(2024, 1, 29, 23, 59, 59) * 1000 + 999999)).toBe('2024-02-29T23:59:59.999999Z');
  });
  it('round-trips with wallToEpochUs and agrees with Date#toISOString', () => {
    const rand = makeRand(99);
    for (let i = 0; i < 2000; i++) {
      const us = (rand(2 ** 30) * 2 ** 20 + rand(2 ** 20)) - 2 ** 49; // ±17 years around 1970 … 2040-ish spread
      const iso = formatIsoUs(us);
      const ms = Math.floor(us / 1000);
      expect(iso.slice(0, 23)).toBe(new Date(ms).toISOString().slice(0, 23));
      const off = (rand(113) - 48) * 15;
      const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})/.exec(formatIsoUs(us, off))!;
      const back = wallToEpochUs({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]!, micros: +m[7]! }, off);
      expect(back).toBe(us);
    }
  });
  it('never throws', () => {
    expect(formatIsoUs(NaN)).toBe('NaN');
    expect(formatIsoUs(1.6)).toBe('1970-01-01T00:00:00.000002Z');
  });
});

describe('formatTableTime and formatClockUs: formatIsoUs cut for tables and clocks', () => {
  it('keeps as many digits of the second as asked, never rounding up', () => {
    expect(formatTableTime(1686149686999999)).toBe('2023-06-07 14:54:46.999');
    expect(formatTableTime(1686149686999999, 0)).toBe('2023-06-07 14:54:46');
    expect(formatTableTime(1686149686999999, 6)).toBe('2023-06-07 14:54:46.999999');
    expect(formatTableTime(1686149686999999, 9)).toBe('2023-06-07 14:54:46.999999');
    expect(formatTableTime(-1)).toBe('1969-12-31 23:59:59.999');
    expect(formatClockUs(1686149686000001)).toBe('14:54:46.000001');
    expect(formatClockUs(-1)).toBe('23:59:59.999999');
  });
  it('never throws', () => {
    expect(formatTableTime(NaN)).toBe('NaN');
    expect(formatClockUs(Infinity)).toBe('Infinity');
  });
});
