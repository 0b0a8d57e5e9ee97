// Knowledge as data: schemas/lifecycle-catalogue.json. Every sample line parses to one record that
// the lookup maps back to its own entry (so entries cannot shadow each other), identity specs point
// at values the samples really carry, and the phase boundaries are exactly the agreed set.
import { describe, expect, it } from 'vitest';
import { matchPrintf, parseText, printfCatalogue, type KvValue, type LogRecord } from '../parser/index.js';
import data from '../schemas/lifecycle-catalogue.json' with { type: 'json' };
import { entryFor } from '../lifecycle/catalogue.js';
import type { Boundary, Catalogue, CatalogueEntry, Evidence, Lane, MessageIncident, Signal } from '../lifecycle/catalogue-types.js';
import { signalOf } from '../lifecycle/facts.js';

const LANES: Lane[] = ['api', 'worker', 'runtime', 'network', 'volumes', 'cgroups', 'status', 'probes', 'errors'];
const INCIDENTS: MessageIncident[] = ['admission-rejected', 'kill-failed', 'sandbox-failed', 'sync-error', 'mount-failed', 'unmount-failed', 'status-failed', 'probe-failed', 'crash-loop', 'evicted', 'oom-killed', 'grace-exceeded', 'event', 'volume-operation'];
const SIGNALS: Signal[] = ['admit', 'active', 'kill', 'stopped', 'stopped-final', 'cleanup', 'cleanup-final', 'finished', 'orphan', 'pleg'];

/** The phase boundaries of the pod worker's own lines, all of them: entry id → boundary and evidence. */
const BOUNDARIES: Record<string, [Boundary, Evidence]> = {
  // exact: the pod worker's enter/exit/complete lines (1.22+, -v=4; `Pod worker has stopped` -v=3, 1.28+)
  'sync-pod-enter': ['sync-start', 'exact'],
  'sync-pod-exit': ['sync-end', 'exact'],
  'sync-terminating-pod-enter': ['terminating-start', 'exact'],
  'sync-terminating-pod-exit': ['terminating-end', 'exact'],
  'sync-terminating-runtime-pod-enter': ['terminating-start', 'exact'],
  'sync-terminating-runtime-pod-exit': ['terminating-end', 'exact'],
  'sync-terminated-pod-enter': ['terminated-start', 'exact'],
  'sync-terminated-pod-exit': ['terminated-end', 'exact'],
  'worker-complete': ['finished', 'exact'],
  'worker-orphan-finished': ['finished', 'exact'],
  'worker-never-started': ['finished', 'exact'],
  'worker-stopped': ['finished', 'exact'],
};

/** Every spelling of a boundary message, as a structured msg or a printf body, with what it must mark. */
const BOUNDARY_MESSAGES: [string, Boundary, Evidence][] = [
  ['syncPod enter', 'sync-start', 'exact'],
  ['SyncPod enter', 'sync-start', 'exact'],
  ['syncPod exit', 'sync-end', 'exact'],
  ['SyncPod exit', 'sync-end', 'exact'],
  ['syncTerminatingPod enter', 'terminating-start', 'exact'],
  ['SyncTerminatingPod enter', 'terminating-start', 'exact'],
  ['SyncTerminatingRuntimePod enter', 'terminating-start', 'exact'],
  ['syncTerminatingPod exit', 'terminating-end', 'exact'],
  ['SyncTerminatingPod exit', 'terminating-end', 'exact'],
  ['SyncTerminatingRuntimePod exit', 'terminating-end', 'exact'],
  ['syncTerminatedPod enter', 'terminated-start', 'exact'],
  ['SyncTerminatedPod enter', 'terminated-start', 'exact'],
  ['syncTerminatedPod exit', 'terminated-end', 'exact'],
  ['SyncTerminatedPod exit', 'terminated-end', 'exact'],
  ['Pod is complete and the worker can now stop', 'finished', 'exact'],
  ['Pod terminated all orphaned containers successfully and worker can now stop', 'finished', 'exact'],
  ['Pod never started and the worker can now stop', 'finished', 'exact'],
  ['Pod worker has stopped', 'finished', 'exact'],
];

/** Messages that look like phase markers but are no exact boundary (see each entry's note). */
const NOT_BOUNDARIES = [
  'Pod termination stopped all running containers', // V4 like the exit line it precedes
  'Pod terminated all containers successfully', // the worker's echo of terminating-end
  'Pod termination unmounted volumes', // inside terminated, not its end
  'All volumes are unmounted for pod',
  'Pod termination removed cgroups',
  'Pod is terminated and will need no more status updates',
  'Pod is in a terminal phase (success/failed), begin teardown',
  'Pod is being evicted by the kubelet, begin teardown',
  'Pod has been terminated and is no longer known to the kubelet, remove all history',
  'Pod fully terminated and removed from etcd',
  'Killing container with a grace period override',
  'SyncLoop ADD',
  'SyncLoop DELETE',
  'SyncLoop REMOVE',
  'Killing container with a grace period',
];

/**
 * What a message tells the inference (no enter/exit lines): every spelling with the signal it must
 * carry, and the key/values its condition reads.
 */
const SIGNAL_MESSAGES: [string, Signal | undefined][] = [
  ['"SyncLoop ADD" source="api" pods=["default/web-0"]', 'admit'],
  ['SyncLoop (ADD, "api"): "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)"', 'admit'],
  ['"Receiving a new pod" pod="default/web-0"', 'admit'],
  ['"SyncLoop DELETE" source="api" pods=["default/web-0"]', 'kill'],
  ['SyncLoop (DELETE, "api"): "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)"', 'kill'],
  // a static pod's manifest event is no graceful deletion
  ['"SyncLoop DELETE" source="file" pods=["kube-system/etcd-node-1"]', undefined],
  ['"Cancelling current pod sync" pod="default/web-0" podUID="57f42639-a88d-4174-8fc1-58f56d572891" workType="terminating"', 'kill'],
  ['"Cancelling current pod sync" pod="default/web-0" podUID="57f42639-a88d-4174-8fc1-58f56d572891" workType="sync"', undefined],
  ['"Pod is marked for graceful deletion, begin teardown" pod="default/web-0"', 'kill'],
  ['"Killing container with a grace period" pod="default/web-0" containerName="app" gracePeriod=30', 'kill'],
  ['Killing container "docker://dc18bc33e791" with a 30 second grace period', 'kill'],
  ['Killing unwanted pod "web-0"', 'kill'],
  ['"Container exited normally" pod="default/web-0" containerName="app"', 'stopped'],
  ['"Generating pod status" podIsTerminal=true pod="default/web-0"', 'stopped-final'],
  ['"Generating pod status" podIsTerminal=false pod="default/web-0"', undefined],
  ['"Pod termination stopped all running containers" pod="default/web-0"', 'stopped-final'],
  ['"Waiting for volumes to unmount for pod" pod="default/web-0"', 'cleanup'],
  ['"Pod termination removed cgroups" pod="default/web-0"', 'cleanup-final'],
  ['"The pod termination is finished as SyncTerminatedPod completes its execution" pod="default/web-0"', 'cleanup-final'],
  ['"SyncLoop REMOVE" source="api" pods=["default/web-0"]', 'finished'],
  ['SyncLoop (REMOVE, "api"): "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)"', 'finished'],
  ['"Pod fully terminated and removed from etcd" pod="default/web-0"', 'finished'],
  ['"Cleaned up orphaned pod volumes dir" podUID="57f42639-a88d-4174-8fc1-58f56d572891"', 'orphan'],
  ['"operationExecutor.VerifyControllerAttachedVolume started for volume \\"tok\\"" pod="default/web-0"', 'active'],
  ['"SyncLoop UPDATE" source="api" pods=["default/web-0"]', undefined],
];

/** §4.2 (pod worker) and §4.3 (sync functions) of the reference: every message kept, by exact msg. */
const WORKER_MESSAGES = [
  // §4.2
  'Pod is being synced for the first time',
  'Pod is finished processing, no further updates',
  'Pod is orphaned and must be torn down',
  'Pod is marked for graceful deletion, begin teardown',
  'Pod is in a terminal phase (success/failed), begin teardown',
  'Pod is being evicted by the kubelet, begin teardown',
  'Pod is being removed by the kubelet, begin teardown',
  'Pod is terminating but has been requested to restart with same UID, will be reconciled later',
  'Pod update is ignored, runtime pods can only be killed',
  'Notifying pod of pending update',
  'Cancelling current pod sync',
  'Pod cannot start yet',
  'Pod cannot start ever',
  'Processing pod event',
  'Processing pod event done',
  'Sync exited with context cancellation error',
  'Error syncing pod, skipping',
  'Pod is terminal',
  'Pod worker has observed request to terminate',
  'Pod indicated lifecycle completed naturally and should now terminate',
  'Pod terminated all containers successfully',
  'Pod terminated all orphaned containers successfully and worker can now stop',
  'Pod is complete and the worker can now stop',
  'Pod never started and the worker can now stop',
  'Pod worker has stopped',
  'Requeueing pod due to pending update',
  'Pod worker has been requested for removal but is still not fully terminated',
  'Pod is orphaned and has not been started',
  'Pod is orphaned and still running, began terminating',
  'Pod is orphaned and still terminating, notified the pod worker',
  'Pod has been terminated but another pod with the same UID was created, remove history to allow restart',
  'Pod has been terminated and is no longer known to the kubelet, remove all history',
  // §4.3
  'syncPod enter',
  'syncPod exit',
  'SyncPod enter',
  'SyncPod exit',
  'Pod is not runnable and must have running containers stopped',
  'KillPod failed',
  'Unable to attach or mount volumes for pod; skipping pod',
  'syncTerminatingPod enter',
  'syncTerminatingPod exit',
  'SyncTerminatingPod enter',
  'SyncTerminatingPod exit',
  'Pod terminating with grace period',
  'Post-termination container state',
  'Pod termination stopped all running containers',
  'Pod termination stopped all running orphan containers',
  'SyncTerminatingRuntimePod enter',
  'SyncTerminatingRuntimePod exit',
  'Orphaned running pod terminating without grace period',
  'Pod termination stopped all running orphaned containers',
  'syncTerminatedPod enter',
  'syncTerminatedPod exit',
  'SyncTerminatedPod enter',
  'SyncTerminatedPod exit',
  'Pod termination unmounted volumes',
  'Pod termination cleaned up volume paths',
  'Pod termination removed cgroups',
  'Pod is terminated and will need no more status updates',
  'Pod has been deleted and must be killed',
  'Failed to delete pod',
  'Got phase for pod',
  'Clean up orphaned pod containers',
  'Clean up containers for orphaned pod we had not seen before',
  'Handling termination and deletion of the pod to pod workers',
  'Orphaned pod found, removing pod cgroups',
  'Orphaned pod found, but volumes not yet removed.  Reducing cpu to minimum',
  'Pod is terminated, but some containers are still running',
  'Pod is terminated, but some volumes have not been cleaned up',
  'Pod is terminated, but pod cgroup sandbox has not been cleaned up',
  'Pod is terminated and all resources are reclaimed',
];

/** §4.3 lines left out on purpose: housekeeping ticks that name no pod, per-sync noise, mirror bookkeeping. */
const LEFT_OUT = [
  'Clean up pod workers for terminated pods',
  'Clean up orphaned pod directories',
  'Clean up orphaned pod cgroups',
  'Unable to find pod for mirror pod, skipping',
  'SyncLoop (housekeeping)',
  'SyncLoop (SYNC) pods',
];

/** Other lifecycle messages the catalogue must know (§4.1, §4.5-§4.13), by exact msg. */
const OTHER_MESSAGES = [
  'SyncLoop ADD', 'SyncLoop UPDATE', 'SyncLoop REMOVE', 'SyncLoop RECONCILE', 'SyncLoop DELETE',
  'SyncLoop (PLEG): event for pod', 'SyncLoop (probe)', 'Receiving a new pod',
  'Topology Admit Handler', 'Failed to admit pod', 'Pod admission denied', 'Predicate failed on Pod', 'Failed to admit pod to node',
  'No sandbox for pod can be found. Need to start a new one', 'Creating PodSandbox for pod', 'Created PodSandbox for pod',
  'CreatePodSandbox for pod failed', 'Failed to create sandbox for pod', 'Creating container in pod',
  'Running preStop hook', 'PreStop hook completed', 'PreStop hook not completed in grace period', 'PreStop hook failed',
  'Killing container with a grace period override', 'Killing container with a grace period', 'Container exited normally',
  'Kill container failed', 'Container termination failed with gracePeriod', 'killContainer for pod failed', 'killPodWithSyncResult failed',
  'Generic (PLEG): container finished', 'GenericPLEG', 'RemoveContainer', 'Observed pod startup duration', 'Event occurred',
  'Calling network plugin to tear down the pod', 'Deleting pod from network', 'Deleted pod from network',
  'Waiting for volumes to attach and mount for pod', 'All volumes are attached and mounted for pod',
  'Waiting for volumes to unmount for pod', 'All volumes are unmounted for pod', 'Cleaned up orphaned pod volumes dir',
  'Orphaned pod found, removing', 'Orphaned pod found, but volumes are not cleaned up', 'Pod found, but volumes are still mounted on disk',
  'There were many similar errors. Turn up verbosity to see them.',
  'Attempting to kill process from cgroup', 'Failed to delete cgroup paths',
  'Patch status for pod', 'Status for pod updated successfully', 'Status for pod is up-to-date', 'Pod fully terminated and removed from etcd',
  'Pod does not exist on the server', 'Failed to update status for pod',
  // a probe's every success is noise in a table but the probe lane's beat on a timeline (issue 15)
  'Probe failed', 'Probe succeeded', 'Probe succeeded with a warning', 'Evicting pod', 'Eviction manager: pod is evicted successfully',
];

/** Unstructured bodies (printf ids and prefixes, ≤1.20 and the printf lines of every version) → entry. */
const PRINTF_BODIES: [string, string][] = [
  ['SyncLoop (UPDATE, "api"): "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)"', 'syncloop-update'],
  ['SyncLoop (RECONCILE, "api"): "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)"', 'syncloop-reconcile'],
  ['SyncLoop (PLEG): "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)", event: &pleg.PodLifecycleEvent{ID:"57f42639-a88d-4174-8fc1-58f56d572891", Type:"ContainerDied", Data:"c5249d48"}', 'pleg-event'],
  ['SyncLoop (container unhealthy): "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)"', 'syncloop-probe'],
  ['[topologymanager] Topology Admit Handler', 'topology-admit'],
  ['Error syncing pod 57f42639-a88d-4174-8fc1-58f56d572891 ("web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)"), skipping: network is not ready', 'error-syncing-pod'],
  ['Killing container "docker://dc18bc33e791", but using a 1 second grace period override', 'killing-container-override'],
  ['Container "docker://dc18bc33e791" exited normally', 'container-exited'],
  ['Container "docker://dc18bc33e791" termination failed with gracePeriod 30: rpc error', 'container-termination-failed'],
  ['Failed killing the pod "web-0": rpc error', 'failed-killing-pod'],
  ['Calling network plugin cni to tear down pod "web-0_data"', 'network-teardown'],
  ['Orphaned pod "57f42639-a88d-4174-8fc1-58f56d572891" found, removing', 'orphan-pod-removing'],
  ['Orphaned pod "57f42639-a88d-4174-8fc1-58f56d572891" found, removing pod cgroups', 'orphan-cgroups'],
  ['Orphaned pod "57f42639-a88d-4174-8fc1-58f56d572891" found, but volumes are not cleaned up', 'orphan-volumes-not-cleaned'],
  ['orphaned pod "57f42639-a88d-4174-8fc1-58f56d572891" found, but volume paths are still present on disk : There were a total of 1 errors similar to this. Turn up verbosity to see them.', 'orphan-cleanup-errors'],
  ['Destroyed container: "/kubepods/besteffort/pod57f42639-a88d-4174-8fc1-58f56d572891/dc18bc33e791" (aliases: [], namespace: "containerd")', 'cadvisor-destroyed'],
  ['UnmountVolume.TearDown succeeded for volume "kubernetes.io/secret/57f42639-a88d-4174-8fc1-58f56d572891-token" (OuterVolumeSpecName: "token") pod "57f42639-a88d-4174-8fc1-58f56d572891" (UID: "57f42639-a88d-4174-8fc1-58f56d572891"). InnerVolumeSpecName "token". PluginName "kubernetes.io/secret", VolumeGidValue ""', 'volume-teardown-succeeded'],
  ['Readiness probe for "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891):nginx" failed (failure): connection refused', 'probe-failed'],
  ['Liveness probe for "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891):nginx" succeeded', 'probe-succeeded'],
  ['Patch status for pod "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)" with "{\\"metadata\\":{\\"uid\\":\\"57f42639-a88d-4174-8fc1-58f56d572891\\"}}"', 'status-patch'],
];

/** printf formats of schemas/printf-messages.json that are not pod-lifecycle events. */
const PRINTF_LEFT_OUT: string[] = [];

// ---------------------------------------------------------------------------------------------

const catalogue = data as Catalogue;
const entries = catalogue.entries;
const entryById = (id: string): CatalogueEntry | undefined => entries.find((e) => e.id === id);
// a dashed UID (underscores in systemd cgroup names) or a static pod's 32-hex hash, not part of a 64-hex container ID
const UID = /[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}|(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/;
const SPEC = /^(uid|ref|desc|container|text):([A-Za-z_][A-Za-z0-9_]*|\*)(\.([A-Za-z_][A-Za-z0-9_]*|\*))*$/;

function parseOne(line: string): LogRecord {
  const r = parseText(line, { year: 2024 });
  expect(r.rejected, line).toEqual([]);
  expect(r.foreign, line).toEqual([]);
  expect(r.records, line).toHaveLength(1);
  return r.records[0]!;
}

function klogLine(body: string): string {
  return `I0607 06:00:00.000000    1234 test.go:1] ${body}`;
}

/** Values at a dotted kv path (`*` = every element); a JSON string met on the way is parsed (`patch`). */
function resolve(kv: Record<string, KvValue>, path: string): KvValue[] {
  let cur: KvValue[] = [kv];
  for (const seg of path.split('.')) {
    const next: KvValue[] = [];
    for (let v of cur) {
      if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
        try {
          v = JSON.parse(v) as KvValue;
        } catch {
          continue;
        }
      }
      if (v === null || typeof v !== 'object') continue;
      if (seg === '*') next.push(...(Array.isArray(v) ? v : Object.values(v)));
      else if (!Array.isArray(v) && seg in v) next.push(v[seg]!);
    }
    cur = next;
  }
  return cur.filter((v) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
}

const text = (v: KvValue): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Does this value fit what the spec's kind promises? */
function fits(kind: string, v: KvValue): boolean {
  const s = text(v);
  switch (kind) {
    case 'uid':
      return UID.test(s);
    case 'ref': {
      // ns/name, a bare name, {name, namespace}, a list of those, or 1.26's quoted "[a/b c/d]"
      const refs = Array.isArray(v) ? v : [v];
      return refs.every((x) => (typeof x === 'string' ? /^\[?[\w.-]+(\/[\w.-]+)?( [\w.-]+(\/[\w.-]+)?)*\]?$/.test(x) : typeof x === 'object' && x !== null && 'name' in x));
    }
    case 'desc':
      return /^[\w.-]+_[\w.-]+(\([0-9a-f-]+\))?/.test(s);
    case 'container':
      return /[0-9a-f]{12}/.test(s);
    default:
      return UID.test(s);
  }
}

/** How a record reached its entry: the same order as entryFor. */
function route(e: CatalogueEntry, r: LogRecord): 'msg' | 'printf' | 'prefix' {
  if (r.structured && e.match.msg?.includes(r.msg)) return 'msg';
  if (r.printf && e.match.printf?.includes(r.printf)) return 'printf';
  return 'prefix';
}

const parsed = new Map<string, LogRecord[]>(entries.map((e) => [e.id, e.samples.map((s) => parseText(s, { year: 2024 }).records[0]!)]));

describe('schemas/lifecycle-catalogue.json', () => {
  it('has unique kebab-case ids, the lanes of the type, valid kinds, anomalies and versions', () => {
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(catalogue.lanes).toEqual(LANES);
    for (const e of entries) {
      expect(e.id, e.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(LANES, e.id).toContain(e.lane);
      expect(e.kind.startsWith(`${e.lane}.`), `${e.id}: kind ${e.kind} on lane ${e.lane}`).toBe(true);
      expect(e.kind, e.id).toMatch(/^[a-z]+(\.[a-z]+(-[a-z]+)*)+$/);
      if (e.incident !== undefined) expect(INCIDENTS, e.id).toContain(e.incident);
      if (e.signal !== undefined) expect(SIGNALS, e.id).toContain(e.signal);
      // exact boundaries only: what other lines show is a signal
      if (e.boundary !== undefined) expect(e.evidence, e.id).toBe('exact');
      if (e.signalWhen !== undefined) expect(e.signal, `${e.id}: a condition without a signal`).toBeDefined();
      expect(e.versions, e.id).toMatch(/1\.\d\d/);
      expect(e.samples.length, e.id).toBeGreaterThan(0);
      expect(e.identity.length, e.id).toBeGreaterThan(0);
    }
    expect(entries.length).toBeGreaterThanOrEqual(120);
  });

  it('matches on known printf ids, and no msg, printf id or prefix is claimed twice', () => {
    const printfIds = new Set(printfCatalogue.map((p) => p.id));
    const seen = { msg: new Map<string, string>(), printf: new Map<string, string>(), prefix: new Map<string, string>() };
    for (const e of entries) {
      const { msg = [], printf = [], prefix = [] } = e.match;
      expect(msg.length + printf.length + prefix.length, e.id).toBeGreaterThan(0);
      for (const p of printf) expect(printfIds.has(p), `${e.id}: unknown printf id ${p}`).toBe(true);
      for (const [kind, list] of [['msg', msg], ['printf', printf], ['prefix', prefix]] as const) {
        for (const m of list) {
          expect(seen[kind].get(m), `${kind} ${JSON.stringify(m)} in ${e.id}`).toBeUndefined();
          seen[kind].set(m, e.id);
          expect(m.length, e.id).toBeGreaterThan(kind === 'prefix' ? 8 : 2);
        }
      }
    }
  });

  it('every printf format is catalogued unless left out on purpose', () => {
    const used = new Set(entries.flatMap((e) => e.match.printf ?? []));
    for (const p of printfCatalogue) expect(used.has(p.id) || PRINTF_LEFT_OUT.includes(p.id), `printf ${p.id}`).toBe(true);
    for (const id of PRINTF_LEFT_OUT) expect(used.has(id)).toBe(false);
  });

  it.each(entries.map((e) => [e.id, e] as const))('%s: every sample is one whole line that maps back to the entry', (_id, e) => {
    const routes = new Set<string>();
    for (const sample of e.samples) {
      expect(sample.includes('\n'), sample).toBe(false);
      const r = parseOne(sample);
      expect(r.format === 'klog' || r.format === 'json' || r.format === 'headerless', sample).toBe(true);
      expect(entryFor(r)?.id, sample).toBe(e.id);
      routes.add(route(e, r));
    }
    // each way the entry matches is exercised by a sample
    for (const kind of ['msg', 'printf', 'prefix'] as const) if (e.match[kind]?.length) expect(routes.has(kind), `${e.id}: no sample for its ${kind} match`).toBe(true);
    // at least one sample carries a klog header or is a kubelet JSON line (not only header-less trace lines)
    expect(e.samples.some((s) => parseOne(s).format !== 'headerless'), e.id).toBe(true);
  });

  it.each(entries.map((e) => [e.id, e] as const))('%s: identity specs are valid and resolve in a sample', (_id, e) => {
    const records = parsed.get(e.id)!;
    expect(new Set(e.identity).size).toBe(e.identity.length);
    for (const spec of e.identity) {
      expect(spec, e.id).toMatch(SPEC);
      const [kind, path] = [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)];
      const values = records.flatMap((r) => (kind === 'text' && path === 'msg' ? [r.msg] : resolve(r.kv, path)));
      expect(values.length, `${e.id}: ${spec} resolves in no sample`).toBeGreaterThan(0);
      if (kind === 'text') expect(values.some((v) => UID.test(text(v))), `${e.id}: ${spec} holds no UID in any sample`).toBe(true);
      else expect(values.some((v) => fits(kind, v)), `${e.id}: ${spec} = ${values.map(text).join(' | ')}`).toBe(true);
    }
  });

  it('carries exactly the agreed phase boundaries', () => {
    const actual: Record<string, [Boundary, Evidence]> = {};
    for (const e of entries) {
      expect(e.boundary === undefined, `${e.id}: boundary and evidence go together`).toBe(e.evidence === undefined);
      if (e.boundary) actual[e.id] = [e.boundary, e.evidence!];
    }
    expect(actual).toEqual(BOUNDARIES);
    for (const id of Object.keys(BOUNDARIES)) expect(entryById(id), id).toBeDefined();
  });

  it.each(BOUNDARY_MESSAGES)('%s marks %s (%s)', (message, boundary, evidence) => {
    const r = message.includes('"') ? parseOne(klogLine(message)) : parseOne(klogLine(JSON.stringify(message)));
    const e = entryFor(r);
    expect(e?.boundary).toBe(boundary);
    expect(e?.evidence).toBe(evidence);
  });

  it.each(SIGNAL_MESSAGES)('%s signals %s', (message, signal) => {
    const r = parseOne(klogLine(message));
    expect(signalOf(r, entryFor(r))).toBe(signal);
  });

  it.each(NOT_BOUNDARIES)('%s is an event without an exact boundary', (message) => {
    const e = entryFor({ msg: message, structured: true });
    expect(e).toBeDefined();
    expect(e?.boundary).toBeUndefined();
  });

  it.each(WORKER_MESSAGES)('§4.2/§4.3 %s is catalogued', (message) => {
    expect(entryFor({ msg: message, structured: true })?.match.msg).toContain(message);
  });

  it.each(OTHER_MESSAGES)('%s is catalogued', (message) => {
    expect(entryFor({ msg: message, structured: true })?.match.msg).toContain(message);
  });

  it.each(LEFT_OUT)('%s is left out', (message) => {
    expect(entryFor({ msg: message, structured: true })).toBeUndefined();
  });

  it.each(PRINTF_BODIES)('printf %s', (body, id) => {
    const r = parseOne(klogLine(body));
    expect(r.structured).toBe(false);
    expect(entryFor(r)?.id).toBe(id);
  });

  it('reads printf kv the way the identity specs expect', () => {
    expect(matchPrintf('SyncLoop (DELETE, "api"): "a_b(c)"')?.kv.pods).toBe('a_b(c)');
    const e = entryById('status-patch')!;
    const r = parseOne(e.samples.find((s) => s.includes('status_manager.go:564'))!);
    expect(resolve(r.kv, 'patch.metadata.uid')).toEqual([expect.stringMatching(UID)]);
  });

  it('incidents sit on the failure messages', () => {
    const byIncident: Record<string, string[]> = {};
    for (const e of entries) if (e.incident) (byIncident[e.incident] ??= []).push(e.id);
    expect(Object.keys(byIncident).sort()).toEqual([...INCIDENTS].sort());
    for (const id of ['kill-container-failed', 'container-termination-failed', 'kill-container-for-pod-failed', 'killpod-failed', 'failed-killing-pod', 'killpod-syncresult-failed']) {
      expect(entryById(id)?.incident, id).toBe('kill-failed');
    }
    expect(entryById('error-syncing-pod')?.incident).toBe('sync-error');
    expect(entryById('unable-to-mount')?.incident).toBe('mount-failed');
    expect(entryById('create-sandbox-failed')?.incident).toBe('sandbox-failed');
    expect(entryById('status-update-failed')?.incident).toBe('status-failed');
    expect(entryById('volume-operation-failed')?.incident).toBe('volume-operation');
  });
});
