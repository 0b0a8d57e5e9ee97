// What a kubelet process's own lines say about it: its version (stated, or placed by `file.go:line`
// callers against the per-release call tables, bounded by message wording and klog value eras) and
// its effective -v (a flags dump states it; otherwise at least the highest V of a message seen),
// each with the lines that show it. Fed one record at a time; memory is bounded by the number of
// distinct call sites, not by the log's length.
import type { LogRecord } from '../parser/types.js';
import { printfCatalogue } from '../parser/index.js';
import { catalogue as defaultCatalogue, type CatalogueIndex } from './catalogue.js';
import { callerOf } from './caller.js';
import { callSites as defaultSites, type CallSiteIndex, type MessageFacts } from './kubelet-callsites.js';
import { kubeletLevels as defaultLevels, type KubeletLevels, type LogKubelet } from './kubelet-levels.js';
import { kubeletSignals as defaultSignals, type KubeletSignals } from './kubelet-signals.js';
import { formatSpan, minorOf, type MinorSpan } from './kube-version.js';
import type { ProcessProfile } from './kubelet-life-types.js';

/** A line that shows something, and what it shows. */
export interface ProfileEvidence {
  line: number;
  /** The record's text (first 240 characters). */
  text: string;
  why: string;
}

export interface CallerVotes {
  /** Distinct call sites of the log found at exactly their line in a release of this minor. */
  agree: number;
  /** Distinct call sites this minor logs on another line. */
  differ: number;
}

export interface VersionEstimate {
  /** `1.28`, `1.31-1.32`, `≤1.20`, `≥1.26`, `unknown`. */
  label: string;
  min?: number;
  max?: number;
  /** What decided it: a printed version, the callers' lines, wording/value eras, or nothing. */
  basis: 'stated' | 'callers' | 'wording' | 'none';
  /** The version the log prints (`v1.28.3`). */
  stated?: string;
  /** Releases of the call tables the log's callers agree with. */
  releases: string[];
  /** Minors whose known calls put some of the log's messages on other lines (a patch release or a vendor build of that minor also does that). */
  differs: number[];
  /** What the callers say on their own, and what wording and value eras allow. */
  callers: Partial<MinorSpan> & { votes: Record<number, CallerVotes> };
  bounds: Partial<MinorSpan>;
  evidence: ProfileEvidence[];
}

export interface VerbosityEstimate {
  /** `exact`: a flags dump states it and no message contradicts it; `at-least`: messages show it; `unknown`: nothing above V0 seen. */
  kind: 'exact' | 'at-least' | 'unknown';
  /** The -v (exact), or its lower bound (0 when unknown). */
  level: number;
  /** The highest V of a message seen. */
  highestSeen: number;
  /** `FLAG: --v="N"` of the flags dump, when the log has one. */
  flag?: number;
  /** `FLAG: --vmodule` when set: some files log above or below -v. */
  vmodule?: string;
  evidence: ProfileEvidence[];
}

export interface KubeletProfile {
  records: number;
  /** Distinct call sites placed in the call tables (what the builder remembers). */
  callSites: number;
  version: VersionEstimate;
  verbosity: VerbosityEstimate;
  /** The view the phase model asks `canContain` with. */
  kubelet: LogKubelet;
}

export interface ProfileKnowledge {
  sites: CallSiteIndex;
  levels: KubeletLevels;
  signals: KubeletSignals;
  catalogue: CatalogueIndex;
}

const PRINTF_FORMATS = new Map(printfCatalogue.map((p) => [p.id, p.format]));

/** Distinct call sites remembered per process; beyond it lines are still counted, just not cached. */
const MAX_KEYS = 20_000;

interface Level {
  v: number;
  why: () => string;
}

interface SiteFacts {
  presence: Partial<MinorSpan>;
  v: number | null;
  /** The level its lines prove (null: none), once asked. */
  level?: Level | null;
}

interface Bound {
  value: number;
  ev: ProfileEvidence;
}

export class KubeletProfileBuilder {
  private records = 0;
  private stated?: { version: string; ev: ProfileEvidence };
  private flag?: { v: number; ev: ProfileEvidence };
  private vmodule?: string;
  private highest?: { v: number; ev: ProfileEvidence };
  private eraMin?: Bound;
  private eraMax?: Bound;
  private wordMin?: Bound;
  private wordMax?: Bound;
  /** Per distinct call site (file:line, severity, message head): its facts, or null when no table has it. */
  private readonly facts = new Map<string, SiteFacts | null>();
  private readonly entryV = new Map<string, number | null>();
  private placed = 0;
  private readonly minorVotes = new Map<number, CallerVotes>();
  private readonly releaseVotes = new Map<number, CallerVotes>();
  private readonly firstAgree = new Map<number, ProfileEvidence>();
  private readonly firstDiffer = new Map<number, ProfileEvidence>();

  constructor(private readonly k: ProfileKnowledge = { sites: defaultSites, levels: defaultLevels, signals: defaultSignals, catalogue: defaultCatalogue }) {}

  add(r: LogRecord): void {
    if (r.format === 'text') return;
    this.records++;
    const s = this.k.signals;
    const mayState = s.mayState(r);
    if (mayState) this.statements(r);
    const era = s.era(r);
    if (era) this.bound('era', era, () => evidence(r, era.why));

    const facts = this.siteFacts(r);
    if (facts) this.bound('word', facts.presence, () => evidence(r, `this message is logged by ${formatSpan(facts.presence)} (call tables)`));
    const v = this.levelOf(r, facts, mayState);
    if (v !== undefined && (!this.highest || v.v > this.highest.v)) this.highest = { v: v.v, ev: evidence(r, v.why()) };
  }

  /** A printed version, or the flags dump's -v and --vmodule. */
  private statements(r: LogRecord): void {
    const s = this.k.signals;
    const stated = s.statedVersion(r);
    if (stated && !this.stated) this.stated = { version: stated, ev: evidence(r, `prints version ${stated}`) };
    const flag = s.verbosityFlag(r);
    if (flag !== undefined) this.flag = { v: flag, ev: evidence(r, `the flags dump sets -v=${flag}`) };
    const vmodule = s.vmoduleFlag(r);
    if (vmodule !== undefined) this.vmodule = vmodule;
  }

  profile(): KubeletProfile {
    const version = this.version();
    const verbosity = this.verbosity();
    return {
      records: this.records,
      callSites: this.placed,
      version,
      verbosity,
      kubelet: {
        version: { ...(version.min !== undefined ? { min: version.min } : {}), ...(version.max !== undefined ? { max: version.max } : {}) },
        verbosity: { kind: verbosity.kind, level: verbosity.level },
      },
    };
  }

  /** Where the record's call sits, once per distinct call site. */
  private siteFacts(r: LogRecord): SiteFacts | undefined {
    if (!r.caller) return undefined;
    const sev = r.severity ?? 'I';
    // one call per file:line; the message up to its first value tells calls of same-named files apart
    const key = `${r.caller}|${sev}|${r.msg.slice(0, headLength(r.msg))}`;
    const known = this.facts.get(key);
    if (known !== undefined) return known ?? undefined;
    const at = callerOf(r.caller);
    if (!at) return undefined;
    const m: MessageFacts = { msg: r.msg, sev, json: r.format === 'json' };
    const sites = this.k.sites.fitting(at.file, m);
    if (sites.length === 0) {
      if (this.facts.size < MAX_KEYS) this.facts.set(key, null);
      return undefined;
    }
    const p = this.k.sites.place(sites, at.line);
    const rel = this.k.sites.releases;
    const agreeMinors = [...new Set(p.atLine.map((i) => rel[i]!.minor))];
    const differMinors = [...new Set(p.elsewhere.map((i) => rel[i]!.minor))].filter((m) => !agreeMinors.includes(m));
    const facts: SiteFacts = { presence: this.k.sites.presence(at.file, sites), v: p.v };
    // a site is voted for once, when it is first remembered; past the cap new sites only give levels
    if (this.facts.size >= MAX_KEYS) return facts;
    this.facts.set(key, facts);
    this.placed++;
    const ev = evidence(r, '');
    for (const minor of agreeMinors) {
      vote(this.minorVotes, minor).agree++;
      if (!this.firstAgree.has(minor)) this.firstAgree.set(minor, { ...ev, why: `${at.file}:${at.line} is where 1.${minor} logs this message` });
    }
    for (const minor of differMinors) {
      vote(this.minorVotes, minor).differ++;
      if (!this.firstDiffer.has(minor)) this.firstDiffer.set(minor, { ...ev, why: `1.${minor} logs this message elsewhere than ${at.file}:${at.line}` });
    }
    for (const i of p.atLine) vote(this.releaseVotes, i).agree++;
    for (const i of p.elsewhere) vote(this.releaseVotes, i).differ++;
    return facts;
  }

  /** The V this record proves the kubelet logs at, with why (made only when it is used). */
  private levelOf(r: LogRecord, facts: SiteFacts | undefined, mayState: boolean): Level | undefined {
    // a JSON line says its own V (one call can log at several: klog.V(verbosity) of a remount)
    if (r.v !== undefined) return { v: r.v, why: () => `logged at V${r.v} (the JSON "v" field)` };
    if (r.format === 'json') return undefined; // errors: no v
    if (!facts) return this.textLevel(r, undefined, mayState);
    // a text line's level is its call's: found once per call site
    if (facts.level === undefined) facts.level = this.textLevel(r, facts, mayState) ?? null;
    return facts.level ?? undefined;
  }

  private textLevel(r: LogRecord, facts: SiteFacts | undefined, mayState: boolean): Level | undefined {
    const dumpV = this.k.signals.flagDumpV;
    if (mayState && this.k.signals.isFlagLine(r)) return { v: dumpV, why: () => `the flags dump is logged at V${dumpV}` };
    if (facts && facts.v !== null) {
      const v = facts.v;
      return { v, why: () => `this call is logged at V${v} (call tables)` };
    }
    const m: MessageFacts = { msg: r.msg, sev: r.severity ?? 'I', json: false };
    const text = r.structured ? r.msg : r.printf && PRINTF_FORMATS.get(r.printf);
    if (text) {
      const vs = this.k.sites.byMessage(text, m).map((s) => s[4]).filter((v): v is number => v !== null);
      const v = Math.min(...vs);
      if (vs.length) return { v, why: () => `this message is logged at V${v} (call tables)` };
    }
    const entry = this.k.catalogue.entryFor(r);
    if (!entry) return undefined;
    const v = this.lowestLevel(entry.id);
    return v === null ? undefined : { v, why: () => `${entry.id} is logged at V${v} at the lowest (kubelet-verbosity.json)` };
  }

  /** The lowest V any covered version logs a catalogue entry at (null: none known). */
  private lowestLevel(id: string): number | null {
    let v = this.entryV.get(id);
    if (v !== undefined) return v;
    const { min, max } = this.k.levels.coverage;
    let low = Infinity;
    for (let minor = min; minor <= max; minor++) {
      const l = this.k.levels.levelAt(id, minor);
      if (l.known && l.logged) low = Math.min(low, l.v);
    }
    this.entryV.set(id, (v = Number.isFinite(low) ? low : null));
    return v;
  }

  /** Tighten the era or wording bounds; the evidence is made only when a bound moves. */
  private bound(kind: 'era' | 'word', span: Partial<MinorSpan>, ev: () => ProfileEvidence): void {
    const [minKey, maxKey] = kind === 'era' ? (['eraMin', 'eraMax'] as const) : (['wordMin', 'wordMax'] as const);
    const curMin = this[minKey];
    const curMax = this[maxKey];
    if (span.min !== undefined && (!curMin || span.min > curMin.value)) this[minKey] = { value: span.min, ev: ev() };
    if (span.max !== undefined && (!curMax || span.max < curMax.value)) this[maxKey] = { value: span.max, ev: ev() };
  }

  private version(): VersionEstimate {
    const { era, bounds } = this.bounds();
    const evidence: ProfileEvidence[] = [];
    if (bounds.evMin) evidence.push(bounds.evMin);
    if (bounds.evMax && bounds.evMax !== bounds.evMin) evidence.push(bounds.evMax);
    const { votes, chosen } = this.callerChoice();
    const callers: VersionEstimate['callers'] = { votes };
    if (chosen.length) Object.assign(callers, { min: Math.min(...chosen), max: Math.max(...chosen) });
    const differs = Object.entries(votes)
      .filter(([, v]) => v.differ > 0)
      .map(([m]) => Number(m));
    const rel = this.k.sites.releases;
    const releases = [...this.releaseVotes]
      .filter(([i, v]) => chosen.includes(rel[i]!.minor) && v.agree > 2 * v.differ)
      .sort((a, b) => a[0] - b[0])
      .map(([i]) => rel[i]!.name);

    const out: VersionEstimate = { label: 'unknown', basis: 'none', releases, differs, callers, bounds: strip(bounds), evidence };
    // the callers answer unless a value era rules their minor out; wording (absence from a release's
    // call table) only bounds what the callers leave open
    const fromCallers = chosen.filter((m) => within(era, m));
    const statedMinor = this.stated && minorOf(this.stated.version);
    if (this.stated && statedMinor !== undefined) {
      Object.assign(out, { basis: 'stated', stated: this.stated.version, min: statedMinor, max: statedMinor });
      evidence.unshift(this.stated.ev);
    } else if (fromCallers.length) {
      Object.assign(out, { basis: 'callers', min: Math.min(...fromCallers), max: Math.max(...fromCallers) });
      for (const m of fromCallers) evidence.unshift(this.firstAgree.get(m)!);
    } else if (bounds.min !== undefined || bounds.max !== undefined) {
      Object.assign(out, { basis: 'wording', ...trimContradicted(strip(bounds), votes) });
    }
    for (const m of differs) if (within(bounds, m) && this.firstDiffer.has(m) && evidence.length < 8) evidence.push(this.firstDiffer.get(m)!);
    out.label = formatSpan(out);
    return out;
  }

  /** What value eras allow, and eras with wording; when those two disagree, the eras win. */
  private bounds(): { era: Span; bounds: Span } {
    const era = span(this.eraMin, this.eraMax);
    const both = span(maxBound(this.eraMin, this.wordMin), minBound(this.eraMax, this.wordMax));
    return { era, bounds: both.min !== undefined && both.max !== undefined && both.min > both.max ? era : both };
  }

  /** Minors most of whose located call sites sit on their lines: the best such, by agreeing minus differing sites. */
  private callerChoice(): { votes: Record<number, CallerVotes>; chosen: number[] } {
    const votes: Record<number, CallerVotes> = {};
    for (const [minor, v] of [...this.minorVotes].sort((a, b) => a[0] - b[0])) votes[minor] = { ...v };
    const majority = Object.entries(votes).filter(([, v]) => v.agree > 2 * v.differ);
    const best = Math.max(0, ...majority.map(([, v]) => v.agree - v.differ));
    return { votes, chosen: majority.filter(([, v]) => v.agree - v.differ === best).map(([m]) => Number(m)) };
  }

  private verbosity(): VerbosityEstimate {
    const highestSeen = this.highest?.v ?? 0;
    const evidence: ProfileEvidence[] = [];
    const base = { highestSeen, ...(this.flag ? { flag: this.flag.v } : {}), ...(this.vmodule ? { vmodule: this.vmodule } : {}) };
    if (this.flag && highestSeen <= this.flag.v && !this.vmodule) {
      evidence.push(this.flag.ev);
      if (this.highest) evidence.push(this.highest.ev);
      return { kind: 'exact', level: this.flag.v, ...base, evidence };
    }
    if (this.highest && highestSeen > 0) evidence.push(this.highest.ev);
    if (this.flag) {
      const but = this.vmodule ? `but --vmodule="${this.vmodule}" logs some files above or below it` : `but a V${highestSeen} message is logged: the effective -v comes from elsewhere (the config file's logging.verbosity)`;
      evidence.push({ ...this.flag.ev, why: `${this.flag.ev.why}, ${but}` });
    }
    if (highestSeen > 0) return { kind: 'at-least', level: highestSeen, ...base, evidence };
    return { kind: 'unknown', level: 0, ...base, evidence };
  }
}

/** What the phase model and the stored process need of a profile: no evidence, no call sites. */
export interface KubeletSummary {
  /** The view the phase model asks `canContain` with. */
  kubelet: LogKubelet;
  profile: ProcessProfile;
}

/**
 * Profiles built at once at most (~3-20 KB each): a log of more nodes logging at once seals the
 * least recently active, and the rest of that process's lines are not profiled. A fleet's logs
 * merged in one database are far fewer nodes than this; a log of a host name a line is not.
 */
export const LIVE_PROFILES = 1024;

/**
 * Profiles of several kubelet processes (the epochs of lifecycle/process.ts). A process that has
 * ended is sealed into its summary, shared with every process of the same summary: a log of many
 * processes (a crash-looping kubelet, a PID a line) keeps a pointer per process, not a builder.
 */
export class KubeletProfiles {
  /** Builders of processes not sealed, the most recently active last. */
  private readonly byEpoch = new Map<number, KubeletProfileBuilder>();
  private lastEpoch = -1;
  private readonly sealed: (KubeletSummary | undefined)[] = [];
  private readonly shared = new Map<string, KubeletSummary>();
  /** Summaries of processes not sealed, as asked: dropped when the process gets another record. */
  private readonly asked = new Map<number, KubeletSummary>();

  constructor(private readonly knowledge?: ProfileKnowledge) {}

  add(epoch: number, r: LogRecord): void {
    let b = this.byEpoch.get(epoch);
    if (!b) {
      // sealed while it still logs: one of more than LIVE_PROFILES nodes logging at once
      if (this.sealed[epoch] !== undefined) return;
      if (this.byEpoch.size >= LIVE_PROFILES) this.seal(this.byEpoch.keys().next().value!);
      this.byEpoch.set(epoch, (b = new KubeletProfileBuilder(this.knowledge)));
    } else if (epoch !== this.lastEpoch && this.byEpoch.size > 1) {
      this.byEpoch.delete(epoch);
      this.byEpoch.set(epoch, b);
    }
    this.lastEpoch = epoch;
    if (this.asked.size > 0) this.asked.delete(epoch);
    b.add(r);
  }

  /** The process has ended (its host began another): keep its summary only. */
  seal(epoch: number): void {
    const b = this.byEpoch.get(epoch);
    if (!b) return;
    this.sealed[epoch] = this.intern(summaryOf(b.profile()));
    this.byEpoch.delete(epoch);
    this.asked.delete(epoch);
  }

  /** The whole profile, with its evidence, of a process not sealed. */
  get(epoch: number): KubeletProfile | undefined {
    return this.byEpoch.get(epoch)?.profile();
  }

  /** A process's summary, sealed or not; the same object for processes of the same summary. */
  summary(epoch: number): KubeletSummary | undefined {
    const sealed = this.sealed[epoch];
    if (sealed) return sealed;
    let s = this.asked.get(epoch);
    if (s) return s;
    const b = this.byEpoch.get(epoch);
    if (b) this.asked.set(epoch, (s = this.intern(summaryOf(b.profile()))));
    return s;
  }

  epochs(): number[] {
    const out = [...this.byEpoch.keys()];
    this.sealed.forEach((s, e) => {
      if (s) out.push(e);
    });
    return out.sort((a, b) => a - b);
  }

  private intern(s: KubeletSummary): KubeletSummary {
    const key = JSON.stringify(s);
    const known = this.shared.get(key);
    if (known) return known;
    this.shared.set(key, s);
    return s;
  }
}

function summaryOf(p: KubeletProfile): KubeletSummary {
  return { kubelet: p.kubelet, profile: { version: p.version.label, versionBasis: p.version.basis, verbosity: p.verbosity.kind, level: p.verbosity.level } };
}

/** Length of a message's head: up to its first quote or digit (where values start), at most 64. */
function headLength(msg: string): number {
  const n = Math.min(msg.length, 64);
  for (let i = 0; i < n; i++) {
    const c = msg.charCodeAt(i);
    if (c === 34 || (c >= 48 && c <= 57)) return i;
  }
  return n;
}

function vote(map: Map<number, CallerVotes>, k: number): CallerVotes {
  let v = map.get(k);
  if (!v) map.set(k, (v = { agree: 0, differ: 0 }));
  return v;
}

function maxBound(a?: Bound, b?: Bound): Bound | undefined {
  return !a ? b : !b ? a : b.value > a.value ? b : a;
}

function minBound(a?: Bound, b?: Bound): Bound | undefined {
  return !a ? b : !b ? a : b.value < a.value ? b : a;
}

type Span = Partial<MinorSpan> & { evMin?: ProfileEvidence; evMax?: ProfileEvidence };

function span(min?: Bound, max?: Bound): Span {
  return { ...(min ? { min: min.value, evMin: min.ev } : {}), ...(max ? { max: max.value, evMax: max.ev } : {}) };
}

function within(s: Partial<MinorSpan>, m: number): boolean {
  return (s.min === undefined || m >= s.min) && (s.max === undefined || m <= s.max);
}

/**
 * An end of the span whose minor most call sites contradict is not that minor (a patch release
 * moves a few lines, not most of them).
 */
function trimContradicted(s: Partial<MinorSpan>, votes: Record<number, CallerVotes>): Partial<MinorSpan> {
  const contradicted = (m: number) => {
    const v = votes[m];
    return v !== undefined && v.differ >= 3 && v.differ > 2 * v.agree;
  };
  const out = { ...s };
  while (out.min !== undefined && (out.max === undefined || out.min < out.max) && contradicted(out.min)) out.min++;
  while (out.max !== undefined && (out.min === undefined || out.max > out.min) && contradicted(out.max)) out.max--;
  return out;
}

function strip(b: Partial<MinorSpan>): Partial<MinorSpan> {
  return { ...(b.min !== undefined ? { min: b.min } : {}), ...(b.max !== undefined ? { max: b.max } : {}) };
}

function evidence(r: LogRecord, why: string): ProfileEvidence {
  return { line: r.line, text: r.raw.length > 240 ? r.raw.slice(0, 240) + '…' : r.raw, why };
}
