// The message catalogue: one method per kubelet message, rendered for the configured kubelet
// version (message text, keys in call order, value era) and filtered by verbosity.
// Every method returns the epoch-µs time of the emitted record, or -1 when the message does not
// exist in this version or is above the configured verbosity.

import type { KubeletVersion, Severity } from './types.js';
import type { ContainerRt, PodFrags, PodRt, VolumeRt } from './model.js';
import { Fmt, goQuote, type Era } from './values.js';
import { resolveSites, type Site, type SiteKey, type SiteVersion } from './sites.js';
import { goDuration } from './timefmt.js';

export interface RecordSink {
  /** Emit one record. `body` is the text after the klog header, or for JSON everything after `"msg":` without the closing brace. */
  record(sev: Severity, site: Site, body: string): number;
}

export interface RendererOptions {
  version: KubeletVersion;
  verbosity: number;
  runtime: 'docker' | 'containerd';
  node: string;
}

const JSON_V = [',"v":0', ',"v":1', ',"v":2', ',"v":3', ',"v":4', ',"v":5'];
const WORK_NAMES = ['sync', 'terminating', 'terminated'] as const;

export const KUBELET_FULL_VERSION: Record<KubeletVersion, string> = {
  '1.20': 'v1.20.15',
  '1.23': 'v1.23.17',
  '1.26': 'v1.26.15',
  '1.28': 'v1.28.7',
  json: 'v1.28.7',
};

export const GO_VERSION: Record<KubeletVersion, string> = {
  '1.20': 'go1.15.15',
  '1.23': 'go1.19.6',
  '1.26': 'go1.21.9',
  '1.28': 'go1.21.7',
  json: 'go1.21.7',
};

export class Renderer {
  readonly f: Fmt;
  readonly json: boolean;
  readonly legacy: boolean; // 1.20 printf era, old pod worker
  /** 120 | 123 | 126 | 128 */
  readonly ver: number;
  readonly V: number;
  readonly S: Record<SiteKey, Site>;
  readonly rt: 'docker' | 'containerd';
  private readonly qcache = new Map<string, string>();

  constructor(
    readonly opts: RendererOptions,
    readonly sink: RecordSink,
  ) {
    const v = opts.version;
    const era: Era = v === 'json' ? 'J' : v === '1.28' ? 'C' : v === '1.26' ? 'B26' : 'A';
    this.f = new Fmt(era);
    this.json = era === 'J';
    this.legacy = v === '1.20';
    this.ver = v === 'json' ? 128 : Number(v.replace('1.', '1'));
    this.V = opts.verbosity;
    const sv: SiteVersion = v === 'json' ? '1.28' : v;
    this.S = resolveSites(sv);
    this.rt = opts.runtime;
  }

  /** Whether a record of verbosity v is logged. */
  on(v: number): boolean {
    return v <= this.V;
  }

  private q(msg: string): string {
    let r = this.qcache.get(msg);
    if (r === undefined) {
      r = this.f.q(msg);
      this.qcache.set(msg, r);
    }
    return r;
  }

  /** Structured record (InfoS/ErrorS). `err` is ErrorS's error (first key in text, last in JSON). */
  s(sev: Severity, v: number, site: Site, msg: string, kv: string, err?: string): number {
    if (v > this.V) return -1;
    const qm = this.q(msg);
    let body: string;
    if (this.json) {
      body = qm + (sev === 'E' ? '' : (JSON_V[v] as string)) + kv + (err === undefined ? '' : ',"err":' + JSON.stringify(err));
    } else {
      body = err === undefined ? qm + kv : qm + this.f.s('err', err) + kv;
    }
    return this.sink.record(sev, site, body);
  }

  /** Structured record whose message is dynamic (quoted per call). */
  sd(sev: Severity, v: number, site: Site, msg: string, kv: string): number {
    if (v > this.V) return -1;
    const qm = this.f.q(msg);
    return this.sink.record(sev, site, this.json ? qm + (sev === 'E' ? '' : (JSON_V[v] as string)) + kv : qm + kv);
  }

  /** printf-style record (Infof/Errorf/Warningf). */
  p(sev: Severity, v: number, site: Site, text: string): number {
    if (v > this.V) return -1;
    if (this.json) {
      const t = text.endsWith('\n') ? text : text + '\n';
      return this.sink.record(sev, site, JSON.stringify(t) + (sev === 'E' ? '' : (JSON_V[v] as string)));
    }
    return this.sink.record(sev, site, text.endsWith('\n') ? text.slice(0, -1) : text);
  }

  // ---------------------------------------------------------------- per-pod fragments

  frags(ns: string, name: string, uid: string): PodFrags {
    const kPod = this.f.kobj('pod', ns, name);
    const kUid = this.f.u('podUID', uid);
    const desc = `${name}_${ns}(${uid})`;
    return { kPod, kUid, kPodUid: kPod + kUid, desc, qDesc: goQuote(desc) };
  }

  private podList(pods: readonly PodRt[]): Array<[string, string]> {
    return pods.map((p) => [p.ns, p.name]);
  }

  private updType(w: 0 | 1 | 2): string {
    return this.ver >= 128 ? this.f.s('updateType', WORK_NAMES[w]) : this.f.n('updateType', w);
  }

  private cName(c: ContainerRt): string {
    return this.f.s('containerName', c.name);
  }

  private cID(c: ContainerRt): string {
    return this.f.s('containerID', c.idFull);
  }

  private cStruct(c: ContainerRt): string {
    return this.f.obj('containerID', `{Type:${this.rt} ID:${c.id}}`, `{"Type":"${this.rt}","ID":"${c.id}"}`);
  }

  // ---------------------------------------------------------------- config / SyncLoop

  receivingNewPod(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.receivingNewPod, `Receiving a new pod ${p.fr.qDesc}`);
    return this.s('I', 4, this.S.receivingNewPod, 'Receiving a new pod', p.fr.kPod);
  }

  syncLoop(op: 'ADD' | 'UPDATE' | 'REMOVE' | 'RECONCILE' | 'DELETE', source: string, pods: readonly PodRt[]): number {
    const v = op === 'RECONCILE' ? 4 : 2;
    const site =
      op === 'ADD' ? this.S.syncLoopAdd : op === 'UPDATE' ? this.S.syncLoopUpdate : op === 'REMOVE' ? this.S.syncLoopRemove : op === 'DELETE' ? this.S.syncLoopDelete : this.S.syncLoopReconcile;
    if (!this.on(v)) return -1;
    if (this.legacy) return this.p('I', v, site, `SyncLoop (${op}, ${goQuote(source)}): ${goQuote(pods.map((p) => p.fr.desc).join(', '))}`);
    return this.s('I', v, site, `SyncLoop ${op}`, this.f.s('source', source) + this.f.pods('pods', this.podList(pods)));
  }

  plegEvent(p: PodRt, type: string, data: string): number {
    if (!this.on(2)) return -1;
    if (this.legacy) {
      return this.p('I', 2, this.S.syncLoopPleg, `SyncLoop (PLEG): ${p.fr.qDesc}, event: &pleg.PodLifecycleEvent{ID:"${p.uid}", Type:"${type}", Data:"${data}"}`);
    }
    return this.s(
      'I',
      2,
      this.S.syncLoopPleg,
      'SyncLoop (PLEG): event for pod',
      p.fr.kPod + this.f.obj('event', `&{ID:${p.uid} Type:${type} Data:${data}}`, `{"ID":"${p.uid}","Type":"${type}","Data":"${data}"}`),
    );
  }

  syncLoopProbe(p: PodRt, probe: string, status: string): number {
    if (this.legacy || !this.on(1)) return -1;
    return this.s('I', 1, this.S.syncLoopProbe, 'SyncLoop (probe)', this.f.s('probe', probe) + this.f.s('status', status) + p.fr.kPod);
  }

  syncLoopSync(pods: readonly PodRt[]): number {
    if (!this.on(4)) return -1;
    if (this.legacy) return this.p('I', 4, this.S.syncLoopSync, `SyncLoop (SYNC): ${pods.length} pods; ${pods.map((p) => p.fr.desc).join(', ')}`);
    return this.s('I', 4, this.S.syncLoopSync, 'SyncLoop (SYNC) pods', this.f.n('total', pods.length) + this.f.pods('pods', this.podList(pods)));
  }

  housekeeping(): number {
    if (this.legacy) return this.p('I', 4, this.S.housekeeping, 'SyncLoop (housekeeping)');
    return this.s('I', 4, this.S.housekeeping, 'SyncLoop (housekeeping)', '');
  }

  housekeepingEnd(durationNs: number): number {
    if (this.legacy) return -1;
    return this.s('I', 4, this.S.housekeepingEnd, 'SyncLoop (housekeeping) end', this.ver >= 128 ? this.f.s('duration', goDuration(durationNs)) : '');
  }

  topologyAdmit(p: PodRt): number {
    if (this.legacy) return this.p('I', 0, this.S.topologyAdmit, '[topologymanager] Topology Admit Handler');
    const kv = this.ver >= 128 ? this.f.u('podUID', p.uid) + this.f.s('podNamespace', p.ns) + this.f.s('podName', p.name) : '';
    return this.s('I', 0, this.S.topologyAdmit, 'Topology Admit Handler', kv);
  }

  // ---------------------------------------------------------------- pod worker (1.22+)

  private pw(site: Site, msg: string, p: PodRt, updateType?: string): number {
    if (this.legacy || !this.on(4)) return -1;
    return this.s('I', 4, site, msg, p.fr.kPodUid + (this.ver >= 128 && updateType !== undefined ? this.f.s('updateType', updateType) : ''));
  }

  /** Messages that carry only podUID from 1.28 on. */
  private pwUid(site: Site, msg: string, p: PodRt): number {
    if (this.legacy || !this.on(4)) return -1;
    return this.s('I', 4, site, msg, this.ver >= 128 ? p.fr.kUid : p.fr.kPodUid);
  }

  firstSync(p: PodRt, updateType: 'create' | 'kill' | 'sync'): number {
    return this.pw(this.S.firstSync, 'Pod is being synced for the first time', p, updateType);
  }
  gracefulDeletion(p: PodRt): number {
    return this.pw(this.S.gracefulDeletion, 'Pod is marked for graceful deletion, begin teardown', p, 'update');
  }
  orphaned(p: PodRt): number {
    return this.pw(this.S.orphaned, 'Pod is orphaned and must be torn down', p, 'kill');
  }
  finishedProcessing(p: PodRt, updateType: 'update' | 'kill'): number {
    return this.pw(this.S.finishedProcessing, 'Pod is finished processing, no further updates', p, updateType);
  }
  processing(p: PodRt, w: 0 | 1 | 2): number {
    if (this.legacy || !this.on(4)) return -1;
    return this.s('I', 4, this.S.processing, 'Processing pod event', p.fr.kPodUid + this.updType(w));
  }
  processingDone(p: PodRt, w: 0 | 1 | 2): number {
    if (this.legacy || !this.on(4)) return -1;
    return this.s('I', 4, this.S.processingDone, 'Processing pod event done', p.fr.kPodUid + this.updType(w));
  }
  podIsTerminal(p: PodRt, w: 0 | 1 | 2): number {
    if (this.legacy || !this.on(4)) return -1;
    return this.s('I', 4, this.S.podIsTerminal, 'Pod is terminal', p.fr.kPodUid + this.updType(w));
  }
  observedTerminate(p: PodRt): number {
    return this.pwUid(this.S.observedTerminate, 'Pod worker has observed request to terminate', p);
  }
  lifecycleCompleted(p: PodRt): number {
    return this.pwUid(this.S.lifecycleCompleted, 'Pod indicated lifecycle completed naturally and should now terminate', p);
  }
  terminatedAll(p: PodRt): number {
    return this.pwUid(this.S.terminatedAll, 'Pod terminated all containers successfully', p);
  }
  completeWorkerStop(p: PodRt): number {
    return this.pwUid(this.S.completeWorkerStop, 'Pod is complete and the worker can now stop', p);
  }
  removeHistory(p: PodRt): number {
    if (this.legacy || !this.on(4)) return -1;
    return this.s('I', 4, this.S.removeHistory, 'Pod has been terminated and is no longer known to the kubelet, remove all history', p.fr.kUid);
  }

  syncError(p: PodRt, err: string): number {
    if (this.legacy) return this.p('E', 0, this.S.syncError, `Error syncing pod ${p.uid} (${p.fr.qDesc}), skipping: ${err}`);
    return this.s('E', 0, this.S.syncError, 'Error syncing pod, skipping', p.fr.kPodUid, err);
  }

  // ---------------------------------------------------------------- kubelet sync functions

  private ks(site: Site, msg: string, p: PodRt, v = 4, extra = ''): number {
    if (this.legacy || !this.on(v)) return -1;
    return this.s('I', v, site, msg, p.fr.kPodUid + extra);
  }

  syncPodEnter(p: PodRt): number {
    return this.ks(this.S.syncPodEnter, this.ver >= 128 ? 'SyncPod enter' : 'syncPod enter', p);
  }
  syncPodExit(p: PodRt, isTerminal: boolean): number {
    if (this.legacy || !this.on(4)) return -1;
    return this.ks(this.S.syncPodExit, this.ver >= 128 ? 'SyncPod exit' : 'syncPod exit', p, 4, this.f.b('isTerminal', isTerminal));
  }
  termEnter(p: PodRt): number {
    return this.ks(this.S.termEnter, this.ver >= 128 ? 'SyncTerminatingPod enter' : 'syncTerminatingPod enter', p);
  }
  termExit(p: PodRt): number {
    return this.ks(this.S.termExit, this.ver >= 128 ? 'SyncTerminatingPod exit' : 'syncTerminatingPod exit', p);
  }
  termdEnter(p: PodRt): number {
    return this.ks(this.S.termdEnter, this.ver >= 128 ? 'SyncTerminatedPod enter' : 'syncTerminatedPod enter', p);
  }
  termdExit(p: PodRt): number {
    return this.ks(this.S.termdExit, this.ver >= 128 ? 'SyncTerminatedPod exit' : 'syncTerminatedPod exit', p);
  }
  graceLine(p: PodRt, grace: number | null): number {
    if (this.legacy || !this.on(4)) return -1;
    if (grace === null) return this.ks(this.S.graceNil, 'Pod terminating with grace period', p, 4, this.f.nil('gracePeriod'));
    return this.ks(this.S.graceInt, 'Pod terminating with grace period', p, 4, this.f.n('gracePeriod', grace));
  }
  postTermState(p: PodRt, finishedAt: (c: ContainerRt) => string): number {
    if (this.legacy) return -1;
    const v = this.ver <= 123 ? 0 : 4;
    if (!this.on(v)) return -1;
    let kv: string;
    if (this.ver <= 123) {
      kv = this.f.s('containers', p.containers.map((c) => `(${c.name} state=exited exitCode=${c.exitCode} finishedAt=${finishedAt(c)})`).join(' '));
    } else {
      kv = this.f.obj(
        'containers',
        `[${p.containers.map((c) => `{Name:${c.name} State:exited ExitCode:${c.exitCode} FinishedAt:${finishedAt(c)}}`).join(' ')}]`,
        `[${p.containers.map((c) => `{"Name":"${c.name}","State":"exited","ExitCode":${c.exitCode},"FinishedAt":"${finishedAt(c)}"}`).join(',')}]`,
      );
    }
    return this.ks(this.S.postTermState, 'Post-termination container state', p, v, kv);
  }
  stoppedAll(p: PodRt): number {
    return this.ks(this.S.stoppedAll, 'Pod termination stopped all running containers', p);
  }
  unmountedVolumes(p: PodRt): number {
    return this.ks(this.S.unmountedVolumes, 'Pod termination unmounted volumes', p);
  }
  cleanedVolumePaths(p: PodRt): number {
    if (this.ver < 128) return -1;
    return this.ks(this.S.cleanedVolumePaths, 'Pod termination cleaned up volume paths', p, 3);
  }
  removedCgroups(p: PodRt): number {
    return this.ks(this.S.removedCgroups, 'Pod termination removed cgroups', p);
  }
  noMoreStatus(p: PodRt): number {
    return this.ks(this.S.noMoreStatus, 'Pod is terminated and will need no more status updates', p);
  }
  deletedMustBeKilled(p: PodRt): number {
    return this.ks(this.S.deletedMustBeKilled, 'Pod has been deleted and must be killed', p, 3);
  }
  generatingStatus(p: PodRt, terminal: boolean): number {
    if (!this.on(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.generatingStatus, `Generating status for ${p.fr.qDesc}`);
    return this.s('I', 3, this.S.generatingStatus, 'Generating pod status', (this.ver >= 128 ? this.f.b('podIsTerminal', terminal) : '') + p.fr.kPod);
  }
  gotPhase(p: PodRt, oldPhase: string, phase: string): number {
    if (this.legacy || !this.on(4)) return -1;
    return this.s('I', 4, this.S.gotPhase, 'Got phase for pod', p.fr.kPod + this.f.u('oldPhase', oldPhase) + this.f.u('phase', phase));
  }
  creatingMirror(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.creatingMirror, `Creating a mirror pod for static pod ${p.fr.qDesc}`);
    return this.s('I', 4, this.S.creatingMirror, 'Creating a mirror pod for static pod', p.fr.kPod);
  }

  // ---------------------------------------------------------------- volumes

  waitingVolumes(p: PodRt): number {
    if (this.legacy) return this.p('I', 3, this.S.waitingVolumes, `Waiting for volumes to attach and mount for pod ${p.fr.qDesc}`);
    return this.s('I', 3, this.S.waitingVolumes, 'Waiting for volumes to attach and mount for pod', p.fr.kPod);
  }
  allMounted(p: PodRt): number {
    if (this.legacy) return this.p('I', 3, this.S.allMounted, `All volumes are attached and mounted for pod ${p.fr.qDesc}`);
    return this.s('I', 3, this.S.allMounted, 'All volumes are attached and mounted for pod', p.fr.kPod);
  }
  waitingUnmount(p: PodRt): number {
    if (this.legacy) return -1;
    return this.s('I', 3, this.S.waitingUnmount, 'Waiting for volumes to unmount for pod', p.fr.kPod);
  }
  allUnmounted(p: PodRt): number {
    if (this.legacy) return -1;
    return this.s('I', 3, this.S.allUnmounted, 'All volumes are unmounted for pod', p.fr.kPod);
  }

  private volDetails(p: PodRt, vol: VolumeRt): string {
    return `(UniqueName: "${vol.unique}") pod "${p.name}" (UID: "${p.uid}")`;
  }

  verifyAttached(p: PodRt, vol: VolumeRt): number {
    const msg = `operationExecutor.VerifyControllerAttachedVolume started for volume "${vol.name}" ${this.volDetails(p, vol)} `;
    if (this.legacy) return this.p('I', 0, this.S.verifyAttached, msg);
    return this.sd('I', 0, this.S.verifyAttached, msg, p.fr.kPod);
  }
  mountStarted(p: PodRt, vol: VolumeRt): number {
    if (!this.on(1)) return -1;
    const msg = `operationExecutor.MountVolume started for volume "${vol.name}" ${this.volDetails(p, vol)} `;
    if (this.legacy) return this.p('I', 1, this.S.mountStarted, msg);
    return this.sd('I', 1, this.S.mountStarted, msg, p.fr.kPod);
  }
  /** v = 1 on first mount, 4 on remount (after a kubelet restart). */
  setupSucceeded(p: PodRt, vol: VolumeRt, v = 1): number {
    if (!this.on(v)) return -1;
    const msg = `MountVolume.SetUp succeeded for volume "${vol.name}" ${this.volDetails(p, vol)} `;
    if (this.legacy) return this.p('I', v, this.S.setupSucceeded, msg);
    return this.sd('I', v, this.S.setupSucceeded, msg, p.fr.kPod);
  }
  unmountStarted(p: PodRt, vol: VolumeRt): number {
    const msg = `operationExecutor.UnmountVolume started for volume "${vol.name}" (UniqueName: "${vol.unique}") pod "${p.uid}" (UID: "${p.uid}") `;
    if (this.legacy) return this.p('I', 0, this.S.unmountStarted, msg);
    return this.sd('I', 0, this.S.unmountStarted, msg, '');
  }
  teardownSucceeded(p: PodRt, vol: VolumeRt): number {
    return this.p(
      'I',
      0,
      this.S.teardownSucceeded,
      `UnmountVolume.TearDown succeeded for volume "${vol.unique}" (OuterVolumeSpecName: "${vol.name}") pod "${p.uid}" (UID: "${p.uid}"). InnerVolumeSpecName "${vol.name}". PluginName "${vol.plugin}", VolumeGidValue ""`,
    );
  }
  volumeDetached(p: PodRt, vol: VolumeRt): number {
    void p;
    const msg = `Volume detached for volume "${vol.name}" (UniqueName: "${vol.unique}") on node "${this.opts.node}" DevicePath ""`;
    if (this.legacy) return this.p('I', 0, this.S.volumeDetached, msg);
    return this.sd('I', 0, this.S.volumeDetached, msg, '');
  }
  removeFromDesired(p: PodRt, vol: VolumeRt): number {
    if (!this.on(4)) return -1;
    if (this.legacy) return this.p('I', 4, this.S.removeFromDesired, `Removing volume from desired state for volume "${vol.name}" ${this.volDetails(p, vol)} `);
    return this.s('I', 4, this.S.removeFromDesired, 'Removing volume from desired state', p.fr.kPodUid + this.f.s('volumeName', vol.name));
  }
  cleanedOrphanDir(p: PodRt): number {
    if (this.legacy) return this.p('I', 3, this.S.orphanedPodRemoving, `Orphaned pod ${goQuote(p.uid)} found, removing`);
    return this.s('I', 0, this.S.cleanedOrphanDir, 'Cleaned up orphaned pod volumes dir', this.f.u('podUID', p.uid) + this.f.s('path', `/var/lib/kubelet/pods/${p.uid}/volumes`));
  }

  // ---------------------------------------------------------------- runtime

  noSandbox(p: PodRt): number {
    if (this.legacy) return this.p('I', 2, this.S.noSandbox, `No sandbox for pod ${p.fr.qDesc} can be found. Need to start a new one`);
    return this.s('I', 2, this.S.noSandbox, 'No sandbox for pod can be found. Need to start a new one', p.fr.kPod);
  }
  receivedNewPod(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.receivedNewPod, `SyncPod received new pod ${p.fr.qDesc}, will create a sandbox for it`);
    return this.s('I', 4, this.S.receivedNewPod, 'SyncPod received new pod, will create a sandbox for it', p.fr.kPod);
  }
  creatingSandbox(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.creatingSandbox, `Creating PodSandbox for pod ${p.fr.qDesc}`);
    return this.s('I', 4, this.S.creatingSandbox, 'Creating PodSandbox for pod', p.fr.kPod);
  }
  createdSandbox(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.createdSandbox, `Created PodSandbox ${goQuote(p.sandboxId)} for pod ${p.fr.qDesc}`);
    return this.s('I', 4, this.S.createdSandbox, 'Created PodSandbox for pod', this.f.s('podSandboxID', p.sandboxId) + p.fr.kPod);
  }
  determinedIP(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.determinedIP, `Determined the ip [${p.ip}] for pod ${p.fr.qDesc} after sandbox changed`);
    return this.s('I', 4, this.S.determinedIP, 'Determined the ip for pod after sandbox changed', this.f.strs('IPs', [p.ip]) + p.fr.kPod);
  }
  creatingContainer(p: PodRt, c: ContainerRt): number {
    if (!this.on(4)) return -1;
    if (this.legacy) return this.p('I', 4, this.S.creatingContainer, `Creating container ${c.spec} in pod ${p.fr.desc}`);
    return this.s('I', 4, this.S.creatingContainer, 'Creating container in pod', this.f.s('containerType', 'container') + this.f.s('container', c.spec) + p.fr.kPod);
  }
  backOffRestart(p: PodRt, c: ContainerRt, backoff: string): number {
    if (!this.on(3)) return -1;
    const text = `back-off ${backoff} restarting failed container=${c.name} pod=${p.fr.desc}`;
    if (this.legacy) return this.p('I', 3, this.S.backOffRestart, text);
    return this.s('I', 3, this.S.backOffRestart, 'Back-off restarting failed container', this.f.s('err', text));
  }
  killingOverride(p: PodRt, c: ContainerRt, grace: number): number {
    if (!this.on(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.killingOverride, `Killing container ${goQuote(c.idFull)}, but using a ${grace} second grace period override`);
    return this.s('I', 3, this.S.killingOverride, 'Killing container with a grace period override', p.fr.kPodUid + this.cName(c) + this.cID(c) + this.f.n('gracePeriod', grace));
  }
  killingGrace(p: PodRt, c: ContainerRt, grace: number): number {
    if (!this.on(2)) return -1;
    if (this.legacy) return this.p('I', 2, this.S.killingGrace, `Killing container ${goQuote(c.idFull)} with a ${grace} second grace period`);
    return this.s('I', 2, this.S.killingGrace, 'Killing container with a grace period', p.fr.kPodUid + this.cName(c) + this.cID(c) + this.f.n('gracePeriod', grace));
  }
  termFailed(p: PodRt, c: ContainerRt, grace: number, err: string): number {
    if (this.legacy) return this.p('E', 0, this.S.termFailed, `Container ${goQuote(c.idFull)} termination failed with gracePeriod ${grace}: ${err}`);
    return this.s('E', 0, this.S.termFailed, 'Container termination failed with gracePeriod', p.fr.kPodUid + this.cName(c) + this.cID(c) + this.f.n('gracePeriod', grace), err);
  }
  exitedNormally(p: PodRt, c: ContainerRt): number {
    if (!this.on(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.exitedNormally, `Container ${goQuote(c.idFull)} exited normally`);
    return this.s('I', 3, this.S.exitedNormally, 'Container exited normally', p.fr.kPodUid + this.cName(c) + this.cID(c));
  }
  killFailed(p: PodRt, c: ContainerRt, err: string): number {
    if (this.legacy) return this.p('E', 0, this.S.killFailed, `killContainer ${goQuote(c.name)}(id=${goQuote(c.idFull)}) for pod ${p.fr.qDesc} failed: ${err}`);
    return this.s('E', 0, this.S.killFailed, 'Kill container failed', p.fr.kPodUid + this.cName(c) + this.cStruct(c), err);
  }
  removeContainer(cid: string): number {
    if (this.legacy) return this.p('I', 0, this.S.removeContainer, `[topologymanager] RemoveContainer - Container ID: ${cid}`);
    return this.s('I', 0, this.S.removeContainer, 'RemoveContainer', this.f.s('containerID', cid));
  }
  containerNotFound(cid: string): number {
    if (this.legacy) return this.p('W', 0, this.S.containerNotFound, `Container ${goQuote(cid)} not found in pod's containers`);
    return this.s('I', 0, this.S.containerNotFound, "Container not found in pod's containers", this.f.s('containerID', cid));
  }

  /** dockershim (1.20, 1.23 with docker): the kubelet itself calls CNI. */
  networkSetUp(p: PodRt): number {
    if (this.rt !== 'docker' || this.ver > 123 || !this.on(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.networkSetUp, `Calling network plugin cni to set up pod "${p.name}_${p.ns}"`);
    return this.s('I', 3, this.S.networkSetUp, 'Calling network plugin to set up the pod', p.fr.kPod + this.f.s('networkPluginName', 'cni'));
  }
  networkTearDown(p: PodRt, netnsPid: number): number {
    if (this.rt !== 'docker' || this.ver > 123 || !this.on(3)) return -1;
    let t: number;
    if (this.legacy) t = this.p('I', 3, this.S.networkTearDown, `Calling network plugin cni to tear down pod "${p.name}_${p.ns}"`);
    else t = this.s('I', 3, this.S.networkTearDown, 'Calling network plugin to tear down the pod', p.fr.kPod + this.f.s('networkPluginName', 'cni'));
    if (!this.on(4)) return t;
    const netns = `/proc/${netnsPid}/ns/net`;
    if (this.legacy) {
      const pd = `${p.ns}_${p.name}(${p.sandboxId})`;
      this.p('I', 4, this.S.cniDeleting, `Deleting ${pd} from network calico/k8s-pod-network netns ${goQuote(netns)}`);
      this.p('I', 4, this.S.cniDeleted, `Deleted ${pd} from network calico/k8s-pod-network`);
    } else {
      const sid = this.f.obj('podSandboxID', `{Type:docker ID:${p.sandboxId}}`, `{"Type":"docker","ID":"${p.sandboxId}"}`);
      this.s('I', 4, this.S.cniDeleting, 'Deleting pod from network', p.fr.kPod + sid + this.f.s('podNetnsPath', netns) + this.f.s('networkType', 'calico') + this.f.s('networkName', 'k8s-pod-network'));
      this.s('I', 4, this.S.cniDeleted, 'Deleted pod from network', p.fr.kPod + sid + this.f.s('networkType', 'calico') + this.f.s('networkName', 'k8s-pod-network'));
    }
    return t;
  }

  // ---------------------------------------------------------------- PLEG

  genericPleg(p: PodRt, cid: string, oldState: string, newState: string): number {
    if (!this.on(4)) return -1;
    if (this.legacy) return this.p('I', 4, this.S.genericPleg, `GenericPLEG: ${p.uid}/${cid}: ${oldState} -> ${newState}`);
    return this.s('I', 4, this.S.genericPleg, 'GenericPLEG', this.f.u('podUID', p.uid) + this.f.s('containerID', cid) + this.f.u('oldState', oldState) + this.f.u('newState', newState));
  }
  containerFinished(p: PodRt, c: ContainerRt): number {
    if (this.legacy || !this.on(2)) return -1;
    return this.s('I', 2, this.S.containerFinished, 'Generic (PLEG): container finished', this.f.u('podID', p.uid) + this.f.s('containerID', c.id) + this.f.n('exitCode', c.exitCode));
  }
  plegDeleteStatus(p: PodRt): number {
    if (!this.on(4)) return -1;
    if (this.legacy) return this.p('I', 4, this.S.plegDeleteStatus, `PLEG: Delete status for pod ${goQuote(p.uid)}`);
    return this.s('I', 4, this.S.plegDeleteStatus, 'PLEG: Delete status for pod', this.f.u('podUID', p.uid));
  }

  // ---------------------------------------------------------------- status manager

  patchStatus(p: PodRt, patch: string): number {
    if (!this.on(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.patchStatus, `Patch status for pod ${p.fr.qDesc} with ${goQuote(patch)}`);
    return this.s('I', 3, this.S.patchStatus, 'Patch status for pod', p.fr.kPod + (this.ver >= 126 ? p.fr.kUid : '') + this.f.s('patch', patch));
  }
  fullyTerminated(p: PodRt): number {
    if (this.legacy) return this.p('I', 3, this.S.fullyTerminated, `Pod ${p.fr.qDesc} fully terminated and removed from etcd`);
    return this.s('I', 3, this.S.fullyTerminated, 'Pod fully terminated and removed from etcd', p.fr.kPod);
  }
  doesNotExist(p: PodRt): number {
    if (this.legacy) return this.p('I', 3, this.S.doesNotExist, `Pod ${p.fr.qDesc} does not exist on the server`);
    return this.s('I', 3, this.S.doesNotExist, 'Pod does not exist on the server', p.fr.kUid + p.fr.kPod);
  }

  // ---------------------------------------------------------------- probes

  probeFailed(p: PodRt, c: ContainerRt, probeType: string, output: string): number {
    if (!this.on(1)) return -1;
    if (this.legacy) return this.p('I', 1, this.S.probeFailed, `${probeType} probe for "${p.fr.desc}:${c.name}" failed (failure): ${output}`);
    return this.s('I', 1, this.S.probeFailed, 'Probe failed', this.f.s('probeType', probeType) + p.fr.kPodUid + this.cName(c) + this.f.u('probeResult', 'failure') + this.f.s('output', output));
  }
  probeSucceeded(p: PodRt, c: ContainerRt, probeType: string): number {
    if (!this.on(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.probeSucceeded, `${probeType} probe for "${p.fr.desc}:${c.name}" succeeded`);
    return this.s('I', 3, this.S.probeSucceeded, 'Probe succeeded', this.f.s('probeType', probeType) + p.fr.kPodUid + this.cName(c));
  }

  // ---------------------------------------------------------------- startup latency (1.26+)

  observedStartup(
    p: PodRt,
    sloSeconds: number,
    created: { text: string; json: string },
    firstPull: { text: string; json: string },
    lastPull: { text: string; json: string },
    observed: { text: string; json: string },
    watchObserved: { text: string; json: string },
  ): number {
    if (this.ver < 126) return -1;
    const f = this.f;
    // pod.CreationTimestamp is a metav1.Time: a Stringer in the JSON format too (not a time.Time).
    const createdKv = this.json ? f.s(this.ver >= 128 ? 'podCreationTimestamp' : 'pod.CreationTimestamp', created.text) : f.time(this.ver >= 128 ? 'podCreationTimestamp' : 'pod.CreationTimestamp', created.text, created.json);
    const kv =
      p.fr.kPod +
      f.f('podStartSLOduration', sloSeconds) +
      createdKv +
      f.time('firstStartedPulling', firstPull.text, firstPull.json) +
      f.time('lastFinishedPulling', lastPull.text, lastPull.json) +
      f.time('observedRunningTime', observed.text, observed.json) +
      f.time('watchObservedRunningTime', watchObserved.text, watchObserved.json);
    return this.s('I', 0, this.S.observedStartup, 'Observed pod startup duration', kv);
  }

  // ---------------------------------------------------------------- events (client-go record, V3)

  event(p: PodRt, c: ContainerRt | null, type: 'Normal' | 'Warning', reason: string, message: string): number {
    if (!this.on(3)) return -1;
    const f = this.f;
    const kv =
      f.kobj('object', p.ns, p.name) +
      (this.ver >= 126 ? f.s('fieldPath', c ? `spec.containers{${c.name}}` : '') : '') +
      f.s('kind', 'Pod') +
      f.s('apiVersion', 'v1') +
      f.s('type', type) +
      f.s('reason', reason) +
      f.s('message', message);
    return this.s('I', 3, this.S.event, 'Event occurred', kv);
  }

  nodeEvent(type: 'Normal' | 'Warning', reason: string, message: string): number {
    if (!this.on(3)) return -1;
    const f = this.f;
    const kv =
      f.kobj('object', '', this.opts.node) +
      (this.ver >= 126 ? f.s('fieldPath', '') : '') +
      f.s('kind', 'Node') +
      f.s('apiVersion', '') +
      f.s('type', type) +
      f.s('reason', reason) +
      f.s('message', message);
    return this.s('I', 3, this.S.event, 'Event occurred', kv);
  }

  // ---------------------------------------------------------------- node-level

  recordingNodeEvent(event: string): number {
    if (!this.on(2)) return -1;
    if (this.legacy) return this.p('I', 2, this.S.recordingNodeEvent, `Recording ${event} event message for node ${this.opts.node}`);
    return this.s('I', 2, this.S.recordingNodeEvent, 'Recording event message for node', this.f.kobj('node', '', this.opts.node) + this.f.s('event', event));
  }

  /** Kubelet start-up messages; returns the time of the first one. */
  startupLines(version: string): number {
    const L = this.legacy;
    const node = this.opts.node;
    let first: number;
    if (L) first = this.p('I', 0, this.S.serverVersion, `Version: ${version}`);
    else {
      first = this.s('I', 0, this.S.serverVersion, 'Kubelet version', this.f.s('kubeletVersion', version));
      this.s('I', 0, this.S.serverGolang, 'Golang settings', this.f.s('GOGC', '') + this.f.s('GOMAXPROCS', '') + this.f.s('GOTRACEBACK', ''));
    }
    if (L) this.p('I', 0, this.S.serverClientRotation, 'Client rotation is on, will bootstrap in background');
    else this.s('I', 0, this.S.serverClientRotation, 'Client rotation is on, will bootstrap in background', '');
    if (L) this.p('I', 0, this.S.kubeletServer, 'Starting to listen on 0.0.0.0:10250');
    else this.s('I', 0, this.S.kubeletServer, 'Starting to listen', this.f.s('address', '0.0.0.0') + this.f.n('port', 10250));
    const plain = (site: Site, msg: string, dot = false): number => (L ? this.p('I', 0, site, msg + (dot ? '.' : '')) : this.s('I', 0, site, msg, ''));
    plain(this.S.volumeManagerStart, 'Starting Kubelet Volume Manager');
    plain(this.S.statusStart, 'Starting to sync pod status with apiserver');
    plain(this.S.mainSyncLoop, 'Starting kubelet main sync loop', true);
    plain(this.S.populatorStart, 'Desired state populator starts to run');
    plain(this.S.reconcilerStart, 'Reconciler: start to sync state');
    for (const ev of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) this.recordingNodeEvent(ev);
    if (L) this.p('I', 0, this.S.attemptRegister, `Attempting to register node ${node}`);
    else this.s('I', 0, this.S.attemptRegister, 'Attempting to register node', this.f.kobj('node', '', node));
    if (L) this.p('I', 0, this.S.previouslyRegistered, `Node ${node} was previously registered`);
    else this.s('I', 0, this.S.previouslyRegistered, 'Node was previously registered', this.f.kobj('node', '', node));
    if (L) this.p('I', 0, this.S.successfullyRegistered, `Successfully registered node ${node}`);
    else this.s('I', 0, this.S.successfullyRegistered, 'Successfully registered node', this.f.kobj('node', '', node));
    this.nodeEvent('Normal', 'Starting', 'Starting kubelet.');
    return first;
  }

  leaseFailed(err: string): number {
    if (this.legacy) return this.p('E', 0, this.S.leaseUpdate, `failed to update node lease, error: ${err}`);
    return this.s('E', 0, this.S.leaseUpdate, 'Failed to update lease', '', err);
  }
  nodeStatusError(err: string): number {
    if (this.legacy) return this.p('E', 0, this.S.nodeStatusError, `Error updating node status, will retry: ${err}`);
    return this.s('E', 0, this.S.nodeStatusError, 'Error updating node status, will retry', '', err);
  }
  reflectorWatchClosed(type: string): number {
    const src = this.ver >= 126 ? 'k8s.io/client-go/informers/factory.go:150' : this.ver >= 123 ? 'k8s.io/client-go/informers/factory.go:134' : 'k8s.io/client-go/informers/factory.go:134';
    return this.p(
      'W',
      0,
      this.S.reflectorWatch,
      `${src}: watch of *v1.${type} ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding`,
    );
  }
  reflectorStart(kind: string, ns: string, name: string): number {
    return this.p('I', this.legacy ? 2 : 3, this.S.reflectorStart, `Starting reflector *v1.${kind} (0s) from object-"${ns}"/"${name}"`);
  }
  reflectorStop(kind: string, ns: string, name: string): number {
    return this.p('I', this.legacy ? 2 : 3, this.S.reflectorStop, `Stopping reflector *v1.${kind} (0s) from object-"${ns}"/"${name}"`);
  }
  cadvisorWatchEvent(cgroupSlice: string, id: string): number {
    if (this.rt !== 'containerd') return -1;
    return this.p('W', 0, this.S.cadvisorWatch, `Failed to process watch event {EventType:0 Name:${cgroupSlice}/cri-containerd-${id}.scope WatchSource:0}: task ${id} not found: not found`);
  }
  cadvisorDestroyed(p: PodRt, cgroupSlice: string, id: string, containerName: string): number {
    if (this.rt !== 'docker' || !this.on(3)) return -1;
    return this.p(
      'I',
      3,
      this.S.cadvisorDestroyed,
      `Destroyed container: "${cgroupSlice}/docker-${id}.scope" (aliases: [k8s_${containerName}_${p.name}_${p.ns}_${p.uid}_0 ${id}], namespace: "docker")`,
    );
  }
  evictionHousekeeping(): number {
    if (this.legacy) return this.p('I', 3, this.S.evictionHousekeeping, 'eviction manager: synchronize housekeeping');
    return this.s('I', 3, this.S.evictionHousekeeping, 'Eviction manager: synchronize housekeeping', '');
  }
  evictionNoStarved(): number {
    if (this.legacy) return this.p('I', 3, this.S.evictionNoStarved, 'eviction manager: no resources are starved');
    return this.s('I', 3, this.S.evictionNoStarved, 'Eviction manager: no resources are starved', '');
  }
  cleanupLines(): void {
    if (this.legacy || !this.on(3)) return;
    this.s('I', 3, this.S.cleanPodWorkers, 'Clean up pod workers for terminated pods', '');
    this.s('I', 3, this.S.cleanOrphanDirs, 'Clean up orphaned pod directories', '');
    this.s('I', 3, this.S.cleanOrphanCgroups, 'Clean up orphaned pod cgroups', '');
  }
}
