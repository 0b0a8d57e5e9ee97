// Year and zone resolution for one input, in input order. Policy (issue #2):
// - year: from an absolute transport time (RFC 3339, short-unix, journal JSON), else the log's own
//   statement (klog file header, journal `-- Logs begin at …`), else --year, else the file's mtime,
//   else the current year (reported once); rolled over when the month jumps by more than 6.
// - zone of a klog time: inferred from an absolute transport time (the kubelet's real zone), else
//   --tz, else UTC. RFC 3164 transport times (no year, no zone) are read in --tz, else UTC.
// Logs repeat the same second and day on thousands of lines, so both are cached.
import { YearTracker, daysFromCivil, type WallClock } from './time.js';
import { inferOffsetMinutes, parseOffset, zonedWallToEpochUs } from './zone.js';

const US_PER_DAY = 86_400_000_000;
const US_PER_MINUTE = 60_000_000;
const FIFTEEN_HOURS_US = 15 * 3_600_000_000;

export interface YearSourceHooks {
  /** Called once, the first time a year had to be assumed. */
  onYearAssumed(year: number): void;
}

export class TimeResolver {
  private years: YearTracker | undefined;
  private yearFromLog = false;
  private assumedReported = false;
  private dayKey = -1;
  private dayUs = 0;
  private lastTransportText: string | undefined;
  private lastTransportUs = 0;
  private lastTransportYear = 0;
  private fixedOffset: number | null | undefined;

  constructor(
    private readonly opts: { year?: number; fallbackYear?: number; tz?: string },
    private readonly hooks: YearSourceHooks,
  ) {}

  /** The log states a year (klog file header, journal marker): it beats --year and mtime. */
  anchorYear(year: number, month: number): void {
    this.years = new YearTracker(year);
    this.years.yearFor(month);
    this.yearFromLog = true;
  }

  private yearFor(month: number): number {
    if (!this.years) this.years = new YearTracker(this.opts.year ?? this.opts.fallbackYear ?? new Date().getUTCFullYear());
    const year = this.years.yearFor(month);
    if (!this.yearFromLog && this.opts.year === undefined && this.opts.fallbackYear === undefined && !this.assumedReported) {
      this.assumedReported = true;
      this.hooks.onYearAssumed(year);
    }
    return year;
  }

  /** A wall time (read as UTC) in --tz, or UTC. Zone names go through DST-aware conversion. */
  private inZone(wallUtcUs: number, year: number, month: number, day: number, hour: number, minute: number, second: number, micros: number): number {
    const tz = this.opts.tz;
    if (!tz) return wallUtcUs;
    if (this.fixedOffset === undefined) this.fixedOffset = parseOffset(tz) ?? null;
    if (this.fixedOffset !== null) return wallUtcUs - this.fixedOffset * US_PER_MINUTE;
    return zonedWallToEpochUs({ year, month, day, hour, minute, second, micros }, tz);
  }

  /** Wall clock read as UTC, with the civil day cached. */
  private wallUs(year: number, month: number, day: number, hour: number, minute: number, second: number, micros: number): number {
    const key = (year * 16 + month) * 32 + day;
    if (key !== this.dayKey) {
      this.dayKey = key;
      this.dayUs = daysFromCivil(year, month, day) * US_PER_DAY;
    }
    return this.dayUs + ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
  }

  /** Absolute time of an RFC 3164 transport timestamp (no year, no zone). */
  transportUs(clock: WallClock, timeText: string | undefined): number {
    if (timeText !== undefined && timeText === this.lastTransportText) {
      this.yearFor(clock.month); // keep the year tracker fed in order
      return this.lastTransportUs;
    }
    const year = clock.year ?? this.yearFor(clock.month);
    const wall = this.wallUs(year, clock.month, clock.day, clock.hour, clock.minute, clock.second, clock.micros);
    const us = this.inZone(wall, year, clock.month, clock.day, clock.hour, clock.minute, clock.second, clock.micros);
    this.lastTransportText = timeText;
    this.lastTransportUs = us;
    this.lastTransportYear = year;
    return us;
  }

  /**
   * Absolute time of a klog header time. `transportUs` is the line's transport time;
   * `transportMonth` is set when that transport time came from a yearless RFC 3164 clock.
   */
  klogUs(h: WallClock, transportUs: number | undefined, transportMonth: number | undefined): number {
    if (transportUs !== undefined && transportMonth === undefined) {
      // Absolute transport: the year whose wall time lies nearest, and the kubelet's zone from the
      // difference (journald receives within milliseconds of the write).
      const ty = utcYear(transportUs);
      let best = 0;
      let bestYear = ty;
      let bestDiff = Infinity;
      for (let y = ty - 1; y <= ty + 1; y++) {
        const w = this.wallUs(y, h.month, h.day, h.hour, h.minute, h.second, h.micros);
        const d = Math.abs(w - transportUs);
        if (d < bestDiff) {
          bestDiff = d;
          best = w;
          bestYear = y;
        }
      }
      // more than 15 h apart: not the same moment (clock jump); fall back to --tz / UTC
      if (bestDiff > FIFTEEN_HOURS_US) return this.inZone(best, bestYear, h.month, h.day, h.hour, h.minute, h.second, h.micros);
      return best - inferOffsetMinutes(best, transportUs) * US_PER_MINUTE;
    }
    let year: number;
    if (transportMonth !== undefined) {
      // RFC 3164 transport: its year, unless the two straddle New Year
      const ty = this.lastTransportYear;
      year = transportMonth === 1 && h.month === 12 ? ty - 1 : transportMonth === 12 && h.month === 1 ? ty + 1 : ty;
    } else {
      year = this.yearFor(h.month);
    }
    const wall = this.wallUs(year, h.month, h.day, h.hour, h.minute, h.second, h.micros);
    return this.inZone(wall, year, h.month, h.day, h.hour, h.minute, h.second, h.micros);
  }
}

function utcYear(us: number): number {
  return new Date(Math.floor(us / 1000)).getUTCFullYear();
}
