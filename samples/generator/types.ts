// Public types of the kubelet log generator.

/**
 * Kubelet minor versions (versions.ts says what each logs differently); `json` is 1.28 in the
 * `--logging-format=json` format (any version can be rendered as JSON with `logFormat: 'json'`).
 */
export type KubeletVersion =
  | '1.19'
  | '1.20'
  | '1.21'
  | '1.22'
  | '1.23'
  | '1.24'
  | '1.25'
  | '1.26'
  | '1.27'
  | '1.28'
  | '1.29'
  | '1.30'
  | '1.31'
  | '1.32'
  | '1.33'
  | 'json';

/** `text`: klog text (the default); `json`: `--logging-format=json`. */
export type LogFormat = 'text' | 'json';

export type Envelope =
  | 'syslog' // rsyslog traditional `Jun  7 14:54:46 host kubelet[1234]: ` (TAB → #011)
  | 'journal-short' // `Jun 07 14:54:46 host kubelet[1234]: ` (TAB → 8 spaces)
  | 'journal-short-precise' // `Jun 07 14:54:46.123456 host kubelet[1234]: `
  | 'journal-short-iso' // `2024-06-07T14:54:46+0800 host kubelet[1234]: ` (isoOffset picks +0800/+08:00)
  | 'journal-short-iso-precise' // `2024-06-07T14:54:46.123456+0800 host kubelet[1234]: `
  | 'journal-json' // journalctl -o json, one object per physical line
  | 'rfc3339' // rsyslog RSYSLOG_FileFormat `2024-06-07T14:54:46.123456+08:00 host kubelet[1234]: ` (TAB → #011)
  | 'klog' // bare klog output (optionally with the 4-line `Log file created at:` header)
  | 'json-prefixed'; // talosctl style `node-1: {"ts":…}` (any body format)

export type Severity = 'I' | 'W' | 'E' | 'F';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Job' | 'DaemonSet' | 'Static' | 'Mirror';

/** Per-workload behaviour overrides (and the fields of a workload definition). */
export interface WorkloadOverride {
  /** Which workloads: the workload key (`Deployment/shop/frontend`), `namespace/name`, or name. */
  match: string;
  /** Seconds the app needs to exit after SIGTERM (capped by the grace period). Default 0.05-2 s. */
  terminationSeconds?: number;
  /** terminationGracePeriodSeconds (default 30). */
  gracePeriodSeconds?: number;
  /** Probability that a teardown hits `Kill container failed` (then retries). */
  killFailure?: number;
  /** Probability that a pod goes into CrashLoopBackOff for a while. */
  crashLoop?: number;
  /** Probability that a pod has a flapping readiness probe. */
  probeFailure?: number;
  /** Probability that the app ignores SIGTERM and is killed after the full grace period. */
  ignoreSigterm?: number;
  /** Relative share of new pod arrivals (0 disables new arrivals of this workload). */
  weight?: number;
  /** Mean pod lifetime in seconds (Deployment/StatefulSet) or run time (Job). */
  meanLifetimeSeconds?: number;
  /** Probability of an OOM kill per pod. */
  oomKill?: number;
  /** Probability that a liveness probe restarts the container. */
  probeRestart?: number;
  /** Probability that the image pull fails for a while. */
  imagePullFailure?: number;
}

/** A message the node emits periodically (for diff tests). */
export interface ExtraPeriodic {
  everySeconds: number;
  message: string;
  severity?: 'I' | 'W' | 'E';
  /** klog verbosity of the call (default 0). */
  v?: number;
  /** `file.go` of the call site (default `kubelet.go`) and its line (default 1). */
  file?: string;
  line?: number;
  /** JSON caller directory (default `kubelet`). */
  dir?: string;
  /** Structured (`"msg" k=v`) or printf text (default structured). */
  structured?: boolean;
  /** String key/values (structured only). */
  kv?: Record<string, string | number | boolean>;
}

export interface AnomalyRates {
  /** Probability per teardown of `Kill container failed` + retry. Default 0.02. */
  killFailure: number;
  /** Probability per pod of a CrashLoopBackOff episode (`Error syncing pod, skipping`). Default 0.03. */
  crashLoop: number;
  /** Probability per teardown that the app ignores SIGTERM (terminating lasts the full grace period). Default 0.02. */
  graceExhausted: number;
  /** Probability per pod of a flapping readiness probe (multi-line probe output). Default 0.06. */
  probeFailure: number;
  /** Probability per removed pod of a second teardown after SyncLoop REMOVE. Default 0.01. */
  doubleTeardown: number;
  /** Number of pods whose terminating never finishes before the log ends. Default 1. */
  stuckTerminating: number;
  /** Probability per long-running pod of an OOM kill (exit 137, reason OOMKilled, restart). Default 0. */
  oomKill: number;
  /** Probability per new pod that its image pull fails (ErrImagePull, ImagePullBackOff) for a while. Default 0. */
  imagePullFailure: number;
  /** Probability per new API pod of an admission reject (TopologyAffinityError, OutOfcpu, NodeAffinity). Default 0. */
  admissionReject: number;
  /** Probability per long-running pod that a liveness probe fails and the container is restarted. Default 0. */
  probeRestart: number;
  /** Probability per new pod that a volume mount fails until `Unable to attach or mount volumes` times out once. Default 0. */
  mountFailure: number;
  /** Probability per teardown that a volume unmount fails (device busy) before it succeeds. Default 0. */
  unmountFailure: number;
  /** Probability per new pod that the sandbox creation fails once. Default 0. */
  sandboxFailure: number;
  /** Probability per new pod of a slow image pull (20-90 s). Default 0. */
  slowImagePull: number;
  /** Probability per new pod of a slow volume mount (10-60 s). Default 0. */
  slowVolumeMount: number;
  /** Probability per new pod with a readiness probe that it stays unready for 20-120 s after start. Default 0. */
  slowReadiness: number;
}

/** Incidents of the kubelet and the node (counts per log). */
export interface NodeScenario {
  /** Kubelet crashes (a SIGABRT goroutine dump or a `panic:` with its stack), each followed by a new process. Default 0. */
  crashes: number;
  /** Eviction episodes (memory or disk pressure, a pod evicted). Default 0. */
  evictions: number;
  /** Episodes of `PLEG is not healthy` (node NotReady for a while). Default 0. */
  plegUnhealthy: number;
  /** The container network is not ready for the first 10-40 s after each kubelet start. Default false. */
  cniNotReadyAtStart: boolean;
}

export interface GeneratorOptions {
  /** Seed of the deterministic RNG. Default 1. */
  seed?: number;
  /** Stop starting new pods once this many bytes are written (default 5 MB when `pods` is unset). */
  targetBytes?: number;
  /** Create this many pods (non-mirror) instead of a byte target. */
  pods?: number;
  /** Log start, ISO 8601. Default `2024-06-07T06:00:00Z`. */
  start?: string;
  /** Kubelet local zone offset for klog header times (`+08:00`). Default `+00:00`. */
  tz?: string;
  /** Zone abbreviation Go prints in time.Time strings (`CST`); default `UTC` for +00:00, else the offset. */
  tzName?: string;
  /** Zone of transport timestamps (syslog/journal). Default: same as `tz`. */
  transportTz?: string;
  /** Node name. Default `node-1`. */
  node?: string;
  /** Syslog/journal host name. Default: node name. */
  host?: string;
  /** Default `1.28`. */
  kubeletVersion?: KubeletVersion;
  /** `json` renders the version's `--logging-format=json` output. Default `text` (`json` for kubeletVersion `json`). */
  logFormat?: LogFormat;
  /** klog -v, 0-10 (2 and 4 are the common ones). Default 4. */
  verbosity?: number;
  /** Default `journal-short`. */
  envelope?: Envelope;
  /** `+0800` (basic, default) or `+08:00` (extended) for journal-short-iso*. */
  isoOffset?: 'basic' | 'extended';
  /** For envelope `klog`: write the 4-line `Log file created at:` header (text versions). Default true. */
  klogFileHeader?: boolean;
  /** For envelope `json-prefixed`: the prefix before `: `. Default: node name. */
  jsonPrefix?: string;
  /** Syslog identifier. Default `kubelet`. */
  syslogIdentifier?: string;
  /** Container runtime. Default `docker` for 1.20/1.23, `containerd` otherwise. */
  runtime?: 'docker' | 'containerd';
  /** Target number of concurrently running (non-static) pods. Default 40. */
  concurrency?: number;
  /** Number of static pods (with mirror pods). Default 2. */
  staticPods?: number;
  /** Kubelet restarts during the log. Default 1. */
  restarts?: number;
  /** Kubelet start lines (klog startup messages, `Flag --… deprecated` text) at log start and after restarts. Default true. */
  startupNoise?: boolean;
  /** systemd lines around kubelet (re)starts in syslog/journal envelopes. Default true. */
  foreignLines?: boolean;
  anomalies?: Partial<AnomalyRates>;
  /** Kubelet and node incidents. */
  nodeIncidents?: Partial<NodeScenario>;
  /**
   * A preset applied before `anomalies`/`nodeIncidents`/`restarts`: `incidents` gives every scenario kind
   * rates high enough that a few-MB log shows each of them (crash, restart, eviction, OOM, …).
   */
  scenario?: 'default' | 'incidents';
  workloads?: WorkloadOverride[];
  extraPeriodic?: ExtraPeriodic[];
  /** Output chunk size in characters. Default 1 MiB. */
  chunkSize?: number;
}


// ---------------------------------------------------------------- ground truth

export type PhaseName = 'sync' | 'terminating' | 'terminated';

/**
 * How a phase ended: `next-phase` (sync ends where terminating starts, at the same µs), `exit` (its
 * work finished), `process-end` (the kubelet process stopped or crashed; endUs = that process's
 * last record), `log-end` (still open when the log ended; endUs null).
 */
export type PhaseEnd = 'next-phase' | 'exit' | 'process-end' | 'log-end';

/**
 * A phase of the simulated pod worker (README.md "Ground truth"): the worker's real state,
 * independent of what the log's verbosity shows. Times are epoch µs (UTC).
 */
export interface PhaseTruth {
  phase: PhaseName;
  startUs: number;
  endUs: number | null;
  /** True when the phase had not ended when the log ended (same as openAtEnd). */
  open: boolean;
  openAtEnd: boolean;
  end: PhaseEnd;
  /** SyncPod / SyncTerminatingPod / SyncTerminatedPod calls the worker made in the phase (logged or not). */
  calls: number;
  /** Kubelet PID of the process whose worker ran the phase. */
  pid: number;
}

export type IncidentKind =
  // per pod
  | 'admission-rejected'
  | 'evicted'
  | 'oom-killed'
  | 'crash-loop'
  | 'image-pull-failed'
  | 'probe-restart'
  | 'kill-failed'
  | 'grace-exceeded'
  | 'stuck-terminating'
  | 'mount-failed'
  | 'unmount-failed'
  | 'sandbox-failed'
  | 'probe-failure' // readiness probe failures (no restart)
  | 'torn-down-twice' // a second teardown of the UID after SyncLoop REMOVE
  | 'name-reused' // same namespace/name re-created with a new UID shortly after deletion
  // global
  | 'kubelet-restart'
  | 'kubelet-crash'
  | 'lease-failure'
  | 'node-status-error';

/** One incident: one underlying failure with every line of this log that shows it. */
export interface AnomalyTruth {
  kind: IncidentKind;
  /** When it happened in the simulation (epoch µs), whether or not a line shows it. */
  tUs: number;
  /** Epoch µs of every record in this log that is evidence of it (sorted; empty when the verbosity hides all). */
  evidenceUs: number[];
  uid?: string;
  detail?: string;
  /** admission-rejected: the reject reason (TopologyAffinityError, OutOfcpu, NodeAffinity). */
  reason?: string;
  /** evicted: the eviction signal (memory.available, nodefs.available). kubelet-crash: SIGABRT or SIGSEGV. */
  signal?: string;
  container?: string;
}

export type StepName =
  // startup
  | 'admitted'
  | 'volumes-mounted'
  | 'sandbox-created'
  | 'image-pulled'
  | 'init-container'
  | 'container-started'
  | 'ready'
  // teardown
  | 'kill-decision'
  | 'container-stopped'
  | 'network-torn-down'
  | 'volumes-unmounted'
  | 'sandbox-removed'
  | 'cgroup-removed'
  | 'status-sent'
  | 'removed';

/** A startup or teardown step with its true start and end (a point step has startUs === endUs). */
export interface StepTruth {
  step: StepName;
  container?: string;
  startUs: number;
  endUs: number | null;
  /** image-pulled: false when the image was already present (no pull). */
  pulled?: boolean;
  /** container-stopped: the grace period given (s) and whether SIGKILL was needed. */
  gracePeriodS?: number;
  sigkill?: boolean;
  /** Attempts the step needed (sandbox creation after a failure, image pulls in back-off). */
  attempts?: number;
}

export interface PodTruth {
  uid: string;
  namespace: string;
  name: string;
  static: boolean;
  mirror: boolean;
  /** For a mirror pod: the static pod's UID. For a static pod: its mirror pod's UID (if created). */
  mirrorOf?: string;
  mirrorUid?: string;
  kind: WorkloadKind;
  /** `Deployment/shop/frontend`, `StatefulSet/data/web`, `Job/batch/nightly-report-28583940`, `Static/kube-system/etcd-node-1`. */
  workloadKey: string;
  source: 'api' | 'file';
  containers: string[];
  initContainers: string[];
  /** First `SyncLoop ADD` that lists the pod. */
  addedUs: number | null;
  /** First `SyncLoop DELETE` (graceful deletion) of the pod. */
  deletedUs: number | null;
  /** `SyncLoop REMOVE`. */
  removedUs: number | null;
  /** When the pod worker finished (`Pod is complete and the worker can now stop`), whether or not logged. */
  finishedUs: number | null;
  phases: PhaseTruth[];
  /** Incidents of this pod (the same objects, without uid, as in GroundTruth.anomalies). */
  anomalies: AnomalyTruth[];
  /** The first start: admitted → volumes → sandbox → images → init containers → containers → ready. */
  startup: StepTruth[];
  /** Every teardown, in order (kill decision → containers stopped → … → removed). */
  teardown: StepTruth[];
  /** The pod worker had not finished when the log ended. */
  openAtEnd: boolean;
}

export type ProcessEnd = 'crash' | 'stop' | 'restart' | 'log-end';

/** One kubelet process. */
export interface ProcessTruth {
  pid: number;
  /** Its first record (klog line). */
  startUs: number;
  /** Its last record (klog line); a crash dump's header-less lines follow it. */
  endUs: number;
  /** `restart`: stopped by systemd and started again; `stop`: stopped, no new process before the log ends. */
  end: ProcessEnd;
  /** For `crash`: SIGABRT (goroutine dump) or SIGSEGV (a `panic:` with its stack). */
  signal?: 'SIGABRT' | 'SIGSEGV';
  /** Header-less lines of the crash report. */
  crashLines?: number;
}

export interface RestartTruth {
  /** Time of the last kubelet record before the restart. */
  lastRecordUs: number;
  /** Time of the first record of the new process. */
  firstRecordUs: number;
  oldPid: number;
  newPid: number;
  how: 'restart' | 'crash';
}

export type NodeEventKind = 'not-ready' | 'pleg-unhealthy' | 'cni-not-ready' | 'eviction-pressure';

export interface NodeEventTruth {
  kind: NodeEventKind;
  startUs: number;
  endUs: number | null;
  /** eviction-pressure: MemoryPressure / DiskPressure; not-ready: its reason text. */
  detail?: string;
  evidenceUs: number[];
}

export interface GroundTruth {
  generator: 'kubelog-generator/2';
  options: {
    seed: number;
    kubeletVersion: KubeletVersion;
    logFormat: LogFormat;
    verbosity: number;
    envelope: Envelope;
    tz: string;
    transportTz: string;
    node: string;
    host: string;
    start: string;
    targetBytes: number | null;
    pods: number | null;
    runtime: 'docker' | 'containerd';
  };
  /**
   * What the log shows of the phases (the truth is the same either way): `enter-exit` when it has
   * the pod worker's enter/exit lines (kubelet ≥1.22 at -v≥4), else `v2` (boundaries must be
   * inferred from V0-V2 lines; README.md gives the tolerance per boundary).
   */
  boundaryMode: 'enter-exit' | 'v2';
  startUs: number;
  endUs: number;
  pids: number[];
  processes: ProcessTruth[];
  restarts: RestartTruth[];
  nodeEvents: NodeEventTruth[];
  pods: PodTruth[];
  /** Every incident (pods' and global), sorted by tUs. */
  anomalies: AnomalyTruth[];
  totals: {
    /** Physical lines written (every `\n`). */
    lines: number;
    /** Kubelet log records (a multi-line record counts once). */
    records: number;
    /** Physical lines that continue a multi-line record (`key=<` blocks, raw newlines). */
    continuationLines: number;
    /** Lines that are not kubelet records: systemd lines, klog file headers, kubelet's header-less `Flag --…` text. */
    foreignLines: number;
    /** Header-less lines of kubelet crash reports (`SIGABRT: abort`, `panic: …`, goroutine dumps). */
    crashLines: number;
    bytes: number;
    pods: number;
    podsOpenAtEnd: number;
    recordsBySeverity: Record<Severity, number>;
  };
}
