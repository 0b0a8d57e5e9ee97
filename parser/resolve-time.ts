// Year and zone for one input, in input order (issue 14, "times you can trust").
//
// The year of a time that carries none (RFC 3164 syslog, journalctl short, bare klog) comes from,
// in this order: --year; else the log's own statement (klog file header, `-- Logs begin at … --`),
// which also re-anchors everything after it; else what the content says (absolute times inside
// lines, weighed: see below); else the file's modification time; else the current year. It rolls
// over when the month jumps by more than 6 (Dec → Jan forwards, Jan → Dec in `journalctl -r`).
// The zone of wall times that carry none comes from --tz; else a journal marker's zone; else the
// content; else UTC, said so.
//
// Content evidence (parser/time-evidence.ts finds it) is weighed against the line's own wall
// clock (the transport's, else the klog header's):
// - for the year, any absolute time within 31 days of the line (the nearest year that puts the
//   wall within that distance): a creation timestamp days earlier still names the right year,
//   one months earlier could name the other side of New Year and does not count;
// - for the zone, only a time about the line's own moment: its distance from the wall clock is
//   within 3 s of a whole quarter hour (−12:00 … +14:00). A value that is merely old (a condition
//   that changed hours ago) is 3 s from a quarter hour by chance 0.7% of the time, and one line
//   is one vote, so such coincidences lose to the lines that agree.
// Each line votes once, with its best time (one about its own moment over one merely near it, a
// daemon's own timestamp over a value); the value with most weight wins (parser/time-votes.ts),
// and the lines that said otherwise are reported as `time-conflict` diagnostics, never applied.
//
// Lines wait (parser/lookahead.ts) until what they need is settled: when the votes are clear (3
// agreeing lines' weight, no rival above a quarter of it) and the first klog lines agree on the
// kubelet's zone against the transport (3 alike, or the most of 8), when 10,000 lines or 4 MiB
// were read since a line first needed them, or at the end of input. Evidence after that only checks: a year
// conflict is reported at the first line of each run of lines that disagree, a zone conflict
// once 3 consecutive evidence lines agree on another zone (a DST change, say; --tz with a zone
// name follows DST).
//
// A klog time is compared with its line's transport time: their difference is learned as the
// kubelet's zone against the transport's (0 for syslog and journalctl short, the kubelet's zone
// for absolute transports); a klog time further than 2 minutes from that is counted, reported
// (`klog-time-off`) and placed at its transport time. Three consecutive klog times that agree on
// another whole-quarter-hour difference change it (a DST change under an absolute transport, a
// restart in another zone); the first two of them are reported as off.
import { YearTracker, daysFromCivil, formatOffset, type WallClock } from './time.js';
import { parseOffset, zonedWallToEpochUs, zoneOffsetMinutes } from './zone.js';
import { findTimes, type FoundTime } from './time-evidence.js';
import { Tally } from './time-votes.js';
import { scanKlogHeader, type KlogHeader } from './klog-header.js';
import type { EnvelopeResult } from './envelope/index.js';
import type { DiagnosticLevel, LogRecord, ParseOptions, TimeAssumptions, TimeReport, YearSource } from './types.js';

const US_PER_SECOND = 1_000_000;
const US_PER_MINUTE = 60 * US_PER_SECOND;
const US_PER_HOUR = 60 * US_PER_MINUTE;
const US_PER_DAY = 24 * US_PER_HOUR;
const QUARTER_US = 15 * US_PER_MINUTE;
const YEAR_NEAR_US = 31 * US_PER_DAY + 14 * US_PER_HOUR;
const MOMENT_US = 3 * US_PER_SECOND;
const MIN_ZONE_MINUTES = -12 * 60;
const MAX_ZONE_MINUTES = 14 * 60;
/** How far a klog time may be from its transport time (receive delays under load) before it is "off". */
export const KLOG_TOLERANCE_US = 2 * US_PER_MINUTE;
const SHIFT_SWITCH = 3;
const SHIFT_SAMPLES = 8;
const SETTLED_WEIGHT = 3;
const ZONE_CONFLICT_RUN = 3;
/** A kubelet JSON line's own time: `{"ts":1746793592062.812,…` (epoch milliseconds). */
const JSON_TS = /^\{"ts":(\d{1,15}(?:\.\d{1,9})?)[,}]/;
export const WINDOW_LINES = 10_000;
export const WINDOW_BYTES = 4 << 20;

type EnvelopeLine = Extract<EnvelopeResult, { kind: 'line' }>;

/** What a record's time is computed from, copied from its first line when it starts. */
export interface TimeBasis {
  /** The line's transport wall clock when the transport gives no absolute time (RFC 3164). */
  clock?: WallClock | undefined;
  /** Year of the line's wall clock: absolute, or (yearRel) relative to the base year still to be decided. */
  year: number;
  yearRel: boolean;
  header?: KlogHeader | undefined;
}

export interface TimeHooks {
  diagnose(level: DiagnosticLevel, code: string, message: string, line: number): void;
}

/** klog times against their transport times, per kind of transport (yearless wall, or absolute). */
class KlogShift {
  minutes: number | undefined;
  line = 0;
  readonly seen: number[] = [];
  private candidate = 0;
  private run = 0;

  /** A klog time `q` quarter hours off (whole minutes); true when it agrees with the learned shift (or changes it). */
  observe(q: number, line: number): 'agree' | 'off' | 'changed' {
    if (this.minutes === undefined) {
      this.minutes = q;
      this.line = line;
      return 'agree';
    }
    if (q === this.minutes) {
      this.run = 0;
      return 'agree';
    }
    this.run = q === this.candidate ? this.run + 1 : 1;
    this.candidate = q;
    if (this.run < SHIFT_SWITCH) return 'off';
    this.minutes = q;
    this.line = line;
    this.run = 0;
    return 'changed';
  }

  /** Enough samples to learn from: none (nothing to learn yet), 3 that agree, or SHIFT_SAMPLES. */
  settled(): boolean {
    const n = this.seen.length;
    return n === 0 || n >= SHIFT_SAMPLES || (n >= 3 && this.seen.every((q) => q === this.seen[0]));
  }

  /** The shift most of the first klog lines agree on (one odd first line must not set it). */
  learnFromSeen(): void {
    if (this.minutes !== undefined || this.seen.length === 0) return;
    const counts = new Map<number, number>();
    for (const q of this.seen) counts.set(q, (counts.get(q) ?? 0) + 1);
    let best = this.seen[0]!;
    for (const [q, n] of counts) if (n > counts.get(best)!) best = q;
    this.minutes = best;
  }
}

export class TimeResolver {
  private readonly tracker: YearTracker;
  /** The tracker counts years relative to a base year still to be decided. */
  private trackerRel: boolean;
  private base = 0;
  /** Zone of wall times with none: minutes east of UTC, or (null) the IANA zone `zoneName`. */
  private zoneMinutes: number | null = 0;
  private readonly zoneName: string | undefined;
  /** The zone another input of this node states (ParseOptions.siblingZone), in minutes. */
  private readonly siblingZoneMinutes: number | undefined;
  private readonly zoneGiven: boolean;
  private markerZone: { minutes: number; line: number; text: string } | undefined;
  private decidedFlag = false;

  // the current line
  private lineNo = 0;
  private bytesSeen = 0;
  private curYear = 0;
  private curRel = true;
  private curClock: WallClock | undefined;
  /** The wall clock evidence on this line is weighed against (also for header-less continuation lines), and its year. */
  private wall: Omit<WallClock, 'year'> | undefined;
  private wallYear = 0;
  private wallRel = false;
  /** The last bare klog line, whose header is read only when evidence needs its wall clock. */
  private klogPayload: string | undefined;
  /** The current line has a wall clock (transport or klog header) the tracker dated. */
  private curHasWall = false;

  // evidence
  private readonly years = new Tally();
  private readonly zones = new Tally();
  private readonly found: FoundTime[] = [];
  private yearConflictRun: number | undefined;
  private zoneRun = { q: 0, n: 0, line: 0, text: '' };
  private windowStart: { line: number; bytes: number } | undefined;
  /** What the lines so far need settled: a base year for yearless walls, a zone for zoneless ones. */
  private needYear = false;
  private needZone = false;

  // what was used, for the report
  private firstYearFrom: 'rel' | 'anchor' | 'option' | undefined;
  private firstAnchor: { year: number; from: YearSource; line: number } | undefined;
  private zoneUsed = false;
  private assumptions: TimeAssumptions = {};
  private readonly relShift = new KlogShift();
  private readonly absShift = new KlogShift();
  private readonly counts: Pick<TimeReport, 'conflicts' | 'klogOff'> = {
    conflicts: { count: 0 },
    klogOff: { count: 0, toleranceSeconds: KLOG_TOLERANCE_US / US_PER_SECOND },
  };

  // caches: logs repeat the same second and day on thousands of lines
  private dayKey = NaN;
  private dayUs = 0;
  private lastText: string | undefined;
  private lastTextYear = NaN;
  private lastTextUs = 0;

  constructor(
    private readonly opts: ParseOptions,
    private readonly hooks: TimeHooks,
  ) {
    const tz = opts.tz;
    this.zoneGiven = tz !== undefined;
    this.siblingZoneMinutes = opts.siblingZone === undefined ? undefined : parseOffset(opts.siblingZone.value);
    if (tz !== undefined) {
      const fixed = parseOffset(tz);
      this.zoneMinutes = fixed ?? null;
      if (fixed === undefined) this.zoneName = tz;
    }
    const resume = opts.resume;
    if (resume) {
      this.tracker = new YearTracker(resume.year);
      this.tracker.reset(resume.year, resume.month);
      this.trackerRel = false;
      this.assumptions = structuredClone(resume.assumptions);
      const z = resume.assumptions.zone;
      if (tz === undefined && z) {
        const fixed = parseOffset(z.value);
        this.zoneMinutes = fixed ?? null;
        if (fixed === undefined) this.zoneName = z.value;
      }
      const k = resume.assumptions.klogZone;
      if (k) (k.transport === 'absolute' ? this.absShift : this.relShift).minutes = k.shiftMinutes;
      this.decidedFlag = true;
    } else if (opts.year !== undefined) {
      this.tracker = new YearTracker(opts.year);
      this.trackerRel = false;
      this.decidedFlag = this.zoneGiven;
    } else {
      this.tracker = new YearTracker(0);
      this.trackerRel = true;
    }
  }

  get decided(): boolean {
    return this.decidedFlag;
  }

  // ---- input order: every line is observed once, before it is parsed ---------------------

  /**
   * Observe a line with an envelope (in input order, once): its wall clock, the year tracker, the
   * evidence it carries. True when it must wait for the year or zone to be settled (parser/lookahead.ts).
   */
  observe(env: EnvelopeLine, lineNo: number, bytes: number): boolean {
    this.lineNo = lineNo;
    this.bytesSeen += bytes;
    const clock = env.clock;
    const payload = env.payload;
    let waits = false;
    if (clock !== undefined) {
      this.curClock = clock;
      if (clock.year !== undefined) {
        this.curYear = clock.year;
        this.curRel = false;
      } else {
        this.curYear = this.tracker.yearFor(clock.month);
        this.curRel = this.trackerRel;
      }
      this.curHasWall = true;
      this.wall = clock;
      this.wallYear = this.curYear;
      this.wallRel = this.curRel;
      this.klogPayload = undefined;
      this.needYear ||= this.curRel;
      this.needZone ||= !this.zoneGiven;
      waits = this.curRel || !this.zoneGiven;
    } else {
      this.curClock = undefined;
      this.curHasWall = false;
      if (env.transport?.timeUs !== undefined) {
        // an absolute transport needs nothing inferred, except the kubelet's zone against it
        this.wall = this.klogPayload = undefined;
        if (this.decidedFlag) return false;
        if (this.absShift.seen.length < SHIFT_SAMPLES) this.sampleShift(payload, env.transport.timeUs);
        const klog = klogMonthAt(payload) > 0;
        if (klog) this.waitFrom();
        this.maybeDecide();
        return klog && !this.decidedFlag;
      }
      const month = klogMonthAt(payload);
      if (month > 0) {
        this.curYear = this.tracker.yearFor(month);
        this.curRel = this.trackerRel;
        this.curHasWall = true;
        this.wall = undefined; // read from the header only when the line has evidence
        this.klogPayload = payload;
        this.needYear ||= this.curRel;
        this.needZone ||= !this.zoneGiven;
        waits = this.curRel || !this.zoneGiven;
      }
      // else a header-less line: its evidence is about the record it continues (the last wall)
    }
    const found = this.found;
    findTimes(payload, !this.decidedFlag, found);
    if (clock !== undefined && payload.charCodeAt(0) === 123 && payload.startsWith('{"ts":')) this.jsonTime(payload, found);
    if (found.length > 0) {
      this.weigh(found);
      found.length = 0;
    }
    if (this.decidedFlag) return false;
    if (clock !== undefined && this.relShift.seen.length < SHIFT_SAMPLES) this.sampleShift(payload, undefined);
    if (waits) this.waitFrom();
    this.maybeDecide();
    return waits && !this.decidedFlag;
  }

  /** A line that waited is parsed now: the state its observation left, for the records it starts. */
  restore(clock: WallClock | undefined, year: number, state: number): void {
    this.curClock = clock;
    this.curYear = year;
    this.curRel = (state & 1) !== 0;
    this.curHasWall = (state & 2) !== 0;
  }

  /** What restore() needs of the line just observed. */
  get lineYear(): number {
    return this.curYear;
  }

  get lineState(): number {
    return (this.curRel ? 1 : 0) | (this.curHasWall ? 2 : 0);
  }

  /** The log states its year here (klog file header, journal marker): it dates what follows. */
  anchorYear(year: number, month: number, line: number, from: 'klog-file-header' | 'journal-marker'): void {
    if (this.opts.year !== undefined) {
      if (year !== this.opts.year) this.conflict(line, `the log says year ${year} here (${from}); ${this.opts.year} is given by --year`);
      return;
    }
    // a vote too, for lines before it whose year is still relative
    const rel = this.tracker.yearFor(month);
    if (this.trackerRel) this.years.add(year - rel, SETTLED_WEIGHT, line, `${from} ${year}`);
    this.tracker.reset(year, month);
    this.trackerRel = false;
    this.firstAnchor ??= { year, from, line };
  }

  /** A journal marker states the zone journalctl printed the times in (`UTC`, `+08`; not `CST`). */
  anchorZone(minutes: number, line: number, text: string): void {
    if (this.markerZone !== undefined) return;
    this.markerZone = { minutes, line, text };
  }

  /** Copy the current line's wall clock and year onto a record that starts on it. */
  stamp<T extends TimeBasis>(b: T): T {
    b.clock = this.curClock;
    b.year = this.curYear;
    b.yearRel = this.curHasWall && this.curRel;
    return b;
  }

  /** kubelet JSON behind a syslog prefix: its `ts` is the line's own moment. */
  private jsonTime(payload: string, found: FoundTime[]): void {
    const m = JSON_TS.exec(payload);
    if (m === null) return;
    const us = Math.round(Number(m[1]) * 1000);
    if (Number.isSafeInteger(us)) found.push({ us, absolute: true, kind: 'json-ts', text: `ts ${m[1]}` });
  }

  /** Before anything is decided, a klog line's distance from its transport time is a sample of the kubelet's zone. */
  private sampleShift(payload: string, transportUs: number | undefined): void {
    if (klogMonthAt(payload) === 0) return;
    const scan = scanKlogHeader(payload);
    if (!scan.ok) return;
    const h = scan.header;
    if (transportUs === undefined) {
      const b: TimeBasis = { clock: this.curClock, year: this.curYear, yearRel: this.curRel };
      this.relShift.seen.push(quarter(this.klogMinusTransportWall(b, h)));
    } else {
      this.absShift.seen.push(quarter(this.nearestWallUs(h, transportUs) - transportUs));
    }
  }

  /** A line had to wait: the lookahead window counts from here. */
  private waitFrom(): void {
    this.windowStart ??= { line: this.lineNo, bytes: this.bytesSeen };
  }

  /** End of input, or the window is full: decide with what was seen. */
  decide(): void {
    this.relShift.learnFromSeen();
    this.absShift.learnFromSeen();
    if (this.decidedFlag) return;
    this.decidedFlag = true;
    // the year of relative walls
    const y = this.years.top();
    if (y !== undefined) {
      this.base = y[0];
      this.assumptions.year = { value: y[0], from: 'content', line: y[1].firstLine, evidence: y[1].firstText };
      for (const [value, v] of this.years.losers(y[0], 1)) {
        this.conflict(v.firstLine, `its times say year ${value} (${v.firstText}${v.lines > 1 ? `, and ${v.lines - 1} more lines` : ''}); ${y[0]} has more evidence (${y[1].lines} lines)`);
      }
    } else if (this.opts.siblingYear !== undefined) {
      this.base = this.opts.siblingYear.value;
      this.assumptions.year = { value: this.base, from: 'sibling', evidence: this.opts.siblingYear.evidence };
    } else if (this.opts.fallbackYear !== undefined) {
      this.base = this.opts.fallbackYear;
      this.assumptions.year = { value: this.base, from: 'mtime' };
    } else {
      this.base = new Date().getUTCFullYear();
      this.assumptions.year = { value: this.base, from: 'clock' };
    }
    if (this.opts.year !== undefined) {
      this.assumptions.year = { value: this.opts.year, from: 'option' };
    }
    // the zone of zone-less walls
    if (this.zoneGiven) {
      this.assumptions.zone = { value: this.opts.tz!, from: 'option' };
      const z = this.zones.top();
      if (z !== undefined && this.zoneMinutes !== null && z[0] !== this.zoneMinutes && z[1].lines >= ZONE_CONFLICT_RUN) {
        this.conflict(z[1].firstLine, `its times say zone ${formatOffset(z[0])} (${z[1].firstText}, ${z[1].lines} lines); ${this.opts.tz} is given by --tz`);
      }
    } else if (this.markerZone !== undefined) {
      this.zoneMinutes = this.markerZone.minutes;
      this.assumptions.zone = { value: formatOffset(this.markerZone.minutes), from: 'journal-marker', line: this.markerZone.line, evidence: this.markerZone.text };
    } else if (this.zones.top() === undefined && this.siblingZoneMinutes !== undefined) {
      this.zoneMinutes = this.siblingZoneMinutes;
      this.assumptions.zone = { value: formatOffset(this.siblingZoneMinutes), from: 'sibling', evidence: this.opts.siblingZone!.evidence };
    } else {
      const z = this.zones.top();
      this.zoneMinutes = z === undefined ? 0 : z[0];
      this.assumptions.zone = z === undefined ? { value: '+00:00', from: 'default' } : { value: formatOffset(z[0]), from: 'content', line: z[1].firstLine, evidence: z[1].firstText };
      if (z !== undefined) {
        for (const [value, v] of this.zones.losers(z[0], 2)) {
          this.conflict(v.firstLine, `its times say zone ${formatOffset(value)} (${v.firstText}, ${v.lines} lines); ${formatOffset(z[0])} has more evidence (${z[1].lines} lines)`);
        }
      }
    }
    if (this.opts.year === undefined && y === undefined && this.needYear) {
      const from = this.assumptions.year.from;
      const why = from === 'sibling' ? `another input of this node (${this.opts.siblingYear!.evidence})` : from === 'mtime' ? "the file's modification time" : 'the current year';
      this.hooks.diagnose('info', 'year-assumed', `no year in the log: assuming ${this.base} from ${why} (use --year)`, this.lineNo);
    }
  }

  /** Decide as soon as what the lines so far need is settled, or the window is full. */
  private maybeDecide(): void {
    const w = this.windowStart;
    if (this.decidedFlag || w === undefined) return;
    if (this.lineNo - w.line >= WINDOW_LINES || this.bytesSeen - w.bytes >= WINDOW_BYTES) {
      this.decide();
      return;
    }
    const yearOk = !this.needYear || this.years.settled(SETTLED_WEIGHT);
    const zoneOk = !this.needZone || this.markerZone !== undefined || this.zones.settled(SETTLED_WEIGHT);
    if (yearOk && zoneOk && this.relShift.settled() && this.absShift.settled()) this.decide();
  }

  // ---- evidence ---------------------------------------------------------------------------

  /** Weigh the times found on the current line against its wall clock. */
  private weigh(found: FoundTime[]): void {
    if (this.wall === undefined && this.klogPayload !== undefined) {
      const scan = scanKlogHeader(this.klogPayload);
      if (scan.ok) {
        this.wall = scan.header;
        this.wallYear = this.curYear;
        this.wallRel = this.curRel;
      }
    }
    const wall = this.wall;
    if (wall === undefined) return;
    // The line votes with its best value: one about the line's own moment (then it says the zone
    // too) over one merely near it, a daemon's own timestamp over a value, then the closest.
    let best: FoundTime | undefined;
    let bestRank = Infinity;
    let bestYear = 0;
    let bestQ: number | undefined;
    for (const f of found) {
      // the year that puts the wall clock nearest to the found time
      const fy = utcYear(f.us);
      let year = fy;
      let dist = Infinity;
      let wallAt = 0;
      for (let y = fy - 1; y <= fy + 1; y++) {
        const w = wallUs(y, wall);
        const diff = Math.abs(w - f.us);
        if (diff < dist) {
          dist = diff;
          year = y;
          wallAt = w;
        }
      }
      if (dist > YEAR_NEAR_US) continue;
      let q: number | undefined;
      let miss = dist;
      if (f.absolute && f.kind !== 'uuid-v1') {
        const d = wallAt - f.us;
        const zq = quarter(d);
        const residual = Math.abs(d - zq * US_PER_MINUTE);
        if (residual <= MOMENT_US && zq >= MIN_ZONE_MINUTES && zq <= MAX_ZONE_MINUTES) {
          q = zq;
          miss = residual;
        }
      }
      const strong = f.kind === 'daemon-time' || f.kind === 'json-ts';
      const rank = (q === undefined ? 2 : 0) + (strong ? 0 : 1) + miss / YEAR_NEAR_US;
      if (rank < bestRank) {
        bestRank = rank;
        best = f;
        bestYear = year;
        bestQ = q;
      }
    }
    if (best === undefined) return;
    const weight = best.kind === 'daemon-time' || best.kind === 'json-ts' ? 2 : 1;
    this.weighYear(bestYear, weight, best.text);
    if (bestQ !== undefined) this.weighZone(bestQ, weight, best.text, best.us);
  }

  private weighYear(year: number, weight: number, text: string): void {
    if (this.wallRel && !this.decidedFlag) {
      this.years.add(year - this.wallYear, weight, this.lineNo, text);
      return;
    }
    const assumed = this.wallRel ? this.base + this.wallYear : this.wallYear;
    if (year === assumed) {
      this.yearConflictRun = undefined;
      return;
    }
    if (this.yearConflictRun === year) return; // reported at the run's first line
    this.yearConflictRun = year;
    this.conflict(this.lineNo, `its times say year ${year} (${text}); ${assumed} is ${this.opts.year !== undefined ? 'given by --year' : 'assumed'}`);
  }

  private weighZone(q: number, weight: number, text: string, at: number): void {
    if (!this.decidedFlag) {
      this.zones.add(q, weight, this.lineNo, text);
      return;
    }
    const assumed = this.zoneMinutes ?? zoneOffsetMinutes(this.zoneName!, at / 1000);
    const run = this.zoneRun;
    if (q === assumed) {
      run.n = 0;
      return;
    }
    if (run.n > 0 && run.q === q) run.n++;
    else Object.assign(run, { q, n: 1, line: this.lineNo, text });
    if (run.n === ZONE_CONFLICT_RUN) {
      this.conflict(run.line, `its times say zone ${formatOffset(q)} (${run.text}, and the next ${ZONE_CONFLICT_RUN - 1} lines with times); ${this.assumptions.zone?.value ?? formatOffset(assumed)} is used (a DST change? --tz with a zone name follows it)`);
    }
  }

  private conflict(line: number, message: string): void {
    const c = this.counts.conflicts;
    c.count++;
    c.first ??= { line, message };
    this.hooks.diagnose('warning', 'time-conflict', message, line);
  }

  // ---- placing records (in emission order, once decided) ------------------------------------

  /** Set the record's time (and its transport's) from its basis. */
  place(record: LogRecord, b: TimeBasis): void {
    const t = record.transport;
    let transportUs = t?.timeUs;
    if (b.clock !== undefined) {
      transportUs = this.transportUs(b, t!.timeText);
      t!.timeUs = transportUs;
      if (b.clock.year === undefined) this.noteYearUse(b);
      this.zoneUsed = true;
    }
    const h = b.header;
    if (h === undefined) {
      if (record.timeUs === undefined && transportUs !== undefined) record.timeUs = transportUs;
      return;
    }
    if (transportUs === undefined) {
      // bare klog: the wall in the zone of zone-less walls
      this.noteYearUse(b);
      this.zoneUsed = true;
      const year = b.yearRel ? this.base + b.year : b.year;
      record.timeUs = this.inZone(this.wallUs(year, h), year, h);
      return;
    }
    const rel = b.clock !== undefined;
    const d = rel ? this.klogMinusTransportWall(b, h) : this.nearestWallUs(h, transportUs) - transportUs;
    const q = quarter(d);
    const shift = rel ? this.relShift : this.absShift;
    const before = shift.minutes;
    const residual = d - q * US_PER_MINUTE;
    const verdict = Math.abs(residual) <= KLOG_TOLERANCE_US ? shift.observe(q, record.line) : 'off';
    if (verdict === 'changed' && before !== undefined) {
      const what = rel ? `run ${formatOffset(q)} from their transport times (were ${formatOffset(before)})` : `are in zone ${formatOffset(q)} by their transport times (were ${formatOffset(before)})`;
      this.hooks.diagnose('info', 'klog-zone-change', `from here klog times ${what}`, record.line);
    }
    if (verdict !== 'off') {
      record.timeUs = transportUs + d - shift.minutes! * US_PER_MINUTE;
      if (this.assumptions.klogZone === undefined) this.noteKlogZone(shift, rel, record.line);
      return;
    }
    record.timeUs = transportUs;
    const off = d - (shift.minutes ?? 0) * US_PER_MINUTE;
    const k = this.counts.klogOff;
    k.count++;
    const message = `klog time ${h.timeText} is ${describeDuration(off)} ${off < 0 ? 'before' : 'after'} its transport time${t?.timeText ? ` ${t.timeText}` : ''}: placed at the transport time`;
    k.first ??= { line: record.line, message };
    this.hooks.diagnose('warning', 'klog-time-off', message, record.line);
  }

  private noteYearUse(b: TimeBasis): void {
    if (this.firstYearFrom !== undefined) return;
    this.firstYearFrom = b.yearRel ? 'rel' : this.opts.year !== undefined ? 'option' : this.firstAnchor !== undefined ? 'anchor' : undefined;
  }

  private noteKlogZone(shift: KlogShift, rel: boolean, line: number): void {
    if (rel && shift.minutes === 0) return; // the transport's zone: nothing to say
    this.assumptions.klogZone = {
      value: rel ? this.relativeZone(shift.minutes!) : formatOffset(shift.minutes!),
      line: shift.line || line,
      shiftMinutes: shift.minutes!,
      transport: rel ? 'wall' : 'absolute',
    };
  }

  private relativeZone(minutes: number): string {
    if (this.zoneMinutes !== null) return formatOffset(this.zoneMinutes + minutes);
    return `${this.zoneName} ${minutes < 0 ? '-' : '+'} ${formatOffset(Math.abs(minutes)).slice(1)}`;
  }

  /** What was assumed, and how often the input disagreed. */
  report(): TimeReport {
    const a = this.assumptions;
    const out: TimeReport = structuredClone(this.counts);
    if (this.opts.resume) {
      // what the first part of the input settled stays what it is
      if (a.year) out.year = a.year;
      if (a.zone) out.zone = a.zone;
    } else {
      if (this.firstYearFrom === 'rel' && a.year) out.year = a.year;
      else if (this.firstYearFrom === 'anchor' && this.firstAnchor) out.year = { value: this.firstAnchor.year, from: this.firstAnchor.from, line: this.firstAnchor.line };
      else if (this.firstYearFrom === 'option') out.year = { value: this.opts.year!, from: 'option' };
      if (this.zoneUsed) {
        if (a.zone) out.zone = a.zone;
        else if (this.zoneGiven) out.zone = { value: this.opts.tz!, from: 'option' };
      }
    }
    if (a.klogZone) out.klogZone = a.klogZone;
    return out;
  }

  /** The settled assumptions (for storing with an input, to resume it later). */
  settled(): TimeAssumptions | undefined {
    if (!this.decidedFlag) return undefined;
    const { conflicts: _c, klogOff: _k, ...assumptions } = this.report();
    return assumptions;
  }

  // ---- arithmetic ---------------------------------------------------------------------------

  /** Absolute time of an RFC 3164 transport wall clock. */
  private transportUs(b: TimeBasis, text: string | undefined): number {
    const c = b.clock!;
    const year = c.year ?? (b.yearRel ? this.base + b.year : b.year);
    if (text !== undefined && text === this.lastText && year === this.lastTextYear) return this.lastTextUs;
    const us = this.inZone(this.wallUs(year, c), year, c);
    this.lastText = text;
    this.lastTextYear = year;
    this.lastTextUs = us;
    return us;
  }

  /** klog wall minus transport wall, both yearless: the klog year is the transport's, unless the two straddle New Year. */
  private klogMinusTransportWall(b: TimeBasis, h: KlogHeader): number {
    const c = b.clock!;
    const ty = c.year ?? (b.yearRel ? this.base + b.year : b.year);
    const ky = c.month === 1 && h.month === 12 ? ty - 1 : c.month === 12 && h.month === 1 ? ty + 1 : ty;
    return this.wallUs(ky, h) - this.wallUs(ty, c);
  }

  /** A klog wall read as UTC in the year that puts it nearest to an absolute time. */
  private nearestWallUs(h: KlogHeader, us: number): number {
    const ty = utcYear(us);
    let best = 0;
    let bestDiff = Infinity;
    for (let y = ty - 1; y <= ty + 1; y++) {
      const w = this.wallUs(y, h);
      const diff = Math.abs(w - us);
      if (diff < bestDiff) {
        bestDiff = diff;
        best = w;
      }
    }
    return best;
  }

  /** A wall time (read as UTC) in the zone of zone-less walls. Zone names go through DST-aware conversion. */
  private inZone(wallAsUtc: number, year: number, c: Omit<WallClock, 'year'>): number {
    if (this.zoneMinutes !== null) return wallAsUtc - this.zoneMinutes * US_PER_MINUTE;
    return zonedWallToEpochUs({ year, month: c.month, day: c.day, hour: c.hour, minute: c.minute, second: c.second, micros: c.micros }, this.zoneName!);
  }

  /** Wall clock read as UTC, with the civil day cached. */
  private wallUs(year: number, c: Omit<WallClock, 'year'>): number {
    const key = (year * 16 + c.month) * 32 + c.day;
    if (key !== this.dayKey) {
      this.dayKey = key;
      this.dayUs = daysFromCivil(year, c.month, c.day) * US_PER_DAY;
    }
    return this.dayUs + ((c.hour * 60 + c.minute) * 60 + c.second) * US_PER_SECOND + c.micros;
  }
}

function wallUs(year: number, c: Omit<WallClock, 'year'>): number {
  return daysFromCivil(year, c.month, c.day) * US_PER_DAY + ((c.hour * 60 + c.minute) * 60 + c.second) * US_PER_SECOND + c.micros;
}

/** A difference in µs as whole quarter hours, in minutes. */
function quarter(us: number): number {
  return Math.round(us / QUARTER_US) * 15 + 0;
}

function utcYear(us: number): number {
  return new Date(Math.floor(us / 1000)).getUTCFullYear();
}

/** Month of a klog header at the start of `s` (`I0607 …`), else 0. */
function klogMonthAt(s: string): number {
  const c = s.charCodeAt(0);
  if (c !== 73 && c !== 87 && c !== 69 && c !== 70) return 0; // I W E F
  const a = s.charCodeAt(1) - 48;
  const b = s.charCodeAt(2) - 48;
  if (a < 0 || a > 1 || b < 0 || b > 9 || s.charCodeAt(5) !== 32) return 0;
  const m = a * 10 + b;
  return m >= 1 && m <= 12 ? m : 0;
}

/** `2h 0m 0.3s`, `45.2s` (to a tenth of a second). */
function describeDuration(us: number): string {
  const tenths = Math.round(Math.abs(us) / 100_000);
  const s = tenths / 10;
  if (s < 60) return `${s.toFixed(1)}s`;
  const h = Math.floor(tenths / 36_000);
  const m = Math.floor((tenths % 36_000) / 600);
  const rest = ((tenths % 600) / 10).toFixed(1);
  return h > 0 ? `${h}h ${m}m ${rest}s` : `${m}m ${rest}s`;
}
