// The lifecycle message catalogue's shape (data: schemas/lifecycle-catalogue.json). Each entry says
// which records it matches, what kind of event that is, on which lane it sits, which phase
// boundary (if any) it marks, and where the pod's identity is in the record.

export type Lane = 'api' | 'worker' | 'runtime' | 'network' | 'volumes' | 'cgroups' | 'status' | 'probes' | 'errors';

/**
 * Phase boundaries. `exact` boundaries come from the pod worker's enter/exit lines (1.22+, -v=4);
 * `inferred` ones from other messages when those lines are absent (-v=2, ≤ 1.21).
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

/** An anomaly a single message shows by itself (multi-record anomalies are computed). */
export type MessageAnomaly =
  | 'kill-failed' // Kill container failed, killContainer … failed, Container termination failed with gracePeriod
  | 'killpod-failed' // KillPod failed, killPod for pod … failed, Failed killing the pod
  | 'sync-error' // Error syncing pod, skipping
  | 'mount-failed' // Unable to attach or mount volumes, MountVolume.SetUp failed, MountVolume.MountDevice failed
  | 'unmount-failed' // UnmountVolume.TearDown failed, … volumes are still mounted
  | 'probe-failed' // Probe failed, %s probe for %q failed
  | 'sandbox-failed' // CreatePodSandbox for pod failed, Failed to create sandbox for pod
  | 'admission-failed' // Failed to admit pod, Pod admission denied
  | 'status-failed'; // Failed to update status for pod

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
  boundary?: Boundary;
  evidence?: Evidence;
  anomaly?: MessageAnomaly;
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
