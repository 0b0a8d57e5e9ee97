// Which step of a pod's startup or teardown a record marks (schemas/lifecycle-steps.json): the
// volumes, the sandbox, each image pull and container start, readiness; each container stop, the
// network, the volumes, the cgroup, the final status. Pure: a record and its entry in, a step out.
import data from '../schemas/lifecycle-steps.json' with { type: 'json' };
import type { KvValue, LogRecord } from '../parser/types.js';
import type { CatalogueEntry } from './catalogue-types.js';

export type StartupStep = 'volumes' | 'sandbox' | 'image' | 'container' | 'init' | 'ready' | 'slo';
export type TeardownStep = 'stop' | 'network' | 'volumes' | 'cgroup' | 'sandbox' | 'status' | 'removed';
export type Edge = 'start' | 'end' | 'point' | 'progress';

interface Rule {
  entry: string;
  when?: Record<string, string | string[]>;
  step: string;
  edge: Edge;
  /** The edge when the line is about an init container (its `Started` is not its end: it runs to completion). */
  initEdge?: Edge;
  subject?: string;
  /** A line that shows what such a rule matches (test/lifecycle-breakdown.test.ts checks it). */
  sample?: string;
}

/** What a record says about a step. */
export interface StepMark {
  part: 'startup' | 'teardown';
  step: StartupStep | TeardownStep;
  edge: Edge;
  /** The container, init container or image it is about. */
  subject?: string;
  /** About an init container (an image pulled for one, or its run). */
  init?: true;
  /** An image pull: `already present on machine`, or the pull's own duration in µs (`in 2.3s`). */
  present?: true;
  pullUs?: number;
  /** `Observed pod startup duration`: the kubelet's own figures. */
  slo?: { sloS?: number; e2eS?: number };
}

const rules = data as { startup: Rule[]; teardown: Rule[] };

/** Every rule, with the part it belongs to (for the checks of its sample). */
export const stepRules: readonly { part: 'startup' | 'teardown'; rule: Readonly<Rule> }[] = [...rules.startup.map((rule) => ({ part: 'startup' as const, rule })), ...rules.teardown.map((rule) => ({ part: 'teardown' as const, rule }))];
const byEntry = new Map<string, { part: 'startup' | 'teardown'; rule: Rule }[]>();
for (const part of ['startup', 'teardown'] as const) {
  for (const rule of rules[part]) {
    const list = byEntry.get(rule.entry) ?? [];
    list.push({ part, rule });
    byEntry.set(rule.entry, list);
  }
}

const FIELD_PATH = /^spec\.(initContainers|containers|ephemeralContainers)\{([^}]+)\}$/;
/** `Successfully pulled image "x" in 2.345s (2.345s including waiting)`; older: `… in 812.5ms`. */
const PULLED_IN = /in ([0-9.]+)(ms|s|m)\b/;

function holds(kv: LogRecord['kv'], when: Rule['when']): boolean {
  if (!when) return true;
  for (const k in when) {
    const want = when[k]!;
    const v = kv[k];
    if (Array.isArray(want) ? !want.includes(v as string) : v !== want) return false;
  }
  return true;
}

const str = (v: KvValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export function stepOf(r: Pick<LogRecord, 'kv'>, entry: CatalogueEntry | undefined): StepMark | undefined {
  const candidates = entry ? byEntry.get(entry.id) : undefined;
  if (!candidates) return undefined;
  for (const { part, rule } of candidates) {
    if (!holds(r.kv, rule.when)) continue;
    const m: StepMark = { part, step: rule.step as StepMark['step'], edge: rule.edge };
    if (rule.subject === 'fieldPath') {
      const fp = FIELD_PATH.exec(str(r.kv.fieldPath) ?? '');
      if (fp) {
        m.subject = fp[2]!;
        if (fp[1] === 'initContainers') {
          m.init = true;
          // an init container's run is a step of its own, run to completion before the others
          if (m.step === 'container') {
            m.step = 'init';
            if (rule.initEdge) m.edge = rule.initEdge;
          }
        }
      }
    } else if (rule.subject) {
      const s = str(r.kv[rule.subject]);
      if (s) m.subject = s;
    }
    if (m.step === 'image' && m.edge === 'end') {
      const msg = str(r.kv.message) ?? '';
      if (msg.includes('already present on machine')) m.present = true;
      const d = PULLED_IN.exec(msg);
      if (d) m.pullUs = Math.round(Number(d[1]) * (d[2] === 'ms' ? 1e3 : d[2] === 'm' ? 60e6 : 1e6));
    }
    if (m.step === 'slo') {
      const slo = r.kv.podStartSLOduration;
      const e2e = r.kv.podStartE2EDuration;
      m.slo = {};
      if (typeof slo === 'number') m.slo.sloS = slo;
      const e2eS = typeof e2e === 'number' ? e2e : typeof e2e === 'string' ? goDurationS(e2e) : undefined;
      if (e2eS !== undefined) m.slo.e2eS = e2eS;
    }
    return m;
  }
  return undefined;
}

/** A Go `time.Duration` string (`2.755046846s`, `1m3.5s`, `812ms`) in seconds. */
export function goDurationS(s: string): number | undefined {
  const re = /([0-9.]+)(h|ms|µs|us|ns|m|s)/g;
  let total = 0;
  let any = false;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    any = true;
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : m[2] === 'ms' ? n / 1e3 : m[2] === 'ns' ? n / 1e9 : n / 1e6;
  }
  return any ? total : undefined;
}
