// The kubelet's own life in a log, as lifecycle/process.ts reports it: each kubelet process of
// each host (how it started, which version, how it ended) and node-level conditions for a node lane.
import type { NodeEventKind, StartKind } from './kubelet-life-signals.js';

export type { NodeEventKind, StartKind } from './kubelet-life-signals.js';

/** A place in the log. */
export interface LifePoint {
  /**
   * Index of the record in the order records were added (LifecycleBuilder's record index). For a
   * line that is no kubelet record (systemd's own line): the index of the record added before it,
   * or -1.
   */
  index: number;
  /** 1-based line in its input (the record's first line). */
  line: number;
  /** Epoch µs UTC, when the line has a time (a systemd line in a year-less syslog file may not). */
  timeUs?: number;
  /** Set for a line that is no kubelet record: its text after the envelope (`Started Kubernetes kubelet.`). */
  foreign?: string;
}

/**
 * What shows that a process started:
 * - the kubelet's start-up records (StartKind: `flag-deprecated`, `flags`, `version`,
 *   `started-kubelet`, `main-sync-loop`, `starting-event`);
 * - `systemd-started`: systemd's `Started <kubelet unit>.` / `Starting <kubelet unit>...`;
 * - `new-pid`: the first record with another PID than the process before;
 * - `after-stop`: the first record after systemd said the unit stopped or exited;
 * - `after-exit`: the first record after the process before crashed or logged its exit;
 * - `time-back`: in a log without PIDs, a record whose time went back (a new process's clock).
 */
export type StartEvidenceKind = StartKind | 'systemd-started' | 'new-pid' | 'after-stop' | 'after-exit' | 'time-back';

export interface StartEvidence {
  kind: StartEvidenceKind;
  /** The first line of that kind. */
  at: LifePoint;
  /** Lines of that kind in this start-up (`flags`: the size of the flag dump). */
  count: number;
}

/**
 * How a process ended:
 * - `crash`: the Go runtime killed it (a `crash` record: panic, fatal error, fatal signal), or
 *   systemd saw it die of a signal other than TERM/INT/HUP (`code=killed, status=6/ABRT`);
 * - `exit`: it exited on an error it logged (`command failed`, `failed to run Kubelet`, a klog
 *   F record) or systemd saw a non-zero exit status;
 * - `stop`: systemd stopped it (`Stopping …`, `Stopped …`, `Deactivated successfully`, exit status 0,
 *   killed by TERM);
 * - `restart`: another process followed without any of these lines;
 * - `log-end`: the log ends while it runs.
 */
export type EndKind = 'crash' | 'exit' | 'stop' | 'restart' | 'log-end';

export interface ProcessEnd {
  kind: EndKind;
  /** The crash record, the exit record, the first systemd stop line; else the process's last record. */
  at: LifePoint;
  /** `SIGABRT`, `SIGSEGV`, … from the crash record or systemd's status. */
  signal?: string;
  /** The crash record's first line (`panic: …`, `SIGABRT: abort`), the exit error, or the systemd line. */
  message?: string;
  /** systemd's `status=` of an exited process. */
  exitStatus?: number;
  /** The crash record: its lines and what it holds. */
  crash?: { index: number; line: number; endLine: number; goroutines: number; firstGoroutine?: string; panic?: string; fatalError?: string };
  /** Every line that said how the process ended, in log order. */
  evidence: LifePoint[];
}

export interface KubeletProcess {
  /** The node (transport host, else the name the caller gave the record's input; `''` when none). */
  host: string;
  /** ProcessTracker's epoch of this process (what LifecycleBuilder hands the phase model). */
  epoch: number;
  pid?: number;
  /** The kubelet version the process stated (`v1.28.2`, `v1.5.2`). */
  version?: string;
  /** The log runs newest first (`journalctl -r`): first/last below are still in time order. */
  newestFirst: boolean;
  /** How its start shows; null when the log begins inside the process with no sign of its start. */
  start: { at: LifePoint; evidence: StartEvidence[] } | null;
  /** Its earliest and latest record in time order. */
  first: LifePoint;
  last: LifePoint;
  records: number;
  end: ProcessEnd;
  /** What its lines tell of its version and -v (lifecycle/kubelet-profile.ts), once the log is read. */
  profile?: ProcessProfile;
}

/** A kubelet process's version and verbosity as its log shows them. */
export interface ProcessProfile {
  /** `1.28`, `1.31-1.32`, `≤1.20`, `unknown` (a stated version is `version` above). */
  version: string;
  /** What decided it: the version it printed, its callers' file:line, wording and value eras, nothing. */
  versionBasis: 'stated' | 'callers' | 'wording' | 'none';
  /** `exact`: its flags dump states -v; `at-least`: its messages show that level; `unknown`. */
  verbosity: 'exact' | 'at-least' | 'unknown';
  /** The -v, or its lower bound. */
  level: number;
}

/** A node-level condition on the node lane: one span of repeated records of one kind. */
export interface NodeEvent {
  host: string;
  /** The kubelet process that logged it. */
  epoch: number;
  kind: NodeEventKind;
  /** schemas/kubelet-life.json `node` entry id of the first record. */
  entry: string;
  first: LifePoint;
  last: LifePoint;
  /** Records in the span. */
  count: number;
  /** The first record's text (msg and values), shortened. */
  detail: string;
}

export interface KubeletLife {
  processes: KubeletProcess[];
  nodeEvents: NodeEvent[];
}
