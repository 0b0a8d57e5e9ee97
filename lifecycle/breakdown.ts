// A pod's startup and teardown, step by step, from the lines that mark each step
// (schemas/lifecycle-steps.json, lifecycle/steps.ts): why a pod took 40 s to start, or why it is
// still Terminating. Pure: a pod's events and phases in, one breakdown per incarnation out.
//
// Startup (one per sync phase): admitted → volumes → sandbox → per container in the kubelet's
// order (its image, then the init container's run or the container's create and start) → ready.
// Teardown (one per terminating phase): the kill decision → each container stopped (in parallel)
// → network → volumes → sandbox → cgroup → status → removed.
//
// Each step's edges are `exact` (a line marks that edge) or `inferred`: a start from the end of the
// step before it (the kubelet does them in order: a container is created right after its image is
// there), an end from the first line of the step after it, or, when nothing follows, `open`: the
// step's last line, a lower bound. A step no line shows is absent, never made up; `hidden` names
// the steps the log's kubelet (version, -v) cannot show at all (lifecycle/kubelet-levels.ts).
//
// The critical path: from the last step back, each step's predecessor is the step that ended last
// before it started; the steps on that chain set the total.
import type { LogProfile, Phase, PodEvent, Point } from './phases.js';
import { point } from './phases.js';
import { stepRules } from './steps.js';
import { beganBeforeLog } from './open-end.js';
import { eventOf, windowOf, type PodEvents } from './pod-events.js';

export type StartupStepName = 'admitted' | 'volumes' | 'sandbox' | 'image' | 'init' | 'container' | 'ready';
export type TeardownStepName = 'kill' | 'stop' | 'network' | 'volumes' | 'sandbox' | 'cgroup' | 'status' | 'removed';
export type StepName = StartupStepName | TeardownStepName;
export type EdgeEvidence = 'exact' | 'inferred';

export interface Step<P = Point> {
  step: StepName;
  /** The container (or image's container) it is about. */
  subject?: string;
  /** About an init container. */
  init?: true;
  start: P;
  end: P;
  startBy: EdgeEvidence;
  /** `open`: no line shows the end and no later step bounds it; the end is the step's last line. */
  endBy: EdgeEvidence | 'open';
  /** The lines that show the step (the first MAX_LINES). */
  lines: P[];
  lineCount: number;
  /** On the chain of steps that sets the total. */
  critical: boolean;
  /** An image already present on the node (no pull). */
  present?: true;
  /** The image pull's own duration as its `Pulled` line states it (µs). */
  pullUs?: number;
  /** A container stopped: the grace period given (s), its exit code, whether SIGKILL was needed. */
  gracePeriodS?: number;
  exitCode?: number;
  sigkill?: boolean;
}

export interface Breakdown<P = Point> {
  part: 'startup' | 'teardown';
  /** Which startup (or teardown) of the pod UID, from 0. */
  seq: number;
  start: P;
  end: P;
  /** The last step had not ended when the log (or the phase) did: the total is a lower bound. */
  open: boolean;
  /**
   * The log begins inside its phase (the admission, or the kill, is before the log's first line):
   * the first step shown is not the first step, and the total is a lower bound.
   */
  beganBefore?: true;
  steps: Step<P>[];
  /** Steps this log's kubelet (its version and -v) cannot show: absent, not guessed. */
  hidden: StepName[];
  /** The kubelet's own `Observed pod startup duration`, in seconds. */
  slo?: { at: P; sloS?: number; e2eS?: number };
}

/**
 * A breakdown's length, its first step's start to its last step's end: null without times, or when
 * every step is a moment (a -v=2 log shows a pod's admission but no step with a length).
 */
export function lengthUs(b: Breakdown<{ timeUs?: number }>): number | null {
  if (b.start.timeUs === undefined || b.end.timeUs === undefined) return null;
  if (b.steps.every((s) => s.start.timeUs === s.end.timeUs)) return null;
  return b.end.timeUs - b.start.timeUs;
}

/** The same breakdown with its points given another form (record ids to store, view points to show). */
export function mapPoints<P, Q>(b: Breakdown<P>, f: (p: P) => Q): Breakdown<Q> {
  const { slo, ...rest } = b;
  const out: Breakdown<Q> = { ...rest, start: f(b.start), end: f(b.end), steps: b.steps.map((s) => ({ ...s, start: f(s.start), end: f(s.end), lines: s.lines.map(f) })) };
  if (slo) out.slo = { ...slo, at: f(slo.at) };
  return out;
}

export interface PodBreakdown {
  startup: Breakdown[];
  teardown: Breakdown[];
}

export const MAX_LINES = 20;

/** The kubelet's order of the steps: a step of a higher rank begins only after the lower ones. */
const STARTUP_RANK: Record<StartupStepName, number> = { admitted: 0, volumes: 1, sandbox: 2, image: 3, init: 3, container: 3, ready: 4 };
const TEARDOWN_RANK: Record<TeardownStepName, number> = { kill: 0, stop: 1, network: 2, volumes: 3, sandbox: 4, cgroup: 5, status: 6, removed: 7 };
const RANK = { startup: STARTUP_RANK as Partial<Record<StepName, number>>, teardown: TEARDOWN_RANK as Partial<Record<StepName, number>> };
const SIGKILL_EXIT = 137;

/** A step as its lines come in. */
interface Group {
  step: StepName;
  subject?: string;
  init?: true;
  rank: number;
  first: PodEvent;
  startMark?: PodEvent;
  endMark?: PodEvent;
  point: boolean;
  lines: PodEvent[];
  done: boolean;
  present?: true;
  pullUs?: number;
  grace?: number;
  exitCode?: number;
  /** A container stop: the container's ID, to join `Generic (PLEG): container finished`. */
  id?: string;
  /** The end line comes after the end (PLEG's relist sees a stopped container up to a second late). */
  lateEnd?: true;
}

export function podBreakdown(events: PodEvents, phases: readonly Phase[], profile?: LogProfile): PodBreakdown {
  const out: PodBreakdown = { startup: [], teardown: [] };
  for (let i = 0; i < phases.length; i++) {
    const ph = phases[i]!;
    if (ph.phase === 'sync') {
      // the admission comes before the sync phase: from the end of the phase before it
      const from = i > 0 ? phases[i - 1]!.end.index + 1 : -Infinity;
      const b = startupOf(windowOf(events, from, ph.end.index + 1), out.startup.length, profile);
      if (b) out.startup.push(withLogStart(b, ph));
    } else if (ph.phase === 'terminating') {
      const next = phases.slice(i + 1).find((p) => p.phase !== 'terminated');
      const b = teardownOf(windowOf(events, ph.start.index, next ? next.start.index : Infinity), ph, out.teardown.length, profile);
      if (b) out.teardown.push(withLogStart(b, ph));
    }
  }
  return out;
}

/** A breakdown of a phase the log begins inside is as partial as that phase. */
function withLogStart(b: Breakdown, ph: Phase): Breakdown {
  if (beganBeforeLog(ph)) b.beganBefore = true;
  return b;
}

function startupOf(events: PodEvents, seq: number, profile: LogProfile | undefined): Breakdown | undefined {
  const groups = new Groups();
  let slo: Breakdown['slo'];
  let over = false;
  for (const e of events) {
    const m = e.step;
    if (m?.part === 'startup' && m.step === 'slo') {
      slo ??= { at: point(e), ...m.slo };
      continue;
    }
    // after the pod is ready, or a container's restart, further starts are no part of this startup
    if (over) continue;
    if (e.signal === 'kill' && groups.size > 0) {
      over = true;
      continue;
    }
    if (e.signal === 'admit' && !groups.has('admitted')) {
      groups.add(e, 'admitted', 'point', undefined, STARTUP_RANK.admitted);
      continue;
    }
    if (m?.part !== 'startup') continue;
    const step = m.step as StartupStepName;
    const g = groups.add(e, step, m.edge, m.subject, STARTUP_RANK[step], true);
    if (!g) continue;
    if (m.init) g.init = true;
    if (m.present) g.present = true;
    if (m.pullUs !== undefined) g.pullUs = m.pullUs;
    // an image already there, or one whose Pulled line says how long it took, is done at that line
    if (step === 'image' && m.edge === 'end' && !g.startMark && m.present) g.point = true;
    if (step === 'ready') over = true;
  }
  if (groups.size === 0) return slo ? { part: 'startup', seq, start: slo.at, end: slo.at, open: false, steps: [], hidden: hiddenSteps('startup', events, profile), slo } : undefined;
  const hidden = hiddenSteps('startup', events, profile);
  const steps = resolve(groups.ordered(), hidden.map((h) => RANK.startup[h]!));
  if (steps.length === 0) return undefined;
  clampEnds(steps, (s) => RANK.startup[s.step]!);
  const b = assemble('startup', seq, steps, hidden);
  if (slo) b.slo = slo;
  return b;
}

function teardownOf(events: PodEvents, ph: Phase, seq: number, profile: LogProfile | undefined): Breakdown | undefined {
  const groups = new Groups();
  if (ph.startBy.evidence === 'exact' || ph.startBy.evidence === 'inferred') {
    const kill = eventOf(events, ph.start.index);
    if (kill) groups.add(kill, 'kill', 'point', undefined, TEARDOWN_RANK.kill);
  }
  for (const e of events) {
    const m = e.step;
    if (m?.part !== 'teardown') continue;
    const step = m.step as TeardownStepName;
    if (step === 'stop' && m.edge === 'end' && m.subject === undefined) {
      // `Generic (PLEG): container finished` names the container by its ID only
      const g = e.stopped?.id ? groups.stopById(e.stopped.id) : undefined;
      if (g && !g.done) endStop(g, e);
      continue;
    }
    const g = groups.add(e, step, m.edge, m.subject, TEARDOWN_RANK[step]);
    if (!g || step !== 'stop') continue;
    if (e.grace !== undefined) g.grace ??= e.grace;
    if (e.kill?.id) g.id ??= e.kill.id;
    if (m.edge === 'end') endStop(g, e);
  }
  if (groups.size === 0) return undefined;
  // the terminating phase ends when every container has stopped: a stop no line ends ended by then
  const phaseEnd = ph.open ? undefined : eventOf(events, ph.end.index);
  if (phaseEnd) {
    for (const g of groups.ordered()) {
      if (g.step !== 'stop' || g.done || phaseEnd.index < g.first.index) continue;
      g.endMark = phaseEnd;
      g.lateEnd = true;
      g.done = true;
    }
  }
  const hidden = hiddenSteps('teardown', events, profile);
  const steps = resolve(groups.ordered(), hidden.map((h) => RANK.teardown[h]!));
  if (steps.length === 0) return undefined;
  clampEnds(steps, (s) => RANK.teardown[s.step]!);
  for (const s of steps) if (s.step === 'stop') sigkillOf(s);
  return assemble('teardown', seq, steps, hidden);
}

function endStop(g: Group, e: PodEvent): void {
  if (e.stopped?.exitCode !== undefined) g.exitCode = e.stopped.exitCode;
  if (!g.done) {
    g.endMark = e;
    g.done = true;
    if (e.entry?.id === 'pleg-container-finished') g.lateEnd = true;
    if (!g.lines.some((l) => l.index === e.index)) g.lines.push(e);
  }
}

/** SIGKILL was needed: the container exited 137, or its stop took the whole grace period. */
function sigkillOf(s: Step): void {
  if (s.exitCode === SIGKILL_EXIT) s.sigkill = true;
  else if (s.exitCode !== undefined) s.sigkill = false;
  else if (s.gracePeriodS !== undefined && s.endBy !== 'open' && s.start.timeUs !== undefined && s.end.timeUs !== undefined) {
    s.sigkill = s.end.timeUs - s.start.timeUs >= s.gracePeriodS * 1e6;
  }
}

class Groups {
  private readonly byKey = new Map<string, Group>();
  private readonly list: Group[] = [];

  get size(): number {
    return this.list.length;
  }

  has(step: StepName): boolean {
    return this.list.some((g) => g.step === step);
  }

  stopById(id: string): Group | undefined {
    return this.list.find((g) => g.step === 'stop' && g.id !== undefined && (g.id.startsWith(id) || id.startsWith(g.id)));
  }

  /**
   * Adds a line to its step; returns the step, or undefined when the step was already over (its
   * first run is the one that counts: a later `Waiting for volumes` is a resync). `ordered`: a
   * line of an earlier step drops later steps that have not ended (the kubelet checks for a sandbox
   * while it generates the pod's status, before it waits for volumes: that check is no start).
   */
  add(e: PodEvent, step: StepName, edge: 'start' | 'end' | 'point' | 'progress', subject: string | undefined, rank: number, ordered = false): Group | undefined {
    const key = `${step}\u0000${subject ?? ''}`;
    let g = this.byKey.get(key);
    if (g?.done) return undefined;
    if (ordered) {
      const later = this.list.filter((o) => o.rank > rank);
      // the kubelet is past this step: a late line of it (a remount on resync) is no part of it
      if (later.some((o) => o.done || o.lines.length > 1)) return undefined;
      for (const o of later) this.drop(o);
    }
    if (!g) {
      g = { step, rank, first: e, point: false, lines: [], done: false };
      if (subject !== undefined) g.subject = subject;
      this.byKey.set(key, g);
      this.list.push(g);
    }
    g.lines.push(e);
    if (edge === 'start') g.startMark ??= e;
    else if (edge === 'end') {
      g.endMark = e;
      g.done = true;
    } else if (edge === 'point') {
      g.startMark = e;
      g.endMark = e;
      g.point = true;
      g.done = true;
    }
    return g;
  }

  private drop(g: Group): void {
    this.byKey.delete(`${g.step}\u0000${g.subject ?? ''}`);
    this.list.splice(this.list.indexOf(g), 1);
  }

  /** In the kubelet's order: by rank, then by first line (containers in the order they started). */
  ordered(): Group[] {
    return [...this.list].sort((a, b) => a.rank - b.rank || a.first.index - b.first.index);
  }
}

/** Each step's edges, the missing ones inferred from its neighbours in the kubelet's order. */
function resolve(groups: Group[], hiddenRanks: readonly number[]): Step[] {
  const steps: Step[] = [];
  const ranks: number[] = [];
  // no step the log cannot show lies between: the one may bound the other
  const adjacent = (a: number, b: number) => !hiddenRanks.some((r) => r > a && r < b);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const prev = steps.length > 0 && adjacent(ranks[ranks.length - 1]!, g.rank) ? steps[steps.length - 1] : undefined;
    const prevGroup = i > 0 ? groups[i - 1] : undefined;
    const last = g.lines[g.lines.length - 1] ?? g.first;
    let start: Point;
    let startBy: EdgeEvidence;
    if (g.step === 'ready' && prev) {
      // ready: from the last container started to the readiness probe's success
      start = prev.end;
      startBy = 'inferred';
    } else if (g.startMark) {
      start = point(g.startMark);
      startBy = 'exact';
    } else if (prev && prevGroup && g.rank > 0 && prev.end.index <= g.first.index && parallelStart(g, prevGroup, steps) !== undefined) {
      start = parallelStart(g, prevGroup, steps)!;
      startBy = 'inferred';
    } else {
      start = point(g.first);
      startBy = 'inferred';
    }
    let end: Point;
    let endBy: Step['endBy'];
    if (g.endMark) {
      end = point(g.endMark);
      endBy = g.lateEnd ? 'inferred' : 'exact';
    } else {
      const next = groups.slice(i + 1).find((n) => n.rank > g.rank || n.step !== g.step);
      if (next && next.first.index >= last.index && adjacent(g.rank, next.rank)) {
        end = point(next.first);
        endBy = 'inferred';
      } else {
        // its last line: the step went on at least that long (one line: it began, and its end is
        // not in this log; dropping it would make the part look complete where it ended before)
        end = point(last);
        endBy = 'open';
      }
    }
    const s: Step = { step: g.step, start, end, startBy, endBy, lines: g.lines.slice(0, MAX_LINES).map(point), lineCount: g.lines.length, critical: false };
    if (g.subject !== undefined) s.subject = g.subject;
    if (g.init) s.init = true;
    if (g.present) s.present = true;
    if (g.pullUs !== undefined) s.pullUs = g.pullUs;
    if (g.grace !== undefined) s.gracePeriodS = g.grace;
    if (g.exitCode !== undefined) s.exitCode = g.exitCode;
    // a step that only has points (admitted, an image already present) starts where it ends
    if (g.point && !g.startMark) s.start = s.end;
    if (g.step === 'ready' && prev) s.start = prev.end;
    if (g.step === 'image' && g.present && !g.startMark) {
      s.start = s.end;
      s.startBy = 'exact';
    }
    steps.push(s);
    ranks.push(g.rank);
  }
  return steps;
}

/**
 * Where a step without a start line began: when the step before it ended (the kubelet runs them in
 * order). Containers are stopped in parallel: each stop without its own line starts at the kill.
 */
function parallelStart(g: Group, prevGroup: Group, steps: readonly Step[]): Point | undefined {
  if (g.step === prevGroup.step && g.step === 'stop') {
    const kill = steps.find((s) => s.step === 'kill');
    return kill?.end;
  }
  return steps[steps.length - 1]?.end;
}

/**
 * An end known only as late (PLEG's relist) or as a lower bound is no later than the first exact
 * start of a step the kubelet begins only after it (the volumes unmount after every container stopped).
 */
function clampEnds(steps: Step[], rankOf: (s: Step) => number): void {
  for (const s of steps) {
    if (s.endBy === 'exact') continue;
    for (const n of steps) {
      if (rankOf(n) > rankOf(s) && n.startBy === 'exact' && before(n.start, s.end) && !before(n.start, s.start)) {
        s.end = n.start;
        s.endBy = 'inferred';
      }
    }
  }
}

function assemble(part: 'startup' | 'teardown', seq: number, steps: Step[], hidden: StepName[]): Breakdown {
  markCritical(steps);
  const start = steps.reduce((a, s) => (before(s.start, a) ? s.start : a), steps[0]!.start);
  // of steps ending at the same line, one whose end is a lower bound leaves the part open
  const lastStep = steps.reduce((a, s) => (before(a.end, s.end) || (same(a.end, s.end) && s.endBy === 'open') ? s : a), steps[0]!);
  // a startup the log shows no further than the admission has not been seen to end
  const unseen = part === 'startup' && steps.every((s) => s.step === 'admitted');
  return { part, seq, start, end: lastStep.end, open: lastStep.endBy === 'open' || unseen, steps, hidden };
}

/** Compared by time when both have one, else by position in the log. */
function key(p: Point, timed: boolean): number {
  return timed ? p.timeUs! : p.index;
}
const before = (a: Point, b: Point): boolean => (a.timeUs !== undefined && b.timeUs !== undefined ? a.timeUs < b.timeUs : a.index < b.index);
const same = (a: Point, b: Point): boolean => (a.timeUs !== undefined && b.timeUs !== undefined ? a.timeUs === b.timeUs : a.index === b.index);

/** From the step that ends last back to the first: each step's predecessor is the one that ended last before it started. */
function markCritical(steps: Step[]): void {
  const timed = steps.every((s) => s.start.timeUs !== undefined && s.end.timeUs !== undefined);
  let cur = -1;
  for (let i = 0; i < steps.length; i++) {
    if (cur < 0 || key(steps[i]!.end, timed) >= key(steps[cur]!.end, timed)) cur = i;
  }
  while (cur >= 0) {
    const c = steps[cur]!;
    c.critical = true;
    const at = key(c.start, timed);
    let pred = -1;
    for (let i = 0; i < cur; i++) {
      const e = key(steps[i]!.end, timed);
      if (e <= at && (pred < 0 || e >= key(steps[pred]!.end, timed))) pred = i;
    }
    cur = pred;
  }
}

/** The steps whose every marking message this log's kubelet cannot log (its version and -v). */
function hiddenSteps(part: 'startup' | 'teardown', events: PodEvents, profile: LogProfile | undefined): StepName[] {
  if (!profile || events.length === 0) return [];
  const epoch = events.at(0)!.epoch;
  const entries = new Map<string, Set<string>>();
  for (const { part: p, rule } of stepRules) {
    if (p !== part || rule.step === 'slo') continue;
    const set = entries.get(rule.step) ?? new Set<string>();
    set.add(rule.entry);
    entries.set(rule.step, set);
  }
  const out: StepName[] = [];
  for (const [step, ids] of entries) {
    if ([...ids].every((id) => profile.canLog(id, epoch) === false)) out.push(step as StepName);
  }
  return out;
}
