// The lifecycle message catalogue's shape (data: schemas/lifecycle-catalogue.json). Each entry says
// which records it matches, what kind of event that is, on which lane it sits, which phase
// boundary (if any) it marks, and where the pod's identity is in the record.

export type Lane = 'api' | 'worker' | 'runtime' | 'network' | 'volumes' | 'cgroups' | 'status' | 'probes' | 'errors';

/**
 * Phase boundaries marked by the pod worker's own enter/exit/complete lines (1.22+, -v=4):
 * `exact` evidence. Other messages carry a `signal` the model infers boundaries from.
 */
export type Boundary =
  | 'sync-start'
  | 'sync-end'
  | 'terminating-start'
  | 'terminating-end'
  | 'terminated-start'
  | 'terminated-end'
  | 'finished';

export type Evidence = 'exact' | 'inferred';

/**
 * What a message says about where the pod worker is, for logs without enter/exit lines (-v=2,
 * ≤ 1.21, a filtered log). lifecycle/phases.ts reads them:
 * - `admit`: the kubelet took the pod on (SyncLoop ADD, admission): sync begins;
 * - `active`: the pod is being set up or run (volumes, sandbox, containers, probes): it is in sync;
 * - `kill`: the decision to stop the pod (DELETE, eviction, a grace-period kill): terminating begins;
 * - `stopped` / `stopped-final`: a container stopped / every container stopped: terminating ends at the last;
 * - `cleanup` / `cleanup-final`: volumes, cgroups, final status: the terminated phase, and its end;
 * - `finished`: the pod is gone from the kubelet and the API;
 * - `orphan`: leftovers of a pod the kubelet no longer runs are removed (no phase of its own);
 * - `pleg`: a PLEG event; its type (ContainerStarted/Died) and container decide.
 */
export type Signal = 'admit' | 'active' | 'kill' | 'stopped' | 'stopped-final' | 'cleanup' | 'cleanup-final' | 'finished' | 'orphan' | 'pleg';

/**
 * A failure a message shows, before the model groups messages into incidents (lifecycle/incidents.ts):
 * `sync-error`, `event` and `volume-operation` are classified further by their text
 * (schemas/incident-rules.json).
 */
export type MessageIncident =
  | 'admission-rejected'
  | 'kill-failed'
  | 'sandbox-failed'
  | 'sync-error'
  | 'mount-failed'
  | 'unmount-failed'
  | 'status-failed'
  | 'probe-failed'
  | 'crash-loop'
  | 'evicted'
  | 'oom-killed'
  | 'grace-exceeded'
  | 'event'
  | 'volume-operation';

/**
 * Where a pod's identity sits in a matched record. Paths address `kv` (dot for nested keys, `*`
 * for every element of a list); the prefix says what the value is:
 * - `uid:<path>`      a pod UID (`podUID`, `podID`, `event.ID`, `patch.metadata.uid`)
 * - `ref:<path>`      `ns/name`, `{name, namespace}`, or a list of them (`pod`, `pods`, `object`)
 * - `desc:<path>`     printf `name_ns(uid)`, possibly several joined by `, ` (`pods` of 1.19/1.20)
 * - `container:<path>` a container or sandbox ID (`containerID`, `event.Data`, `podSandboxID`)
 * - `text:msg`        look for UIDs in the message text (volume `(UID: "…")`, cgroup paths, …)
 */
export type IdentitySpec = string;

export interface CatalogueEntry {
  /** Stable id, e.g. `syncloop-add`, `sync-terminating-pod-enter`. */
  id: string;
  /**
   * How records are matched, first fit wins, in catalogue order:
   * - `msg`: exact structured message (list for renames: `syncPod enter` / `SyncPod enter`);
   * - `printf`: id of a parser printf format (schemas/printf-messages.json);
   * - `prefix`: start of an unstructured message (printf lines outside the printf catalogue).
   */
  match: { msg?: string[]; printf?: string[]; prefix?: string[] };
  /** Event kind shown to users, e.g. `api.add`, `worker.terminating.enter`, `runtime.kill`. */
  kind: string;
  lane: Lane;
  /** Only for the pod worker's enter/exit/complete lines; their evidence is `exact`. */
  boundary?: Boundary;
  evidence?: Evidence;
  signal?: Signal;
  /** The signal holds only when each of these keys has this value (`workType: terminating`). */
  signalWhen?: Record<string, string | boolean>;
  incident?: MessageIncident;
  identity: IdentitySpec[];
  /**
   * The record names a pod only when each of these keys holds this value (`kind: Pod` of `Event
   * occurred`: an event about the node has the node's name in `object`); otherwise it names none.
   */
  identityWhen?: Record<string, string>;
  /** Kubernetes versions with this message, as the reference states them (`1.23-1.26`, `1.28+`, `1.19-1.20`). */
  versions: string;
  /** Real or reference lines (a whole klog line, or a kubelet JSON line) that must match this entry. */
  samples: string[];
  note?: string;
}

export interface Catalogue {
  lanes: Lane[];
  entries: CatalogueEntry[];
}
