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

  constructor(readonly data: SignalData) {
    this.stated = data.stated.map((s) => (s.pattern ? { s, re: new RegExp(s.pattern) } : { s }));
    this.flagV = new RegExp(data.flags.v);
    this.flagVmodule = new RegExp(data.flags.vmodule);
    this.flagAny = new RegExp(data.flags.any);
    this.flagDumpV = data.flags.dumpV;
    this.eras = data.eras.map((e) => ({
      e,
      ...(e.raw ? { raw: new RegExp(e.raw) } : {}),
      ...(e.jsonPattern ? { json: new RegExp(e.jsonPattern) } : {}),
      ...(e.msgPattern ? { msg: new RegExp(e.msgPattern) } : {}),
      ...(e.msgs ? { msgs: new Set(e.msgs) } : {}),
    }));
  }

  /** The version this record prints (`v1.28.3`), if it is a version line. */
  statedVersion(r: Rec): string | undefined {
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
    const m = this.flagV.exec(r.msg);
    return m ? Number(m[1]) : undefined;
  }

  /** `FLAG: --vmodule="…"` → its value. */
  vmoduleFlag(r: Rec): string | undefined {
    return this.flagVmodule.exec(r.msg)?.[1];
  }

  isFlagLine(r: Rec): boolean {
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

/** The project's signals. */
export const kubeletSignals = new KubeletSignals(data as SignalData);
