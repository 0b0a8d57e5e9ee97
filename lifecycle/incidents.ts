// Incidents: one per underlying failure, with every line that shows it. A kill failure and the
// `Error syncing pod` it causes are one incident; a crash loop of a hundred back-offs is one; a
// terminating phase longer than its grace period is one. Pure: a pod's events and phases in,
// its incidents out, ranked by severity where a list needs it (schemas/incident-rules.json).
import { severityOf, type IncidentKind, type IncidentSeverity } from './incident-rules.js';
import { point, type Phase, type PhaseResult, type PodEvent, type Point } from './phases.js';
import { windowOf, type PodEvents } from './pod-events.js';

export type { IncidentKind, IncidentSeverity } from './incident-rules.js';

export interface Incident {
  kind: IncidentKind;
  severity: IncidentSeverity;
  /** The first line that shows it. */
  at: Point;
  /** The lines that show it, in log order: the first EVIDENCE_MAX of them. */
  evidence: Point[];
  /** How many lines show it (a crash loop can log thousands). */
  lines: number;
  /** The container, image, volume or reason it is about, when the log names it. */
  subject?: string;
  detail: string;
}

/** Evidence kept per incident: enough to read, bounded for a crash loop that lasts a week. */
export const EVIDENCE_MAX = 50;
/** Grace periods are seconds; the kubelet needs a moment beyond them to notice and log. */
export const GRACE_SLACK_US = 2_000_000;
/** A terminating phase still open this long past its grace period is stuck, not slow. */
export const STUCK_AFTER_GRACE_US = 30_000_000;
/** Probe failures before a probe counts as failing: the kubelet's default failureThreshold. */
export const PROBE_FAILURE_THRESHOLD = 3;
/**
 * Liveness and startup failures that a later kill can still count as its cause (a restart after
 * failureThreshold failures in a row: 3 by default). More are waiting only where the log shows no
 * kill: at -v=1 the kubelet logs `Probe failed` but not `Killing container with a grace period`
 * (V2), and a pod failing its liveness probe for weeks would hold every failure.
 */
export const PENDING_PROBES_MAX = 1000;
/** The kubelet's default `terminationGracePeriodSeconds`, used when no kill line states one. */
export const DEFAULT_GRACE_S = 30;

function phaseIndexOf(phases: readonly Phase[], index: number): number {
  let found = -1;
  for (let i = 0; i < phases.length; i++) if (phases[i]!.start.index <= index) found = i;
  return found;
}

class Grouper {
  private readonly byKey = new Map<string, Incident>();
  readonly list: Incident[] = [];

  /** `measured`: the detail comes from the phases (durations), and says more than a line's text. */
  add(kind: IncidentKind, key: string, at: Point, detail: string, subject?: string, measured = false): Incident {
    let inc = this.byKey.get(key);
    if (!inc) {
      inc = { kind, severity: severityOf(kind), at, evidence: [], lines: 0, detail };
      this.byKey.set(key, inc);
      this.list.push(inc);
    } else if (measured) inc.detail = detail;
    if (subject !== undefined) inc.subject = withSubject(inc.subject, subject);
    if (inc.evidence.length < EVIDENCE_MAX) inc.evidence.push(at);
    inc.lines++;
    if (at.index < inc.at.index) inc.at = at;
    return inc;
  }

  done(): Incident[] {
    for (const inc of this.list) inc.evidence.sort((a, b) => a.index - b.index);
    return this.list.sort((a, b) => a.at.index - b.at.index);
  }
}

/** Subjects an incident lists before it says "…": a pod has few containers and volumes. */
const SUBJECTS_MAX = 4;

/** The subjects an incident is about, distinct, in the order the log names them. */
function withSubject(list: string | undefined, subject: string): string {
  const names = list === undefined ? [] : list.split(', ');
  for (const name of subject.split(', ')) {
    if (names.includes(name) || names.at(-1) === '…') continue;
    names.push(names.length >= SUBJECTS_MAX ? '…' : name);
  }
  return names.join(', ');
}

/**
 * Incident kinds whose lines of one phase are one failure, whatever container, volume or text they
 * name: a pod whose volumes do not mount waits on all of them, and its `Error syncing pod …
 * unmounted volumes=[…]` lines are that same wait.
 */
const ONE_PER_PHASE = new Set<IncidentKind>(['kill-failed', 'admission-rejected', 'evicted', 'grace-exceeded', 'sandbox-failed', 'mount-failed', 'unmount-failed']);

export function podIncidents(events: PodEvents, result: PhaseResult): Incident[] {
  const { phases } = result;
  const g = new Grouper();
  // liveness and startup probe failures wait for what follows them: a kill while running makes
  // them a restart. A readiness probe failure waits only behind one of those (the incidents get
  // their lines in log order); else it counts at once, so a pod that is never ready (a failure
  // every 10 s for weeks) holds none of them.
  let probes: PodEvent[] = [];
  /** Probe failures of each probe-failed incident: its `Probe failed` lines (the `Unhealthy` events echo them). */
  const failures = new Map<Incident, number>();
  const failed = (p: PodEvent): void => {
    const inc = g.add('probe-failed', `probe-failed|${p.incident!.subject ?? ''}|${phaseIndexOf(phases, p.index)}`, point(p), p.incident!.detail, p.incident!.subject);
    if (p.entry?.id !== 'event-occurred') failures.set(inc, (failures.get(inc) ?? 0) + 1);
  };
  const flushProbes = (): void => {
    for (const p of probes) failed(p);
    probes = [];
  };
  /** The oldest waiting failures count as failures alone (and any readiness failures behind them). */
  const flushOldest = (n: number): void => {
    let k = n;
    while (k < probes.length && probes[k]!.incident!.probe === 'Readiness') k++;
    for (const p of probes.splice(0, k)) failed(p);
  };
  const finish = (): Incident[] => {
    flushProbes();
    teardownIncidents(g, phases, events);
    // a probe that failed fewer times than the kubelet's default failureThreshold changed nothing
    // (a readiness probe before the app listens): no incident
    return g.done().filter((i) => i.kind !== 'probe-failed' || (failures.get(i) ?? 0) >= PROBE_FAILURE_THRESHOLD);
  };
  for (const e of events) {
    const inc = e.incident;
    if (inc?.kind === 'probe-failed') {
      probes.push(e);
      if (inc.probe === 'Readiness' && probes.length === 1) flushProbes();
      else if (probes.length > 2 * PENDING_PROBES_MAX) flushOldest(probes.length - PENDING_PROBES_MAX);
      continue;
    }
    // liveness and startup probes restart a container; a readiness probe only takes it out of service
    if (e.kill && probes.some((p) => p.incident!.probe !== 'Readiness') && inSync(phases, e.index)) {
      const restarting = probes.filter((p) => p.incident!.probe !== 'Readiness');
      probes = probes.filter((p) => p.incident!.probe === 'Readiness');
      flushProbes();
      const c = e.kill.container;
      const key = `probe-restart|${e.index}`;
      const failed = restarting.filter((p) => p.entry?.id !== 'event-occurred').length;
      for (const p of restarting) g.add('probe-restart', key, point(p), `${failed} ${restarting[0]!.incident!.probe?.toLowerCase() ?? ''} probe failure(s), then ${c ? `container ${c}` : 'a container'} killed for restart`.replace('  ', ' '), c);
      g.add('probe-restart', key, point(e), '', c);
      continue;
    }
    if (!inc) continue;
    const ph = phaseIndexOf(phases, e.index);
    const key = ONE_PER_PHASE.has(inc.kind) ? `${inc.kind}|${ph}` : `${inc.kind}|${inc.subject ?? ''}|${ph}`;
    g.add(inc.kind, key, point(e), inc.detail, inc.subject);
  }
  return finish();
}

function inSync(phases: readonly Phase[], index: number): boolean {
  const i = phaseIndexOf(phases, index);
  // no phase yet: the pod was running before the log said so
  return i < 0 || (phases[i]!.phase === 'sync' && (phases[i]!.open || phases[i]!.end.index > index));
}

const seconds = (us: number): string => `${(us / 1e6).toFixed(1)} s`;

/** SIGKILL's exit code: a container that did not stop within its grace period (or an OOM kill, in sync). */
const SIGKILLED = 137;
/** A container stopped this close to the end of its grace period was stopped by it. */
const KILL_SLACK_US = 500_000;

/** What the terminating phases show by their length and number, and by how their containers stopped. */
function teardownIncidents(g: Grouper, phases: readonly Phase[], events: PodEvents): void {
  const names = new Map<string, string>();
  for (const e of events) if (e.kill?.id && e.kill.container) names.set(e.kill.id, e.kill.container);
  phases.forEach((ph, i) => {
    if (ph.phase !== 'terminating') return;
    // a container of this teardown that ignored SIGTERM for its whole grace period: it stopped only
    // when the grace period ran out (the runtime's SIGKILL: exit 137, or its death that late)
    const until = phases.slice(i + 1).find((p) => p.phase !== 'terminated')?.start.index ?? Infinity;
    const killed = new Map<string, PodEvent>();
    for (const e of windowOf(events, ph.start.index, until)) {
      if (e.kill?.id && !killed.has(e.kill.id)) killed.set(e.kill.id, e);
      const id = e.stopped?.id ?? (e.pleg?.type === 'ContainerDied' ? e.pleg.data : undefined);
      if (id === undefined) continue;
      const kill = killed.get(id);
      const grace = kill?.grace ?? ph.gracePeriodS;
      if (grace === 0) continue;
      const late = kill && grace !== undefined && kill.timeUs !== undefined && e.timeUs !== undefined && e.timeUs - kill.timeUs >= grace * 1e6 - KILL_SLACK_US;
      if (e.stopped?.exitCode !== SIGKILLED && !late) continue;
      killed.delete(id);
      const c = names.get(id) ?? id.slice(0, 12);
      const how = e.stopped?.exitCode === SIGKILLED ? `killed (exit ${SIGKILLED})` : `stopped ${seconds(e.timeUs! - kill!.timeUs!)} after the kill`;
      g.add('grace-exceeded', `grace-exceeded|${i}`, point(e), `${c} did not stop within ${grace === undefined ? 'its grace period' : `its ${grace} s grace period`}: ${how}`, c);
    }
    const s = ph.start.timeUs;
    const e = ph.end.timeUs;
    if (s === undefined || e === undefined) return;
    const d = e - s;
    const grace = ph.gracePeriodS;
    const graceUs = (grace ?? DEFAULT_GRACE_S) * 1e6;
    const graceText = grace === undefined ? `no grace period in the log (default ${DEFAULT_GRACE_S} s)` : `grace period ${grace} s`;
    if (ph.open) {
      if (d > graceUs + STUCK_AFTER_GRACE_US) {
        const until = ph.endBy.evidence === 'log-end' ? 'when the log ends' : `when the kubelet ${ph.endBy.evidence === 'kubelet-crash' ? 'crashed' : ph.endBy.evidence === 'kubelet-stop' ? 'stopped' : 'restarted'}`;
        g.add('stuck-terminating', `stuck-terminating|${i}`, ph.start, `still terminating ${until}, after ≥ ${seconds(d)}; ${graceText}`, undefined, true);
      }
    } else if (grace !== undefined && d > graceUs + GRACE_SLACK_US) {
      g.add('grace-exceeded', `grace-exceeded|${i}`, ph.start, `terminating took ${seconds(d)}, ${graceText} (${seconds(d - graceUs)} over)`, undefined, true);
    }
  });
  const teardowns = phases.filter((p) => p.phase === 'terminating');
  if (teardowns.length > 1) {
    // it happens at the second teardown: the first one was an ordinary teardown when it began
    const inc = g.add('torn-down-twice', 'torn-down-twice', teardowns[1]!.start, `${teardowns.length} terminating phases for one UID`);
    for (const t of [teardowns[0]!, ...teardowns.slice(2)]) g.add('torn-down-twice', 'torn-down-twice', t.start, '');
    inc.at = teardowns[1]!.start;
  }
}
