// Which failure a single record shows, read from schemas/incident-rules.json: the catalogue says a
// message is a failure (`incident`), the rules say which one for messages that carry many (an
// `Error syncing pod` is a crash loop, an image pull failure, a failed kill, … by its err text).
// lifecycle/incidents.ts groups these into one incident per underlying failure.
import data from '../schemas/incident-rules.json' with { type: 'json' };
import type { KvValue, LogRecord } from '../parser/types.js';
import type { CatalogueEntry } from './catalogue-types.js';

export type IncidentSeverity = 'critical' | 'error' | 'warning' | 'info';

export type IncidentKind =
  | 'kubelet-crash'
  | 'stuck-terminating'
  | 'kill-failed'
  | 'admission-rejected'
  | 'evicted'
  | 'oom-killed'
  | 'crash-loop'
  | 'image-pull-failed'
  | 'start-failed'
  | 'mount-failed'
  | 'unmount-failed'
  | 'sandbox-failed'
  | 'grace-exceeded'
  | 'node-not-ready'
  | 'probe-restart'
  | 'probe-failed'
  | 'kubelet-restart'
  | 'torn-down-twice'
  | 'sync-error'
  | 'status-failed'
  | 'recreated-quickly';

type Subject = 'container' | 'image' | 'volume';

interface Rules {
  kinds: Record<IncidentKind, { severity: IncidentSeverity; title: string }>;
  subjects: Record<Subject, string[]>;
  errorText: { match: string; kind: IncidentKind; subject?: Subject }[];
  events: { reason: string; message?: string; kind: IncidentKind; subject?: Subject }[];
  status: { match: string; kind: IncidentKind; subject?: Subject }[];
}

const rules = data as unknown as Rules;

export const INCIDENT_KINDS = Object.keys(rules.kinds) as IncidentKind[];
const SEVERITY_RANK: Record<IncidentSeverity, number> = { critical: 0, error: 1, warning: 2, info: 3 };

export const severityOf = (k: IncidentKind): IncidentSeverity => rules.kinds[k].severity;
export const titleOf = (k: IncidentKind): string => rules.kinds[k].title;
/** Lower is worse: critical 0 … info 3. */
export const severityRank = (s: IncidentSeverity): number => SEVERITY_RANK[s];

const subjectRes = Object.fromEntries(Object.entries(rules.subjects).map(([k, list]) => [k, list.map((p) => new RegExp(p))])) as Record<Subject, RegExp[]>;
const errorRules = rules.errorText.map((r) => ({ ...r, re: new RegExp(r.match) }));
const eventRules = rules.events.map((r) => ({ ...r, reasonRe: new RegExp(`^(?:${r.reason})$`), messageRe: r.message === undefined ? undefined : new RegExp(r.message) }));
const statusRules = rules.status.map((r) => ({ ...r, re: new RegExp(r.match) }));

/** What one record shows: the failure, what it is about, and the words for people. */
export interface RecordIncident {
  kind: IncidentKind;
  /** The container, image or volume it concerns, when the text names it. */
  subject?: string;
  /** A probe failure: which probe (Liveness, Readiness, Startup). */
  probe?: string;
  detail: string;
}

/** Details are for reading; a 10 KB err is cut. */
const DETAIL_MAX = 400;

const str = (v: KvValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function subjectIn(text: string, kind: Subject | undefined): string | undefined {
  if (!kind) return undefined;
  for (const re of subjectRes[kind]) {
    const m = re.exec(text);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

function detailOf(r: Pick<LogRecord, 'msg' | 'kv'>): string {
  const err = str(r.kv.err);
  // a printf-era message has its error formatted in already (the parser also gives it as err)
  const d = err && !r.msg.includes(err) ? `${r.msg}: ${err}` : r.msg;
  return d.length > DETAIL_MAX ? `${d.slice(0, DETAIL_MAX - 1)}…` : d;
}

/** Text of a status patch or update, for the status rules (a JSON string, an object, or a Go struct). */
function statusText(r: Pick<LogRecord, 'kv'>): string | undefined {
  const v = r.kv.patch ?? r.kv.status;
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function recordIncident(r: Pick<LogRecord, 'msg' | 'kv'>, entry: CatalogueEntry | undefined): RecordIncident | undefined {
  const kind = entry?.incident;
  if (!kind) {
    if (entry?.lane !== 'status') return undefined;
    const text = statusText(r);
    if (text === undefined) return undefined;
    for (const rule of statusRules) {
      const m = rule.re.exec(text);
      if (m) return withSubject({ kind: rule.kind, detail: `${r.msg}: ${m[1] ?? m[0]}`.slice(0, DETAIL_MAX) }, text, rule.subject);
    }
    return undefined;
  }
  switch (kind) {
    case 'sync-error': {
      const text = `${str(r.kv.err) ?? ''} ${r.msg}`;
      for (const rule of errorRules) if (rule.re.test(text)) return withSubject({ kind: rule.kind, detail: detailOf(r) }, text, rule.subject);
      return { kind: 'sync-error', detail: detailOf(r) };
    }
    case 'event': {
      // client-go `Event occurred`: only warnings are failures; Normal events (Pulled, Killing) are not
      const reason = str(r.kv.reason);
      if (!reason || str(r.kv.type) !== 'Warning') return undefined;
      const message = str(r.kv.message) ?? '';
      for (const rule of eventRules) {
        if (!rule.reasonRe.test(reason) || (rule.messageRe && !rule.messageRe.test(message))) continue;
        const subject = rule.subject === 'container' ? subjectIn(str(r.kv.fieldPath) ?? '', 'container') : subjectIn(message, rule.subject);
        const out: RecordIncident = { kind: rule.kind, detail: `${reason}: ${message}`.slice(0, DETAIL_MAX) };
        if (subject) out.subject = subject;
        return out;
      }
      return undefined;
    }
    case 'volume-operation': {
      const text = r.msg;
      const k = /Unmount|TearDown|Detach/.test(text) ? 'unmount-failed' : /Mount|Attach|SetUp|MapVolume/.test(text) ? 'mount-failed' : undefined;
      return k ? withSubject({ kind: k, detail: detailOf(r) }, text, 'volume') : undefined;
    }
    case 'probe-failed': {
      // the subject is the container, so that the `Probe failed` line and its `Unhealthy` event group
      const probe = str(r.kv.probeType);
      const out: RecordIncident = { kind: 'probe-failed', detail: probe ? `${probe} ${detailOf(r)}` : detailOf(r) };
      const c = str(r.kv.containerName) ?? subjectIn(r.msg, 'container');
      if (c) out.subject = c;
      const kind = probe ?? /^(Liveness|Readiness|Startup)/i.exec(str(r.kv.message) ?? r.msg)?.[1];
      if (kind) out.probe = kind[0]!.toUpperCase() + kind.slice(1).toLowerCase();
      return out;
    }
    default: {
      const out: RecordIncident = { kind, detail: detailOf(r) };
      const c = str(r.kv.containerName);
      if (c) out.subject = c;
      return out;
    }
  }
}

function withSubject(inc: RecordIncident, text: string, subject: Subject | undefined): RecordIncident {
  const s = subjectIn(text, subject);
  // `unmounted volumes=[movies tv]` names two volumes
  if (s) inc.subject = s.trim().split(/\s+/).join(', ');
  return inc;
}
