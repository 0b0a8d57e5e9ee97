// Incidents of the node rather than of a pod: a kubelet that crashed or exited on an error, one
// that restarted, and the node not ready (NotReady, PLEG not healthy, no CNI network, runtime
// down, eviction pressure). One per process end or condition span, with the lines that show it.
import { severityOf, type IncidentKind } from './incident-rules.js';
import type { Incident } from './incidents.js';
import { EVIDENCE_MAX } from './incidents.js';
import type { KubeletProcess, LifePoint, NodeEvent } from './kubelet-life-types.js';
import type { DescribedProcess } from './process.js';
import type { Point } from './phases.js';

/** Node conditions that keep pods from running; `ready`, `starting` and a single eviction are none. */
const NOT_READY = new Set<NodeEvent['kind']>(['not-ready', 'pleg-unhealthy', 'network-not-ready', 'runtime-not-ready', 'eviction-pressure', 'node-shutdown']);

/** A record of the log (systemd's own lines are no record: they give words, not a point). */
const isRecord = (p: LifePoint): boolean => p.index >= 0 && p.foreign === undefined;

const pointOf = (p: LifePoint): Point => (p.timeUs === undefined ? { index: p.index, line: p.line } : { index: p.index, line: p.line, timeUs: p.timeUs });

function incident(kind: IncidentKind, at: LifePoint, evidence: LifePoint[], lines: number, detail: string, subject?: string): Incident {
  const points = evidence.filter(isRecord).map(pointOf);
  const first = isRecord(at) ? pointOf(at) : (points[0] ?? pointOf(at));
  const out: Incident = { kind, severity: severityOf(kind), at: first, evidence: points.length ? points.slice(0, EVIDENCE_MAX) : [first], lines, detail };
  if (subject !== undefined) out.subject = subject;
  return out;
}

const seconds = (us: number): string =>
  us < 120e6 ? `${(us / 1e6).toFixed(1)} s` : us < 7200e6 ? `${(us / 60e6).toFixed(1)} min` : us < 172800e6 ? `${(us / 3600e6).toFixed(1)} h` : `${(us / 86400e6).toFixed(1)} days`;

/** Beyond this silence between two processes the log has a hole: what happened in it is not in the log. */
const LOG_GAP_US = 10 * 60e6;

/** Every node incident of a log, in log order: its processes (with their successors) and conditions. */
export function nodeIncidents(processes: Iterable<DescribedProcess>, events: readonly NodeEvent[]): Incident[] {
  const out: Incident[] = [];
  for (const d of processes) {
    const inc = processIncident(d.process, d.next);
    if (inc) out.push(inc);
  }
  for (const e of events) {
    const inc = conditionIncident(e);
    if (inc) out.push(inc);
  }
  return out.sort((a, b) => a.at.index - b.at.index);
}

/** How a kubelet process ended, when that is an incident: `next`, its successor on its node in time. */
export function processIncident(p: KubeletProcess, next: KubeletProcess | undefined): Incident | undefined {
  const pid = p.pid === undefined ? 'the kubelet' : `kubelet ${p.pid}`;
  if (p.end.kind === 'crash' || p.end.kind === 'exit') {
    const how = p.end.kind === 'crash' ? 'crashed' : 'exited on an error';
    const after = next ? `; ${next.pid === undefined ? 'a new process' : `kubelet ${next.pid}`} started ${gap(p, next)}` : '; the log ends';
    const what = p.end.message ?? p.end.signal;
    const text = what ? `: ${what}` : '';
    return incident('kubelet-crash', p.end.at, p.end.evidence.length ? p.end.evidence : [p.end.at], Math.max(1, p.end.evidence.length), `${pid} ${how}${text}${after}`, p.host || undefined);
  }
  if (!next || (p.end.kind !== 'restart' && p.end.kind !== 'stop')) return undefined;
  const start = next.start?.at ?? next.first;
  const successor = next.pid === undefined ? 'a new process' : `kubelet ${next.pid}`;
  const silence = silenceUs(p, next);
  // only versions the processes printed: an estimate from a few callers is no evidence of an upgrade
  const upgrade = p.version && next.version && p.version !== next.version ? `; its version changed (${p.version} → ${next.version})` : '';
  const detail =
    p.end.kind === 'stop'
      ? `${pid} was stopped and started again: ${successor} ${gap(p, next)}`
      : silence !== undefined && silence > LOG_GAP_US
        ? // a hole in the log, not a silent restart: its stop and the next start may be in what is missing
          `${pid}'s last line, then no line of this node for ${seconds(silence)}, then ${successor}: the log does not show how one ended or the other began`
        : `${pid} restarted without a word: ${successor} ${gap(p, next)}`;
  return incident('kubelet-restart', start, [start], 1, detail + upgrade, p.host || undefined);
}

/** A node condition that keeps pods from running, as an incident. */
export function conditionIncident(e: NodeEvent): Incident | undefined {
  if (!NOT_READY.has(e.kind)) return undefined;
  const span = e.first.timeUs !== undefined && e.last.timeUs !== undefined && e.count > 1 ? ` for ${seconds(e.last.timeUs - e.first.timeUs)}` : '';
  return incident('node-not-ready', e.first, e.count > 1 ? [e.first, e.last] : [e.first], e.count, `${e.kind}${span} (${e.count} line${e.count === 1 ? '' : 's'}): ${e.detail}`, e.host || undefined);
}

/** µs between the old process's last line and the next one's first, when both have times. */
function silenceUs(p: KubeletProcess, next: KubeletProcess): number | undefined {
  const a = p.last.timeUs;
  const b = (next.start?.at ?? next.first).timeUs;
  return a !== undefined && b !== undefined && b >= a ? b - a : undefined;
}

/** How long after the old process's last line the next one began. */
function gap(p: KubeletProcess, next: KubeletProcess): string {
  const s = silenceUs(p, next);
  return s !== undefined ? `${seconds(s)} later` : 'after it';
}
