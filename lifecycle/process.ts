// Kubelet processes in a log: an epoch per record, and each process's start, version and end.
// A new process shows as (schemas/kubelet-life.json):
// - a new PID in the klog header or the transport (`kubelet[1234]`, journal `_PID`) of the same host;
// - start-up lines out of their order (a flag dump, `Kubelet version`, `Starting kubelet main sync
//   loop` again, or after the running process's other lines): the only sign in JSON logs behind a
//   bare prefix and in container logs, where a restarted kubelet can get the same PID;
// - systemd's lines about the kubelet unit (Started, Stopped, Main process exited) between records;
// - a record after a crash record or an exit line of the process before;
// (the last three only where the journal's PID does not show it is the same process)
// - in a log without PIDs, time going back (a newest-first log: forward) by more than seconds.
// Logs of several nodes can be replayed together: each host has its own processes.
import type { ForeignLine, LogRecord } from '../parser/types.js';
import { splitEnvelope } from '../parser/envelope/index.js';
import { kubeletLifeSettings, signalsOf, systemdSignal, type StartSignal, type SystemdSignal } from './kubelet-life-signals.js';
import { NodeLane } from './node-lane.js';
import { f64, u32, u8 } from './columns.js';
import { JsonRows, type Spills } from './rows.js';
import type { EndKind, KubeletLife, KubeletProcess, LifePoint, NodeEvent, ProcessEnd, StartEvidence, StartEvidenceKind } from './kubelet-life-types.js';

export interface EpochEnd {
  index: number;
  line: number;
  timeUs?: number;
}

/** Start-up stages up to this one are the very first lines of a process (flags, version). */
const EARLY_STAGE = 2;
/** Time steps smaller than this say nothing about a log's direction (racing goroutines). */
const JITTER_US = 1000;
/** Signals a process dies of when it is stopped, not crashed. */
const STOP_SIGNALS = new Set(['TERM', 'INT', 'HUP']);

interface EndNote {
  at: LifePoint;
  crash?: LogRecord;
  exit?: string;
  systemd?: SystemdSignal;
}

interface Proc {
  epoch: number;
  host: string;
  pid?: number;
  version?: string;
  records: number;
  first: LifePoint;
  last: LifePoint;
  start: StartEvidence[];
  /** Highest and lowest start-up stage its records showed (0: none yet). */
  maxStage: number;
  minStage: number;
  /** Start-up kinds logged once a process, seen (only while the process runs). */
  once?: Set<string>;
  lastFlag?: string;
  /** It logged something that is not a start-up line. */
  running: boolean;
  ends: EndNote[];
  /** A crash record or an exit line: nothing more of it can follow. */
  dead: boolean;
  /**
   * The last `Observed a panic` (apimachinery HandleCrash): the kubelet re-panics after logging it,
   * and the runtime's own crash output goes to stderr, not to a klog file: when the process ends
   * right after it, that was the crash.
   */
  panic?: { at: LifePoint; message: string };
}

interface Host {
  key: string;
  /** Its number among the hosts (the epochs' host column). */
  no: number;
  proc?: Proc;
  /** PID of the records so far (klog header or transport), and of the transport alone. */
  pid?: number;
  transportPid?: number;
  /** systemd said the unit stopped or (re)started since the last record. */
  boundary: boolean;
  /** systemd's start lines for the process the next record begins. */
  pendingStart: StartEvidence[];
  lastTimeUs?: number;
  forward: number;
  backward: number;
}

/** A process with its successor on its node (in time): what a node incident of its end needs. */
export interface DescribedProcess {
  process: KubeletProcess;
  next?: KubeletProcess;
}

/**
 * Per epoch (process), in columns: what the phase model asks of any process while it builds pods,
 * whatever their number (a crash-looping kubelet, or a PID a line, is a process a record).
 */
class EpochColumns {
  readonly host = u32();
  readonly lastIndex = f64();
  readonly lastLine = f64();
  readonly lastTime = f64();
  readonly pid = f64();
  readonly ended = u8();

  push(host: number): void {
    this.host.push(host);
    for (const c of [this.lastIndex, this.lastLine, this.lastTime, this.pid]) c.push(NaN);
    this.ended.push(0);
  }
}

/**
 * Processes that have ended, until the log is read: held, or with a spill written out as JSON, so
 * that memory does not grow with their number.
 */
class EndedProcesses {
  private readonly rows: JsonRows<Proc>;
  /** Epoch → its row (NONE: not ended). */
  private readonly slots = u32();

  constructor(spills?: Spills) {
    this.rows = new JsonRows(spills, 'processes');
  }

  put(p: Proc): void {
    delete p.once;
    while (this.slots.length <= p.epoch) this.slots.push(NONE);
    this.slots.set(p.epoch, this.rows.add(p));
  }

  get(epoch: number): Proc | undefined {
    const slot = epoch < this.slots.length ? this.slots.at(epoch) : NONE;
    return slot === NONE ? undefined : this.rows.at(slot);
  }
}

const NONE = 0xffffffff;

export class ProcessTracker {
  private readonly hosts = new Map<string, Host>();
  private readonly hostList: Host[] = [];
  private readonly lane: NodeLane;
  private next = 0;
  private lastIndex = -1;
  private readonly epochs = new EpochColumns();
  private readonly endedProcs: EndedProcesses;
  /** New processes within a host (restarts). */
  restarts = 0;

  /**
   * `onEnd`: a process has ended (its host began another): no record of it follows.
   * `spills`: where ended processes wait for the end of the log (files), instead of memory.
   */
  constructor(
    private readonly onEnd?: (epoch: number) => void,
    spills?: Spills,
  ) {
    this.endedProcs = new EndedProcesses(spills);
    this.lane = new NodeLane(kubeletLifeSettings.mergeWithinUs, spills);
  }

  /** Last record of a process (one with a PID or of a kubelet format: a bare text line proves nothing). */
  lastOf(epoch: number): EpochEnd | undefined {
    const index = epoch < this.next ? this.epochs.lastIndex.at(epoch) : NaN;
    if (Number.isNaN(index)) return undefined;
    const line = this.epochs.lastLine.at(epoch);
    const timeUs = this.epochs.lastTime.at(epoch);
    return Number.isNaN(timeUs) ? { index, line } : { index, line, timeUs };
  }

  /** A later process of the same host replaced it (the kubelet restarted after it). */
  hasEnded(epoch: number): boolean {
    return epoch < this.next && this.epochs.ended.at(epoch) === 1;
  }

  /** The PID of each process that shows one, in epoch order. */
  pids(): number[] {
    const out: number[] = [];
    for (let e = 0; e < this.next; e++) {
      const pid = this.epochs.pid.at(e);
      if (!Number.isNaN(pid)) out.push(pid);
    }
    return out;
  }

  /** Processes seen. */
  get count(): number {
    return this.next;
  }

  /** Hosts (nodes) seen. */
  get hostCount(): number {
    return this.hosts.size;
  }

  /**
   * The epoch of the record at `index`. `host` names the node when the record's transport does
   * not (bare klog files): without it, files of different machines would look like one kubelet.
   */
  add(r: LogRecord, index: number, host?: string): number {
    this.lastIndex = index;
    const h = this.host(r.transport?.host ?? host ?? '');
    // text lines (`Flag --x has been deprecated`) are a new process's first words: their
    // transport PID counts too
    const pid = r.pid ?? r.transport?.pid;
    const signals = signalsOf(r);
    const at = pointOf(r, index);
    const why = h.proc === undefined ? 'first' : this.boundary(h, h.proc, r, pid, signals?.start);
    if (why !== undefined) this.begin(h, why, at);
    const p = h.proc!;
    p.records++;
    p.last = at;
    if (pid !== undefined) {
      h.pid = pid;
      p.pid = pid;
      this.epochs.pid.set(p.epoch, pid);
    }
    if (r.transport?.pid !== undefined) h.transportPid = r.transport.pid;
    // a header-less text line without a PID (a new process's `Flag --…` in a bare file) proves
    // nothing about which process is running
    if (pid !== undefined || r.format !== 'text') {
      this.epochs.lastIndex.set(p.epoch, index);
      this.epochs.lastLine.set(p.epoch, r.line);
      this.epochs.lastTime.set(p.epoch, r.timeUs ?? NaN);
    }
    if (signals?.start) noteStart(p, signals.start, at, this.isReversed(h));
    else p.running = true;
    if (r.msg.startsWith(PANIC_OBSERVED)) p.panic = { at, message: r.msg };
    if (r.format === 'crash') {
      p.ends.push({ at, crash: r });
      p.dead = true;
    } else if (signals?.exit) {
      p.ends.push({ at, exit: signals.exit.message });
      p.dead = true;
    }
    if (signals?.node) this.lane.add(h.key, p.epoch, signals.node, at);
    this.stepTime(h, r.timeUs);
    return p.epoch;
  }

  /**
   * A line that is no kubelet record (foreign: systemd's own lines), in log order with the records.
   * `host` as for add().
   */
  addForeign(f: ForeignLine, host?: string): void {
    if (f.kind !== 'other-program') return;
    const env = splitEnvelope(f.text);
    if (env.kind !== 'line') return;
    const signal = systemdSignal(f.transport?.ident, env.payload);
    if (!signal) return;
    const h = this.host(f.transport?.host ?? host ?? '');
    const at: LifePoint = { index: this.lastIndex, line: f.line, foreign: env.payload };
    if (f.transport?.timeUs !== undefined) at.timeUs = f.transport.timeUs;
    if (signal.effect === 'start') {
      const same = h.pendingStart.find((e) => e.kind === 'systemd-started');
      if (same) same.count++;
      else h.pendingStart.push({ kind: 'systemd-started', at, count: 1 });
      if (h.proc) h.boundary = true;
      return;
    }
    if (!h.proc) return; // the log starts after the process it speaks of
    h.proc.ends.push({ at, systemd: signal });
    if (signal.effect !== 'restart') h.boundary = true;
  }

  /** Each kubelet process of each host, in order of first record (call after the last add). */
  processes(): KubeletProcess[] {
    return Array.from(this.described(), (d) => d.process).sort((a, b) => a.epoch - b.epoch);
  }

  /**
   * Each process with its successor in time on its host, one at a time, about in epoch order (call
   * after the last add). Memory holds a few processes a host, however many the log has.
   */
  *described(): Generator<DescribedProcess> {
    // per host: the processes around the one described next (two before it, two after), in epoch
    // order; a newest-first log's process borrows from the one after it and follows the one before
    const windows = this.hostList.map(() => ({ procs: [] as Proc[], at: 0 }));
    const describeAt = (h: Host, w: Proc[], i: number): DescribedProcess => {
      if (!this.isReversed(h)) {
        const next = w[i + 1] && describe(w[i + 1]!, false, w[i + 2] !== undefined);
        return { process: describe(w[i]!, false, w[i + 1] !== undefined), ...(next ? { next } : {}) };
      }
      // read backwards: the epoch before is the newer process (the successor), the one after the older
      const next = w[i - 1] && describe(withOlderStart(w[i - 1]!, w[i]), true, w[i - 2] !== undefined);
      return { process: describe(withOlderStart(w[i]!, w[i + 1]), true, w[i - 1] !== undefined), ...(next ? { next } : {}) };
    };
    for (let e = 0; e < this.next; e++) {
      const h = this.hostList[this.epochs.host.at(e)]!;
      const w = windows[h.no]!;
      w.procs.push(this.procOf(h, e));
      if (w.procs.length - w.at < 3) continue;
      yield describeAt(h, w.procs, w.at);
      if (w.at === 2) w.procs.shift();
      else w.at++;
    }
    for (const h of this.hostList) {
      const w = windows[h.no]!;
      for (; w.at < w.procs.length; w.at++) yield describeAt(h, w.procs, w.at);
    }
  }

  private procOf(h: Host, epoch: number): Proc {
    if (h.proc?.epoch === epoch) return h.proc;
    const p = this.endedProcs.get(epoch);
    if (!p) throw new Error(`kubelet process ${epoch} was never stored`);
    return p;
  }

  /** Node-level conditions (NotReady, PLEG, CNI, runtime, eviction), as spans in log order. */
  nodeEvents(): NodeEvent[] {
    return this.lane.events();
  }

  /** The same spans one at a time, in no particular order (call after the last add). */
  nodeSpans(): Iterable<NodeEvent> {
    return this.lane.spans();
  }

  life(): KubeletLife {
    return { processes: this.processes(), nodeEvents: this.nodeEvents() };
  }

  // ---- boundaries ------------------------------------------------------------------------------

  /** Why this record begins another process than `p`, if it does. */
  private boundary(h: Host, p: Proc, r: LogRecord, pid: number | undefined, start: StartSignal | undefined): Boundary | undefined {
    if (pid !== undefined && h.pid !== undefined && pid !== h.pid) return 'new-pid';
    if (h.boundary && !(pid !== undefined && pid === h.pid)) return 'systemd';
    // The journal's PID changes at every restart, so the same one is the same process, whatever it
    // prints (k3s: the apiserver's `Version:` and the kubelet's start-up in one process). A klog
    // header PID proves less: a restarted container's kubelet often gets the same one.
    if (r.transport?.pid !== undefined && r.transport.pid === h.transportPid) return undefined;
    const reversed = this.isReversed(h);
    if (p.dead && !reversed) return 'after-exit';
    if (start && this.startsAnother(h, p, start)) return start.kind;
    // newest first: the lines after a process's first start-up lines are the older process's
    if (!start && reversed && p.minStage > 0 && p.minStage <= EARLY_STAGE) return 'start-lines';
    if (pid === undefined && r.timeUs !== undefined && this.timeJumped(h, r.timeUs)) return 'time-back';
    return undefined;
  }

  private startsAnother(h: Host, p: Proc, s: StartSignal): boolean {
    const again = s.once && p.once?.has(s.kind) === true;
    if (this.isReversed(h)) {
      // newest first: a start-up reads backwards, and the lines after it are the older process's
      if (p.maxStage === 0) return false;
      return again || s.stage > p.minStage || (s.flag !== undefined && p.lastFlag !== undefined && s.flag >= p.lastFlag);
    }
    // the log began inside this process: early start-up lines after its running lines are the next one's
    if (p.maxStage === 0) return p.running && s.stage <= EARLY_STAGE;
    return again || s.stage < p.maxStage || (s.flag !== undefined && p.lastFlag !== undefined && s.flag <= p.lastFlag);
  }

  private timeJumped(h: Host, t: number): boolean {
    if (h.lastTimeUs === undefined) return false;
    const d = t - h.lastTimeUs;
    const limit = kubeletLifeSettings.timeBackUs;
    return this.isReversed(h) ? d > limit : h.forward > h.backward && d < -limit;
  }

  private stepTime(h: Host, t: number | undefined): void {
    if (t === undefined) return;
    if (h.lastTimeUs !== undefined) {
      const d = t - h.lastTimeUs;
      if (d > JITTER_US) h.forward++;
      else if (d < -JITTER_US) h.backward++;
    }
    h.lastTimeUs = t;
  }

  private isReversed(h: Host): boolean {
    return h.backward > h.forward;
  }

  private begin(h: Host, why: Boundary, at: LifePoint): void {
    if (h.proc) {
      this.epochs.ended.set(h.proc.epoch, 1);
      this.restarts++;
      this.endedProcs.put(h.proc);
      this.onEnd?.(h.proc.epoch);
    }
    const start = h.pendingStart;
    if (BOUNDARY_KINDS.has(why)) start.push({ kind: why as StartEvidenceKind, at, count: 1 });
    else if (why === 'systemd' && start.length === 0) start.push({ kind: 'after-stop', at, count: 1 });
    const p: Proc = { epoch: this.next++, host: h.key, records: 0, first: at, last: at, start, maxStage: 0, minStage: 0, running: false, ends: [], dead: false };
    this.epochs.push(h.no);
    h.proc = p;
    h.pendingStart = [];
    h.boundary = false;
  }

  private host(key: string): Host {
    let h = this.hosts.get(key);
    if (!h) {
      this.hosts.set(key, (h = { key, no: this.hostList.length, boundary: false, pendingStart: [], forward: 0, backward: 0 }));
      this.hostList.push(h);
    }
    return h;
  }
}

/**
 * Why a record begins a process: its start-up line (noted by noteStart() as it is added), systemd's
 * lines before it, `start-lines` (newest first: the older process's last lines after the start-up
 * lines of the one read before), `first` (the host's first record), or a boundary of its own.
 */
type Boundary = StartEvidenceKind | 'systemd' | 'start-lines' | 'first';
/** Boundaries that are evidence of the process they begin. */
const BOUNDARY_KINDS: ReadonlySet<string> = new Set<StartEvidenceKind>(['new-pid', 'after-stop', 'after-exit', 'time-back']);

/**
 * A newest-first log's process as it was in time. Read backwards, a boundary (a new PID, time going
 * forward) was found at the older process's newest record (`older`: the process read after it); in
 * time it is the evidence that this newer process began, at its oldest record.
 */
function withOlderStart(p: Proc, older: Proc | undefined): Proc {
  const own = p.start.filter((e) => !BOUNDARY_KINDS.has(e.kind));
  const borrowed = older ? older.start.filter((e) => BOUNDARY_KINDS.has(e.kind)).map((e) => ({ ...e, at: p.last })) : [];
  return { ...p, start: [...own, ...borrowed] };
}

/** `newestFirst`: a later line of a kind is an earlier one in time, and becomes its `at`. */
function noteStart(p: Proc, s: StartSignal, at: LifePoint, newestFirst: boolean): void {
  const seen = p.start.find((e) => e.kind === s.kind);
  if (seen) {
    seen.count++;
    if (newestFirst) seen.at = at;
  } else p.start.push({ kind: s.kind, at, count: 1 });
  p.maxStage = Math.max(p.maxStage, s.stage);
  p.minStage = p.minStage === 0 ? s.stage : Math.min(p.minStage, s.stage);
  if (s.once) (p.once ??= new Set()).add(s.kind);
  if (s.flag !== undefined) p.lastFlag = s.flag;
  if (s.version !== undefined && p.version === undefined) p.version = s.version;
}

function pointOf(r: LogRecord, index: number): LifePoint {
  const p: LifePoint = { index, line: r.line };
  if (r.timeUs !== undefined) p.timeUs = r.timeUs;
  return p;
}

// ---- the result --------------------------------------------------------------------------------

function describe(p: Proc, newestFirst: boolean, followed: boolean): KubeletProcess {
  const first = newestFirst ? p.last : p.first;
  const last = newestFirst ? p.first : p.last;
  const evidence = newestFirst ? [...p.start].reverse() : p.start;
  const out: KubeletProcess = {
    host: p.host,
    epoch: p.epoch,
    newestFirst,
    start: evidence.length > 0 ? { at: evidence[0]!.at, evidence } : null,
    first,
    last,
    records: p.records,
    end: endOf(p, followed, last),
  };
  if (p.pid !== undefined) out.pid = p.pid;
  if (p.version !== undefined) out.version = p.version;
  return out;
}

/** The strongest word on how the process ended: a crash, then an exit, then a stop. */
function endOf(p: Proc, followed: boolean, last: LifePoint): ProcessEnd {
  const evidence = p.ends.map((e) => e.at);
  const crashRecord = p.ends.find((e) => e.crash);
  if (crashRecord?.crash) {
    const r = crashRecord.crash;
    const end: ProcessEnd = { kind: 'crash', at: crashRecord.at, message: r.msg, evidence, crash: crashOf(r, crashRecord.at.index) };
    const signal = str(r.kv.signal) ?? systemdSignalName(p);
    if (signal !== undefined) end.signal = signal;
    return end;
  }
  const killed = p.ends.find((e) => e.systemd?.effect === 'exited' && e.systemd.code !== 'exited' && !STOP_SIGNALS.has(e.systemd.statusName ?? ''));
  if (killed?.systemd) return withSystemd({ kind: 'crash', at: killed.at, evidence }, killed.systemd);
  const exit = p.ends.find((e) => e.exit !== undefined);
  if (exit) return { kind: 'exit', at: exit.at, message: exit.exit!, evidence };
  if (p.panic && followed && endsRightAfter(p.panic.at, last)) return { kind: 'crash', at: p.panic.at, message: p.panic.message, evidence: [...evidence, p.panic.at] };
  const failed = p.ends.find((e) => e.systemd?.effect === 'exited' && e.systemd.code === 'exited' && e.systemd.status !== 0);
  if (failed?.systemd) return withSystemd({ kind: 'exit', at: failed.at, evidence }, failed.systemd);
  const stopped = p.ends.find((e) => e.systemd && e.systemd.effect !== 'failed' && e.systemd.effect !== 'restart');
  if (stopped?.systemd) return withSystemd({ kind: 'stop', at: stopped.at, evidence }, stopped.systemd);
  const kind: EndKind = followed ? 'restart' : 'log-end';
  return { kind, at: last, evidence };
}

const PANIC_OBSERVED = 'Observed a panic';

/** The process's last lines came within a moment of this one (a panic's stack, a final line or two). */
function endsRightAfter(at: LifePoint, last: LifePoint): boolean {
  if (last.index - at.index <= 3) return true;
  return at.timeUs !== undefined && last.timeUs !== undefined && last.timeUs - at.timeUs <= 2_000_000;
}

function withSystemd(end: ProcessEnd, s: SystemdSignal): ProcessEnd {
  if (end.at.foreign !== undefined) end.message = end.at.foreign;
  if (s.code === 'exited' && s.status !== undefined) end.exitStatus = s.status;
  else if (s.code !== undefined && s.statusName !== undefined) end.signal = `SIG${s.statusName}`;
  return end;
}

function systemdSignalName(p: Proc): string | undefined {
  const s = p.ends.find((e) => e.systemd?.code === 'killed' || e.systemd?.code === 'dumped')?.systemd;
  return s?.statusName !== undefined ? `SIG${s.statusName}` : undefined;
}

function crashOf(r: LogRecord, index: number): NonNullable<ProcessEnd['crash']> {
  const c: NonNullable<ProcessEnd['crash']> = { index, line: r.line, endLine: r.endLine, goroutines: typeof r.kv.goroutines === 'number' ? r.kv.goroutines : 0 };
  const first = str(r.kv.firstGoroutine);
  if (first !== undefined) c.firstGoroutine = first;
  const panic = str(r.kv.panic);
  if (panic !== undefined) c.panic = panic;
  const fatal = str(r.kv.fatalError);
  if (fatal !== undefined) c.fatalError = fatal;
  return c;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
