// Which lifecycle messages a kubelet of a given version logs at a given -v
// (schemas/kubelet-verbosity.json), and the question the phase model asks: can a log of this
// kubelet (version range, verbosity) contain catalogue entry X at all? Only then does the absence
// of X mean something.
import data from '../schemas/kubelet-verbosity.json' with { type: 'json' };
import type { LevelBasis, VerbosityData, VersionLevel } from './kubelet-knowledge-types.js';
import { spanOf, type MinorSpan } from './kube-version.js';

/** An entry's level at one minor. `interpolated`: between two checked versions that agree. */
export type MinorLevel =
  | { known: false; why: string }
  | { known: true; logged: false; basis: LevelBasis | 'interpolated' }
  | { known: true; logged: true; v: number; sev: string; basis: LevelBasis | 'interpolated' };

/** What a log's kubelet is known to be: a span of minors and how verbose it logs. */
export interface LogKubelet {
  version: Partial<MinorSpan>;
  verbosity: { kind: 'exact' | 'at-least' | 'unknown'; level: number };
}

export interface ContainAnswer {
  answer: 'yes' | 'no' | 'unknown';
  /** The lowest and highest V the entry has over the minors considered (when logged there). */
  v?: { min: number; max: number };
  why: string;
}

export class KubeletLevels {
  private readonly keys: { key: string; span: MinorSpan }[];
  /** The minors the data covers; an open version range is read within them. */
  readonly coverage: MinorSpan;

  constructor(private readonly d: VerbosityData) {
    this.keys = d.versions.map((key) => ({ key, span: spanOf(key) }));
    this.coverage = { min: Math.min(...this.keys.map((k) => k.span.min)), max: Math.max(...this.keys.map((k) => k.span.max)) };
  }

  has(entryId: string): boolean {
    return entryId in this.d.entries;
  }

  levelAt(entryId: string, minor: number): MinorLevel {
    const e = this.d.entries[entryId];
    if (!e) return { known: false, why: `no catalogue entry ${entryId}` };
    if (e.unknown) return { known: false, why: e.unknown };
    const direct = this.merged(e.at, (s) => s.min <= minor && minor <= s.max);
    if (direct) return direct;
    // a minor between two checked versions: only what both sides agree on
    const below = this.keys.filter((k) => k.span.max < minor).pop();
    const above = this.keys.find((k) => k.span.min > minor);
    const lo = below && e.at[below.key];
    const hi = above && e.at[above.key];
    if (!lo || !hi) return { known: false, why: `1.${minor} is outside the versions the data covers (1.${this.coverage.min}–1.${this.coverage.max})` };
    if (!lo.logged && !hi.logged) return { known: true, logged: false, basis: 'interpolated' };
    if (lo.logged && hi.logged && lo.v === hi.v) return { known: true, logged: true, v: lo.v, sev: lo.sev, basis: 'interpolated' };
    return { known: false, why: `1.${minor} was not checked and its neighbours ${below.key} and ${above.key} differ` };
  }

  /** Can a log of this kubelet contain entry X? `yes` / `no` / `unknown`, with why. */
  canContain(entryId: string, k: LogKubelet): ContainAnswer {
    const min = Math.max(k.version.min ?? this.coverage.min, this.coverage.min);
    const max = Math.min(k.version.max ?? this.coverage.max, this.coverage.max);
    if (min > max) return { answer: 'unknown', why: `the kubelet's version (${k.version.min}–${k.version.max}) is outside the data` };
    const answers = new Set<'yes' | 'no' | 'unknown'>();
    const why: string[] = [];
    let vMin = Infinity;
    let vMax = -Infinity;
    for (let m = min; m <= max; m++) {
      const l = this.levelAt(entryId, m);
      if (!l.known) {
        answers.add('unknown');
        why.push(`1.${m}: ${l.why}`);
        continue;
      }
      if (!l.logged) {
        answers.add('no');
        continue;
      }
      vMin = Math.min(vMin, l.v);
      vMax = Math.max(vMax, l.v);
      answers.add(fits(l.v, k.verbosity));
    }
    const answer = answers.size === 1 ? [...answers][0]! : 'unknown';
    const v = vMin <= vMax ? { min: vMin, max: vMax } : undefined;
    const span = min === max ? `1.${min}` : `1.${min}–1.${max}`;
    const verb = k.verbosity.kind === 'exact' ? `-v=${k.verbosity.level}` : k.verbosity.kind === 'at-least' ? `-v≥${k.verbosity.level}` : 'an unknown -v';
    const levels = v ? (v.min === v.max ? `V${v.min}` : `V${v.min}–V${v.max}`) : 'not logged';
    const text =
      answer === 'yes'
        ? `${span} logs it at ${levels}, within ${verb}`
        : answer === 'no'
          ? v
            ? `${span} logs it at ${levels}, above ${verb}`
            : `${span} does not log it`
          : `${span} at ${verb}: ${why[0] ?? `it logs it at ${levels}, which this log may or may not reach`}`;
    return { answer, ...(v ? { v } : {}), why: text };
  }

  /** One minor's level, merged over the keys that cover it (1.28.0 and 1.28.7 both cover 1.28). */
  private merged(at: Record<string, VersionLevel>, covers: (s: MinorSpan) => boolean): MinorLevel | undefined {
    const ls = this.keys.filter((k) => covers(k.span)).map((k) => at[k.key]).filter((l): l is VersionLevel => l !== undefined);
    if (ls.length === 0) return undefined;
    const logged = ls.filter((l) => l.logged);
    if (logged.length === 0) return { known: true, logged: false, basis: ls[0]!.basis };
    const first = logged.reduce((a, b) => (b.v < a.v ? b : a));
    return { known: true, logged: true, v: first.v, sev: [...new Set(logged.map((l) => l.sev).join(''))].join(''), basis: first.basis };
  }
}

function fits(v: number, verbosity: LogKubelet['verbosity']): 'yes' | 'no' | 'unknown' {
  if (v <= verbosity.level) return 'yes';
  return verbosity.kind === 'exact' ? 'no' : 'unknown';
}

/** The project's levels. */
export const kubeletLevels = new KubeletLevels(data as VerbosityData);
