// What a single kubelet record says about the kubelet's version and -v by itself: a printed
// version, the flags dump, value renderings of one klog era (schemas/kubelet-version-signals.json).
import data from '../schemas/kubelet-version-signals.json' with { type: 'json' };
import type { LogRecord } from '../parser/types.js';
import type { MinorSpan } from './kube-version.js';

interface StatedSignal {
  id: string;
  msg?: string;
  key?: string;
  pattern?: string;
  sample: string;
}

export interface EraSignal {
  id: string;
  msgs?: string[];
  msgPattern?: string;
  raw?: string;
  jsonKey?: string;
  jsonType?: 'object' | 'string';
  jsonPattern?: string;
  min?: number;
  max?: number;
  why: string;
  sample: string;
}

export interface SignalData {
  stated: StatedSignal[];
  flags: { v: string; vmodule: string; any: string; dumpV: number; samples: Record<string, string> };
  eras: EraSignal[];
}

type Rec = Pick<LogRecord, 'msg' | 'kv' | 'raw' | 'format'>;

export class KubeletSignals {
  private readonly stated: { s: StatedSignal; re?: RegExp }[];
  private readonly flagV: RegExp;
  private readonly flagVmodule: RegExp;
  private readonly flagAny: RegExp;
  private readonly eras: { e: EraSignal; raw?: RegExp; json?: RegExp; msg?: RegExp; msgs?: Set<string> }[];
  /** The V of the flags dump's own lines. */
  readonly flagDumpV: number;

  /** Every stated/flag pattern starts with one of these: most lines are passed by over a startsWith. */
  private readonly heads: string[];

  constructor(readonly data: SignalData) {
    this.stated = data.stated.map((s) => (s.pattern ? { s, re: new RegExp(s.pattern) } : { s }));
    this.flagV = new RegExp(data.flags.v);
    this.flagVmodule = new RegExp(data.flags.vmodule);
    this.flagAny = new RegExp(data.flags.any);
    this.heads = [...data.stated.map((s) => s.msg ?? literalHead(s.pattern ?? '')), literalHead(data.flags.any), literalHead(data.flags.v), literalHead(data.flags.vmodule)];
    this.flagDumpV = data.flags.dumpV;
    this.eras = data.eras.map((e) => ({
      e,
      ...(e.raw ? { raw: new RegExp(e.raw) } : {}),
      ...(e.jsonPattern ? { json: new RegExp(e.jsonPattern) } : {}),
      ...(e.msgPattern ? { msg: new RegExp(e.msgPattern) } : {}),
      ...(e.msgs ? { msgs: new Set(e.msgs) } : {}),
    }));
  }

  /** Could this record be a version or flags line at all? (a few startsWith: callers skip the rest) */
  mayState(r: Rec): boolean {
    return this.heads.some((h) => r.msg.startsWith(h));
  }

  /** The version this record prints (`v1.28.3`), if it is a version line. */
  statedVersion(r: Rec): string | undefined {
    if (!this.mayState(r)) return undefined;
    for (const { s, re } of this.stated) {
      if (s.msg !== undefined) {
        if (r.msg !== s.msg || !s.key) continue;
        const v = r.kv[s.key];
        if (typeof v === 'string') return v;
        continue;
      }
      const m = re?.exec(r.msg);
      if (m?.[1]) return m[1];
    }
    return undefined;
  }

  /** `FLAG: --v="4"` → 4. */
  verbosityFlag(r: Rec): number | undefined {
    if (!this.mayState(r)) return undefined;
    const m = this.flagV.exec(r.msg);
    return m ? Number(m[1]) : undefined;
  }

  /** `FLAG: --vmodule="…"` → its value. */
  vmoduleFlag(r: Rec): string | undefined {
    if (!this.mayState(r)) return undefined;
    return this.flagVmodule.exec(r.msg)?.[1];
  }

  isFlagLine(r: Rec): boolean {
    if (!this.mayState(r)) return false;
    return this.flagAny.test(r.msg);
  }

  /** The first era signal this record shows, if any. */
  era(r: Rec): (Partial<MinorSpan> & { id: string; why: string }) | undefined {
    for (const { e, raw, json, msg, msgs } of this.eras) {
      if (msgs && !msgs.has(r.msg)) continue;
      if (msg) {
        if (!msg.test(r.msg)) continue;
      } else if (raw) {
        if (r.format === 'json' || !raw.test(r.raw)) continue;
      } else if (e.jsonKey) {
        if (r.format !== 'json') continue;
        const v = r.kv[e.jsonKey];
        const type = v !== null && typeof v === 'object' && !Array.isArray(v) ? 'object' : typeof v;
        if (type !== e.jsonType || (json && !(typeof v === 'string' && json.test(v)))) continue;
      } else continue;
      const span: Partial<MinorSpan> & { id: string; why: string } = { id: e.id, why: e.why };
      if (e.min !== undefined) span.min = e.min;
      if (e.max !== undefined) span.max = e.max;
      return span;
    }
    return undefined;
  }
}

/** The literal text an anchored pattern starts with (`^FLAG: --v=` → `FLAG: --v=`). */
function literalHead(pattern: string): string {
  let out = '';
  let i = pattern.startsWith('^') ? 1 : 0;
  for (; i < pattern.length; i++) {
    const c = pattern[i]!;
    if ('.*+?[](){}|^$'.includes(c)) break;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = pattern[i + 1];
    if (n === undefined || /[A-Za-z0-9]/.test(n)) break;
    out += n;
    i++;
  }
  // a quantifier after the last literal character makes it optional
  return '*?{'.includes(pattern[i] ?? '.') ? out.slice(0, -1) : out;
}

/** The project's signals. */
export const kubeletSignals = new KubeletSignals(data as SignalData);
