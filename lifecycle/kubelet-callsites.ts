// Where a log line came from in the kubelet's source, per release (schemas/kubelet-callsites.json):
// the calls of a `file.go` whose message fits the line, the releases that log it at the line's
// `file.go:line`, those that log it on another line, and the lowest V of those calls.
import data from '../schemas/kubelet-callsites.json' with { type: 'json' };
import { compileFormat } from '../parser/printf.js';
import type { CallSite, CallSiteData, ReleaseInfo } from './kubelet-knowledge-types.js';
import type { MinorSpan } from './kube-version.js';

/** What a line's message and severity say about its call. */
export interface MessageFacts {
  msg: string;
  /** Severity class: `I` info (JSON warnings look like info), `E` error, `W`, `F`. */
  sev: string;
  /** JSON lines: warnings carry no letter and look like info. */
  json: boolean;
}

export interface Placement {
  /** Indexes (into `releases`) of the releases that log this message at exactly this line. */
  atLine: number[];
  /** Releases that log this message in this file, but on other lines. */
  elsewhere: number[];
  /** Lowest V of the fitting calls at this line (or of all fitting calls when none is at it); null: unknown. */
  v: number | null;
}

export class CallSiteIndex {
  readonly releases: readonly ReleaseInfo[];
  private readonly byFile = new Map<string, CallSite[]>();
  private readonly byText = new Map<string, CallSite[]>();
  private readonly formats = new Map<string, RegExp>();
  /** Per file: the minors whose tables list every call of it (there, absence means: not logged). */
  private readonly fullMinors = new Map<string, Set<number>>();

  constructor(d: CallSiteData) {
    this.releases = d.releases;
    for (const s of d.sites) {
      push(this.byFile, s[0], s);
      if (s[1] === 's' || s[1] === 'p') push(this.byText, s[2], s);
      let minors = this.fullMinors.get(s[0]);
      if (!minors) this.fullMinors.set(s[0], (minors = new Set()));
      s[5].forEach((l, i) => l !== 0 && d.releases[i]!.coverage === 'full' && minors.add(d.releases[i]!.minor));
    }
  }

  /** The calls of `file` whose message fits. */
  fitting(file: string, m: MessageFacts): CallSite[] {
    return (this.byFile.get(file) ?? []).filter((s) => this.fits(s, m));
  }

  /** Calls anywhere whose exact message (or printf format) is this text. */
  byMessage(text: string, m: MessageFacts): CallSite[] {
    return (this.byText.get(text) ?? []).filter((s) => this.fits(s, m));
  }

  place(sites: CallSite[], line: number): Placement {
    const at = new Set<number>();
    const elsewhere = new Set<number>();
    let vAt: number | null = null;
    let vAny: number | null = null;
    for (const s of sites) {
      const v = s[4];
      if (v !== null) vAny = vAny === null ? v : Math.min(vAny, v);
      s[5].forEach((l, i) => {
        if (l === 0) return;
        if (l === line || (Array.isArray(l) && l.includes(line))) {
          at.add(i);
          if (v !== null) vAt = vAt === null ? v : Math.min(vAt, v);
        } else elsewhere.add(i);
      });
    }
    for (const i of at) elsewhere.delete(i);
    return { atLine: [...at].sort((a, b) => a - b), elsewhere: [...elsewhere].sort((a, b) => a - b), v: vAt ?? vAny };
  }

  /**
   * The minors a message of `file` can come from, judged by the releases whose tables list every
   * call of that file: it starts after the last such minor before its first appearance and ends
   * before the first such minor after its last one. Open ends where the tables say nothing (files
   * outside pkg/kubelet, and messages only seen in logs of newer versions).
   */
  presence(file: string, sites: CallSite[]): Partial<MinorSpan> {
    const present = new Set<number>();
    let inFull = false;
    for (const s of sites)
      s[5].forEach((l, i) => {
        if (l === 0) return;
        present.add(this.releases[i]!.minor);
        inFull ||= this.releases[i]!.coverage === 'full';
      });
    // a message no full table has (outside pkg/kubelet, or newer than the tables) has no known absence
    if (!inFull) return {};
    const lo = Math.min(...present);
    const hi = Math.max(...present);
    const absent = [...(this.fullMinors.get(file) ?? [])].filter((m) => !present.has(m));
    const before = absent.filter((m) => m < lo);
    const after = absent.filter((m) => m > hi);
    const span: Partial<MinorSpan> = {};
    if (before.length) span.min = Math.max(...before) + 1;
    if (after.length) span.max = Math.min(...after) - 1;
    return span;
  }

  private fits(s: CallSite, m: MessageFacts): boolean {
    if (!sevFits(s[3], m)) return false;
    const text = s[2];
    switch (s[1]) {
      case 's':
        return m.msg === text;
      case 'd':
      case 't':
        return m.msg.startsWith(text);
      case 'p': {
        let re = this.formats.get(text);
        if (!re) this.formats.set(text, (re = compileFormat(text).regex));
        return re.test(m.msg);
      }
    }
  }
}

function sevFits(site: string, m: MessageFacts): boolean {
  if (site === m.sev) return true;
  return m.json && m.sev === 'I' && site === 'W';
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/** The project's call-site tables. */
export const callSites = new CallSiteIndex(data as CallSiteData);
