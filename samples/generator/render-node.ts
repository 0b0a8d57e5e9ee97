// Node-level kubelet messages: start-up (flags dump, version, listeners, registration), node
// conditions and events, the eviction manager, PLEG health, housekeeping noise, leases and
// reflectors, and the `Observed a panic` record of a crash. Same rules as render.ts: the record
// time or -1; a message left out by the verbosity still advances the clock.

import type { PodRt } from './model.js';
import type { Renderer } from './render.js';
import type { Site } from './sites.js';
import { goQuote } from './values.js';
import { goDuration } from './timefmt.js';
import { PANIC_TEXT, PANIC_VALUE } from './crash.js';

/** The flags a kubelet prints at V1 when it starts (component-base PrintFlags, sorted by name). */
const FLAGS: ReadonlyArray<readonly [string, string]> = [
  ['address', '0.0.0.0'],
  ['anonymous-auth', 'true'],
  ['authentication-token-webhook', 'false'],
  ['bootstrap-kubeconfig', '/etc/kubernetes/bootstrap-kubelet.conf'],
  ['cgroup-driver', 'cgroupfs'],
  ['config', '/var/lib/kubelet/config.yaml'],
  ['container-runtime-endpoint', 'unix:///run/containerd/containerd.sock'],
  ['eviction-hard', 'imagefs.available<15%,memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%'],
  ['feature-gates', ''],
  ['healthz-port', '10248'],
  ['hostname-override', ''],
  ['kubeconfig', '/etc/kubernetes/kubelet.conf'],
  ['max-pods', '110'],
  ['node-ip', ''],
  ['node-labels', ''],
  ['pod-infra-container-image', 'registry.k8s.io/pause:3.9'],
  ['port', '10250'],
  ['register-node', 'true'],
  ['root-dir', '/var/lib/kubelet'],
  ['runtime-request-timeout', '2m0s'],
  ['sync-frequency', '1m0s'],
  ['v', '4'],
  ['volume-plugin-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/'],
];

export class NodeMessages {
  constructor(private readonly R: Renderer) {}

  private get S() {
    return this.R.S;
  }

  private plain(site: Site, msg: string, dot = false): number {
    return this.R.legacy ? this.R.p('I', 0, site, msg + (dot ? '.' : '')) : this.R.s('I', 0, site, msg, '');
  }

  /** Kubelet start-up messages; returns the time of the first record. */
  startupLines(version: string, verbosity: number, runtimeEndpoint: string): number {
    const R = this.R;
    const L = R.legacy;
    const node = R.opts.node;
    let first = -1;
    const keep = (t: number): void => {
      if (first < 0 && t >= 0) first = t;
    };
    for (const [k, v] of FLAGS) {
      const value = k === 'v' ? String(verbosity) : k === 'container-runtime-endpoint' ? runtimeEndpoint : k === 'hostname-override' ? node : v;
      keep(R.p('I', 1, this.S.flags, `FLAG: --${k}=${goQuote(value)}`));
    }
    if (L) keep(R.p('I', 0, this.S.serverVersion, `Version: ${version}`));
    else {
      keep(R.s('I', 0, this.S.serverVersion, 'Kubelet version', R.f.s('kubeletVersion', version)));
      R.s('I', 0, this.S.serverGolang, 'Golang settings', R.f.s('GOGC', '') + R.f.s('GOMAXPROCS', '') + R.f.s('GOTRACEBACK', ''));
    }
    this.plain(this.S.serverClientRotation, 'Client rotation is on, will bootstrap in background');
    if (L) R.p('I', 0, this.S.kubeletServer, 'Starting to listen on 0.0.0.0:10250');
    else R.s('I', 0, this.S.kubeletServer, 'Starting to listen', R.f.s('address', '0.0.0.0') + R.f.n('port', 10250));
    this.plain(this.S.volumeManagerStart, 'Starting Kubelet Volume Manager');
    this.plain(this.S.statusStart, 'Starting to sync pod status with apiserver');
    this.plain(this.S.mainSyncLoop, 'Starting kubelet main sync loop', true);
    this.plain(this.S.populatorStart, 'Desired state populator starts to run');
    this.plain(this.S.reconcilerStart, 'Reconciler: start to sync state');
    for (const ev of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) this.recordingNodeEvent(ev);
    if (L) R.p('I', 0, this.S.attemptRegister, `Attempting to register node ${node}`);
    else R.s('I', 0, this.S.attemptRegister, 'Attempting to register node', R.f.kobj('node', '', node));
    if (L) R.p('I', 0, this.S.previouslyRegistered, `Node ${node} was previously registered`);
    else R.s('I', 0, this.S.previouslyRegistered, 'Node was previously registered', R.f.kobj('node', '', node));
    if (L) R.p('I', 0, this.S.successfullyRegistered, `Successfully registered node ${node}`);
    else R.s('I', 0, this.S.successfullyRegistered, 'Successfully registered node', R.f.kobj('node', '', node));
    this.nodeEvent('Normal', 'Starting', 'Starting kubelet.');
    return first;
  }

  /** `Recording event message for node` (V2): node condition changes (NodeReady, NodeHasInsufficientMemory, …). */
  recordingNodeEvent(event: string): number {
    const R = this.R;
    const node = R.opts.node;
    if (R.legacy) return R.p('I', 2, this.S.recordingNodeEvent, `Recording ${event} event message for node ${node}`);
    return R.s('I', 2, this.S.recordingNodeEvent, 'Recording event message for node', R.f.kobj('node', '', node) + R.f.s('event', event));
  }

  nodeEvent(type: 'Normal' | 'Warning', reason: string, message: string): number {
    const R = this.R;
    if (!R.on(3)) return R.sink.skip();
    return R.eventOf(R.f.kobj('object', '', R.opts.node), '', 'Node', '', type, reason, message);
  }

  /** setters.go (V0): the Ready condition turned False. */
  nodeNotReady(message: string, sinceIso: string): number {
    const R = this.R;
    const node = R.opts.node;
    if (R.legacy) {
      return R.p('I', 0, this.S.nodeNotReady, `Node became not ready: {Type:Ready Status:False LastHeartbeatTime:${sinceIso} LastTransitionTime:${sinceIso} Reason:KubeletNotReady Message:${message}}`);
    }
    const plusV = `{Type:Ready Status:False LastHeartbeatTime:${sinceIso} LastTransitionTime:${sinceIso} Reason:KubeletNotReady Message:${message}}`;
    const json = `{"type":"Ready","status":"False","lastHeartbeatTime":"${sinceIso}","lastTransitionTime":"${sinceIso}","reason":"KubeletNotReady","message":${JSON.stringify(message)}}`;
    return R.s('I', 0, this.S.nodeNotReady, 'Node became not ready', R.f.kobj('node', '', node) + R.f.obj('condition', plusV, json));
  }

  /** kubelet.go updateRuntimeUp (≤1.25 logs it on its own line). */
  runtimeNetworkNotReady(status: string): number {
    const R = this.R;
    if (R.minor >= 26) return -1;
    if (R.legacy) return R.p('E', 0, this.S.runtimeNetworkNotReady, `Container runtime network not ready: ${status}`);
    return R.s('E', 0, this.S.runtimeNetworkNotReady, 'Container runtime network not ready', R.f.s('networkReady', status), 'network plugin is not ready: cni config uninitialized');
  }

  /** syncLoop: the runtime is unhealthy (PLEG), no pod is synced this iteration. */
  skippingPodSync(err: string): number {
    const R = this.R;
    if (R.legacy) return R.p('E', 0, this.S.skippingPodSync, `skipping pod synchronization - ${err}`);
    return R.s('E', 0, this.S.skippingPodSync, 'Skipping pod synchronization', '', err);
  }

  // ---------------------------------------------------------------- eviction manager

  private podsKv(pods: readonly PodRt[]): string {
    return this.R.f.pods('pods', this.R.podList(pods));
  }

  private descs(pods: readonly PodRt[]): string {
    return pods.map((p) => p.fr.desc).join(', ');
  }

  evictionReclaim(resource: string): number {
    const R = this.R;
    if (R.legacy) return R.p('W', 0, this.S.evictionReclaim, `eviction manager: attempting to reclaim ${resource}`);
    return R.s('I', 0, this.S.evictionReclaim, 'Eviction manager: attempting to reclaim', R.f.s('resourceName', resource));
  }
  evictionMustEvict(resource: string): number {
    const R = this.R;
    if (R.legacy) return R.p('I', 0, this.S.evictionMustEvict, `eviction manager: must evict pod(s) to reclaim ${resource}`);
    return R.s('I', 0, this.S.evictionMustEvict, 'Eviction manager: must evict pod(s) to reclaim', R.f.s('resourceName', resource));
  }
  evictionRanked(pods: readonly PodRt[]): number {
    const R = this.R;
    if (R.legacy) return R.p('I', 0, this.S.evictionRanked, `eviction manager: pods ranked for eviction: ${this.descs(pods)}`);
    return R.s('I', 0, this.S.evictionRanked, 'Eviction manager: pods ranked for eviction', this.podsKv(pods));
  }
  evictingPod(p: PodRt, message: string): number {
    const R = this.R;
    if (R.legacy) return -1;
    return R.s('I', 3, this.S.evictingPod, 'Evicting pod', p.fr.kPodUid + R.f.s('message', message));
  }
  evictionEvicted(p: PodRt): number {
    const R = this.R;
    if (R.legacy) return R.p('I', 0, this.S.evictionEvicted, `eviction manager: pod ${p.fr.desc} is evicted successfully`);
    return R.s('I', 0, this.S.evictionEvicted, 'Eviction manager: pod is evicted successfully', p.fr.kPod);
  }
  evictionWaiting(pods: readonly PodRt[]): number {
    const R = this.R;
    if (R.legacy) return R.p('I', 0, this.S.evictionWaiting, `eviction manager: pods ${this.descs(pods)} evicted, waiting for pod to be cleaned up`);
    return R.s('I', 0, this.S.evictionWaiting, 'Eviction manager: pods evicted, waiting for pod to be cleaned up', this.podsKv(pods));
  }
  evictionCleaned(pods: readonly PodRt[]): number {
    const R = this.R;
    if (R.legacy) return R.p('I', 0, this.S.evictionCleaned, `eviction manager: pods ${this.descs(pods)} successfully cleaned up`);
    return R.s('I', 0, this.S.evictionCleaned, 'Eviction manager: pods successfully cleaned up', this.podsKv(pods));
  }
  evictionHousekeeping(): number {
    const R = this.R;
    if (R.legacy) return R.p('I', 3, this.S.evictionHousekeeping, 'eviction manager: synchronize housekeeping');
    return R.s('I', 3, this.S.evictionHousekeeping, 'Eviction manager: synchronize housekeeping', '');
  }
  evictionNoStarved(): number {
    const R = this.R;
    if (R.legacy) return R.p('I', 3, this.S.evictionNoStarved, 'eviction manager: no resources are starved');
    return R.s('I', 3, this.S.evictionNoStarved, 'Eviction manager: no resources are starved', '');
  }

  // ---------------------------------------------------------------- housekeeping, leases, reflectors, cAdvisor

  housekeeping(): number {
    const R = this.R;
    if (R.legacy) return R.p('I', 4, this.S.housekeeping, 'SyncLoop (housekeeping)');
    return R.s('I', 4, this.S.housekeeping, 'SyncLoop (housekeeping)', '');
  }
  housekeepingEnd(durationNs: number): number {
    const R = this.R;
    if (R.legacy) return -1;
    return R.s('I', 4, this.S.housekeepingEnd, 'SyncLoop (housekeeping) end', R.minor >= 28 ? R.f.s('duration', goDuration(durationNs)) : '');
  }
  cleanupLines(): void {
    const R = this.R;
    if (!R.newWorker) return;
    R.s('I', 3, this.S.cleanPodWorkers, 'Clean up pod workers for terminated pods', '');
    R.s('I', 3, this.S.cleanOrphanDirs, 'Clean up orphaned pod directories', '');
    R.s('I', 3, this.S.cleanOrphanCgroups, 'Clean up orphaned pod cgroups', '');
  }
  leaseFailed(err: string): number {
    const R = this.R;
    if (R.legacy) return R.p('E', 0, this.S.leaseUpdate, `failed to update node lease, error: ${err}`);
    return R.s('E', 0, this.S.leaseUpdate, 'Failed to update lease', '', err);
  }
  nodeStatusError(err: string): number {
    const R = this.R;
    if (R.legacy) return R.p('E', 0, this.S.nodeStatusError, `Error updating node status, will retry: ${err}`);
    return R.s('E', 0, this.S.nodeStatusError, 'Error updating node status, will retry', '', err);
  }
  reflectorWatchClosed(type: string): number {
    const src = this.R.minor >= 26 ? 'k8s.io/client-go/informers/factory.go:150' : 'k8s.io/client-go/informers/factory.go:134';
    return this.R.p(
      'W',
      0,
      this.S.reflectorWatch,
      `${src}: watch of *v1.${type} ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding`,
    );
  }
  reflectorStart(kind: string, ns: string, name: string): number {
    return this.R.p('I', this.R.legacy ? 2 : 3, this.S.reflectorStart, `Starting reflector *v1.${kind} (0s) from object-"${ns}"/"${name}"`);
  }
  reflectorStop(kind: string, ns: string, name: string): number {
    return this.R.p('I', this.R.legacy ? 2 : 3, this.S.reflectorStop, `Stopping reflector *v1.${kind} (0s) from object-"${ns}"/"${name}"`);
  }
  cadvisorWatchEvent(cgroupSlice: string, id: string): number {
    if (this.R.rt !== 'containerd') return -1;
    return this.R.p('W', 0, this.S.cadvisorWatch, `Failed to process watch event {EventType:0 Name:${cgroupSlice}/cri-containerd-${id}.scope WatchSource:0}: task ${id} not found: not found`);
  }
  cadvisorDestroyed(p: PodRt, cgroupSlice: string, id: string, containerName: string): number {
    if (this.R.rt !== 'docker') return -1;
    return this.R.p(
      'I',
      3,
      this.S.cadvisorDestroyed,
      `Destroyed container: "${cgroupSlice}/docker-${id}.scope" (aliases: [k8s_${containerName}_${p.name}_${p.ns}_${p.uid}_0 ${id}], namespace: "docker")`,
    );
  }

  // ---------------------------------------------------------------- a crash

  /**
   * apimachinery HandleCrash: `Observed a panic` with the stack, printf ≤1.29, structured
   * (`panic=`, `panicGoValue=`, `stacktrace=<` block) from 1.30.
   */
  observedPanic(stack: readonly string[]): number {
    const R = this.R;
    const goValue = goQuote(PANIC_VALUE);
    if (R.minor >= 30) {
      return R.s('E', 0, this.S.observedPanic, 'Observed a panic', R.f.s('panic', PANIC_TEXT) + R.f.s('panicGoValue', goValue) + R.f.s('stacktrace', stack.join('\n') + '\n'));
    }
    return R.p('E', 0, this.S.observedPanic, `Observed a panic: ${goValue} (${PANIC_TEXT})\n${stack.join('\n')}`);
  }
}
