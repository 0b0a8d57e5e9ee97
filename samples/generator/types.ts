// Public types of the kubelet log generator.

/** `1.20`: printf era + old pod worker; `1.23`: era A; `1.26`: era B; `1.28`: era C; `json`: --logging-format=json (1.28 keys). */
export type KubeletVersion = '1.20' | '1.23' | '1.26' | '1.28' | 'json';

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
  /** 2 or 4 (klog -v). Default 4. */
  verbosity?: 2 | 4;
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
  workloads?: WorkloadOverride[];
  extraPeriodic?: ExtraPeriodic[];
  /** Output chunk size in characters. Default 1 MiB. */
  chunkSize?: number;
}

export type PhaseName = 'sync' | 'terminating' | 'terminated';

export interface PhaseTruth {
  phase: PhaseName;
  /** Epoch µs (UTC) of the boundary line that starts the phase. */
  startUs: number;
  /** Epoch µs (UTC) of the boundary line that ends it; null while open at log end. */
  endUs: number | null;
  /** True when the phase had not ended when the log ended. */
  open: boolean;
  /** Number of enter/exit calls folded into this phase (boundary mode `enter-exit`), else 1. */
  calls: number;
  /** Kubelet PID that logged the phase start. */
  pid: number;
}

export type AnomalyKind =
  | 'kill-failed' // `Kill container failed` (E) during a teardown, then a retry
  | 'crashloop' // `Error syncing pod, skipping` with CrashLoopBackOff
  | 'grace-period-exhausted' // app ignored SIGTERM: terminating lasted the full grace period
  | 'stuck-terminating' // terminating never finishes before log end
  | 'name-reused' // same namespace/name re-created with a new UID shortly after deletion
  | 'double-teardown' // second teardown of a UID after SyncLoop REMOVE (ends in kill failures)
  | 'probe-failure' // readiness probe failures (multi-line output)
  | 'kubelet-restart' // kubelet process restarted (new PID)
  | 'lease-failure' // `Failed to update lease` burst
  | 'node-status-error'; // `Error updating node status, will retry`

export interface AnomalyTruth {
  kind: AnomalyKind;
  /** Epoch µs of the (first) line that shows it. */
  tUs: number;
  uid?: string;
  detail?: string;
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
  /** First `SyncLoop ADD` that lists the pod. */
  addedUs: number | null;
  /** First `SyncLoop DELETE` (graceful deletion) of the pod. */
  deletedUs: number | null;
  /** `SyncLoop REMOVE`. */
  removedUs: number | null;
  /**
   * When the pod worker finished: `Pod is complete and the worker can now stop` in boundary mode
   * `enter-exit`; `SyncLoop REMOVE` in mode `v2` (null if not removed).
   */
  finishedUs: number | null;
  phases: PhaseTruth[];
  anomalies: AnomalyTruth[];
  /** The pod was still known to the kubelet (not finished) when the log ended. */
  openAtEnd: boolean;
}

export interface RestartTruth {
  /** Time of the last kubelet record before the restart. */
  lastRecordUs: number;
  /** Time of the first record of the new process. */
  firstRecordUs: number;
  oldPid: number;
  newPid: number;
}

export interface GroundTruth {
  generator: 'kubelog-generator/1';
  options: {
    seed: number;
    kubeletVersion: KubeletVersion;
    verbosity: 2 | 4;
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
   * How phase boundaries are defined (see samples/generator/README.md):
   * - `enter-exit`: V4 structured versions: SyncPod/SyncTerminatingPod/SyncTerminatedPod enter/exit lines.
   * - `v2`: verbosity 2 or kubelet 1.20: SyncLoop ADD / SyncLoop DELETE (or the app container's PLEG
   *   ContainerDied for pods that completed) / the sandbox's PLEG ContainerDied / the last `Volume detached`.
   */
  boundaryMode: 'enter-exit' | 'v2';
  startUs: number;
  endUs: number;
  pids: number[];
  restarts: RestartTruth[];
  pods: PodTruth[];
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
    bytes: number;
    pods: number;
    podsOpenAtEnd: number;
    recordsBySeverity: Record<Severity, number>;
  };
}
