// The message catalogue of pod lifecycles: one method per kubelet message, rendered for the
// configured kubelet version (message text, keys in call order, value era, `file.go:line`) and
// filtered by verbosity. Node-level messages (start-up, eviction manager, crashes) are in
// render-node.ts.
//
// Every method returns the epoch-µs time of the emitted record, or -1 when the message does not
// exist in this version or is above the configured verbosity. A message hidden by the verbosity
// still advances the clock (RecordSink.skip), so a -v=2 log is the -v=4 log of the same seed with
// the V3/V4 records left out, at the same times.

import type { LogFormat, Severity } from './types.js';
import type { ContainerRt, PodFrags, PodRt, VolumeRt } from './model.js';
import { Fmt, goQuote, type Era } from './values.js';
import { resolveSites, type Site, type SiteKey } from './sites.js';
import { goDuration } from './timefmt.js';
import type { Profile } from './versions.js';

export interface RecordSink {
  /** Emit one record. `body` is the text after the klog header, or for JSON everything after `"msg":` without the closing brace. */
  record(sev: Severity, site: Site, body: string): number;
  /** A record the verbosity leaves out: the clock advances as if it had been written. Returns -1. */
  skip(): number;
}

export interface RendererOptions {
  profile: Profile;
  logFormat: LogFormat;
  verbosity: number;
  runtime: 'docker' | 'containerd';
  node: string;
}

const JSON_V = [',"v":0', ',"v":1', ',"v":2', ',"v":3', ',"v":4', ',"v":5', ',"v":6', ',"v":7', ',"v":8', ',"v":9', ',"v":10'];
const WORK_NAMES = ['sync', 'terminating', 'terminated'] as const;
/** 1.19/1.20 JSON logs (alpha logger) have no caller. */
const NO_CALLER: Site = { t: '', j: '' };

export type WorkType = 0 | 1 | 2;

export class Renderer {
  readonly f: Fmt;
  readonly json: boolean;
  /** ≤1.20: printf messages, old pod worker. */
  readonly legacy: boolean;
  /** ≥1.22: the pod worker with enter/exit lines. */
  readonly newWorker: boolean;
  readonly minor: number;
  readonly V: number;
  readonly S: Record<SiteKey, Site>;
  readonly rt: 'docker' | 'containerd';
  readonly profile: Profile;
  private readonly legacyJson: boolean;
  private readonly qcache = new Map<string, string>();

  constructor(
    readonly opts: RendererOptions,
    readonly sink: RecordSink,
  ) {
    const prof = opts.profile;
    this.profile = prof;
    this.json = opts.logFormat === 'json';
    const era: Era = this.json ? 'J' : prof.era;
    this.f = new Fmt(era, { kobjString: this.json && prof.minor <= 22, podsDesc: prof.minor === 21 });
    this.legacy = prof.printf;
    this.newWorker = prof.newWorker;
    this.minor = prof.minor;
    this.legacyJson = this.json && prof.printf;
    this.V = opts.verbosity;
    this.S = resolveSites(prof.sites);
    if (this.legacyJson) for (const k of Object.keys(this.S) as SiteKey[]) this.S[k] = NO_CALLER;
    this.rt = opts.runtime;
  }

  /** Whether a record of verbosity v is logged. */
  on(v: number): boolean {
    return v <= this.V;
  }

  /** For a message about to be built: false when logged; when hidden, the clock skips its record. */
  private hide(v: number): boolean {
    if (v <= this.V) return false;
    this.sink.skip();
    return true;
  }

  private q(msg: string): string {
    let r = this.qcache.get(msg);
    if (r === undefined) {
      r = this.f.q(msg);
      this.qcache.set(msg, r);
    }
    return r;
  }

  private jv(sev: Severity, v: number): string {
    // zap: errors carry no "v" (1.21+); the 1.19/1.20 alpha logger writes it on every line
    return sev === 'E' && !this.legacyJson ? '' : (JSON_V[v] as string);
  }

  /** Structured record (InfoS/ErrorS). `err` is ErrorS's error (first key in text, last in JSON). */
  s(sev: Severity, v: number, site: Site, msg: string, kv: string, err?: string): number {
    if (this.hide(v)) return -1;
    return this.emitS(sev, v, site, this.q(msg), kv, err);
  }

  /** Structured record whose message is dynamic (quoted per call). */
  sd(sev: Severity, v: number, site: Site, msg: string, kv: string, err?: string): number {
    if (this.hide(v)) return -1;
    return this.emitS(sev, v, site, this.f.q(msg), kv, err);
  }

  private emitS(sev: Severity, v: number, site: Site, qm: string, kv: string, err?: string): number {
    let body: string;
    if (this.json) body = qm + this.jv(sev, v) + kv + (err === undefined ? '' : ',"err":' + JSON.stringify(err));
    else body = err === undefined ? qm + kv : qm + this.f.s('err', err) + kv;
    return this.sink.record(sev, site, body);
  }

  /** printf-style record (Infof/Errorf/Warningf). */
  p(sev: Severity, v: number, site: Site, text: string): number {
    if (this.hide(v)) return -1;
    if (this.json) {
      const t = text.endsWith('\n') ? text : text + '\n';
      return this.sink.record(sev, site, JSON.stringify(t) + this.jv(sev, v));
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

  podList(pods: readonly PodRt[]): Array<[string, string, string]> {
    return pods.map((p) => [p.ns, p.name, p.uid]);
  }

  private updType(w: WorkType): string {
    return this.minor >= 28 ? this.f.s('updateType', WORK_NAMES[w]) : this.f.n('updateType', w);
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

  // ---------------------------------------------------------------- config / SyncLoop / admission

  receivingNewPod(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.receivingNewPod, `Receiving a new pod ${p.fr.qDesc}`);
    return this.s('I', 4, this.S.receivingNewPod, 'Receiving a new pod', p.fr.kPod);
  }

  syncLoop(op: 'ADD' | 'UPDATE' | 'REMOVE' | 'RECONCILE' | 'DELETE', source: string, pods: readonly PodRt[]): number {
    const v = op === 'RECONCILE' ? 4 : 2;
    const site =
      op === 'ADD' ? this.S.syncLoopAdd : op === 'UPDATE' ? this.S.syncLoopUpdate : op === 'REMOVE' ? this.S.syncLoopRemove : op === 'DELETE' ? this.S.syncLoopDelete : this.S.syncLoopReconcile;
    if (this.hide(v)) return -1;
    if (this.legacy) return this.p('I', v, site, `SyncLoop (${op}, ${goQuote(source)}): ${goQuote(pods.map((p) => p.fr.desc).join(', '))}`);
    return this.s('I', v, site, `SyncLoop ${op}`, this.f.s('source', source) + this.f.pods('pods', this.podList(pods)));
  }

  plegEvent(p: PodRt, type: string, data: string): number {
    if (this.hide(2)) return -1;
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
    if (this.legacy) return status === 'unhealthy' ? this.p('I', 1, this.S.syncLoopProbe, `SyncLoop (container unhealthy): ${p.fr.qDesc}`) : -1;
    return this.s('I', 1, this.S.syncLoopProbe, 'SyncLoop (probe)', this.f.s('probe', probe) + this.f.s('status', status) + p.fr.kPod);
  }

  syncLoopSync(pods: readonly PodRt[]): number {
    if (this.hide(4)) return -1;
    if (this.legacy) return this.p('I', 4, this.S.syncLoopSync, `SyncLoop (SYNC): ${pods.length} pods; ${pods.map((p) => p.fr.desc).join(', ')}`);
    return this.s('I', 4, this.S.syncLoopSync, 'SyncLoop (SYNC) pods', this.f.n('total', pods.length) + this.f.pods('pods', this.podList(pods)));
  }

  /** V0 for every admitted pod up to 1.30 (PR #125631 replaced it by `Pod admission denied` on rejects). */
  topologyAdmit(p: PodRt): number {
    if (this.minor >= 31) return -1;
    if (this.legacy) return this.p('I', 0, this.S.topologyAdmit, '[topologymanager] Topology Admit Handler');
    const kv = this.minor >= 28 ? this.f.u('podUID', p.uid) + this.f.s('podNamespace', p.ns) + this.f.s('podName', p.name) : '';
    return this.s('I', 0, this.S.topologyAdmit, 'Topology Admit Handler', kv);
  }

  /** lifecycle/predicate.go: `Predicate failed on Pod` (V2) for PredicateFailureError / InsufficientResourceError rejects. */
  predicateFailed(p: PodRt, message: string, insufficient: boolean): number {
    const site = insufficient ? this.S.predicateFailed : this.S.predicateFailedName;
    if (this.legacy) return this.p('I', 2, site, `Predicate failed on Pod: ${p.fr.desc}, for reason: ${message}`);
    return this.s('I', 2, site, 'Predicate failed on Pod', p.fr.kPod + this.f.s('err', message));
  }

  /** 1.31+: the V0 line of a rejected admission. */
  admissionDenied(p: PodRt, reason: string, message: string): number {
    if (this.minor < 31) return -1;
    return this.s('I', 0, this.S.podAdmissionDenied, 'Pod admission denied', this.f.u('podUID', p.uid) + p.fr.kPod + this.f.s('reason', reason) + this.f.s('message', message));
  }

  // ---------------------------------------------------------------- pod worker (1.22+)

  private pw(site: Site, msg: string, p: PodRt, updateType?: string): number {
    if (!this.newWorker) return -1;
    if (this.hide(4)) return -1;
    return this.s('I', 4, site, msg, p.fr.kPodUid + (this.minor >= 28 && updateType !== undefined ? this.f.s('updateType', updateType) : ''));
  }

  /** Messages that carry only podUID from 1.28 on. */
  private pwUid(site: Site, msg: string, p: PodRt, v = 4): number {
    if (!this.newWorker) return -1;
    return this.s('I', v, site, msg, this.minor >= 28 ? p.fr.kUid : p.fr.kPodUid);
  }

  firstSync(p: PodRt, updateType: 'create' | 'kill' | 'sync' | 'update'): number {
    return this.pw(this.S.firstSync, 'Pod is being synced for the first time', p, updateType);
  }
  gracefulDeletion(p: PodRt): number {
    return this.pw(this.S.gracefulDeletion, 'Pod is marked for graceful deletion, begin teardown', p, 'update');
  }
  terminalPhase(p: PodRt, updateType: 'create' | 'update' | 'sync'): number {
    return this.pw(this.S.terminalPhase, 'Pod is in a terminal phase (success/failed), begin teardown', p, updateType);
  }
  evictedTeardown(p: PodRt): number {
    return this.pw(this.S.evictedTeardown, 'Pod is being evicted by the kubelet, begin teardown', p, 'kill');
  }
  orphaned(p: PodRt): number {
    return this.pw(this.S.orphaned, 'Pod is orphaned and must be torn down', p, 'kill');
  }
  finishedProcessing(p: PodRt, updateType: 'update' | 'kill'): number {
    return this.pw(this.S.finishedProcessing, 'Pod is finished processing, no further updates', p, updateType);
  }
  /** `Cancelling current pod sync` (V3): an update arrived while SyncPod was running. */
  cancelSync(p: PodRt, w: WorkType): number {
    if (!this.newWorker) return -1;
    const key = this.minor >= 28 ? this.f.s('workType', WORK_NAMES[w]) : this.f.n('updateType', w);
    return this.s('I', 3, this.S.cancelSync, 'Cancelling current pod sync', p.fr.kPodUid + key);
  }
  /** 1.28+: `Notifying pod of pending update` (V4). */
  notifyPending(p: PodRt, w: WorkType): number {
    if (this.minor < 28) return -1;
    return this.s('I', 4, this.S.notifyPending, 'Notifying pod of pending update', p.fr.kPodUid + this.f.s('workType', WORK_NAMES[w]));
  }
  processing(p: PodRt, w: WorkType): number {
    if (!this.newWorker || this.hide(4)) return -1;
    return this.s('I', 4, this.S.processing, 'Processing pod event', p.fr.kPodUid + this.updType(w));
  }
  processingDone(p: PodRt, w: WorkType): number {
    if (!this.newWorker || this.hide(4)) return -1;
    return this.s('I', 4, this.S.processingDone, 'Processing pod event done', p.fr.kPodUid + this.updType(w));
  }
  podIsTerminal(p: PodRt, w: WorkType): number {
    if (!this.newWorker || this.hide(4)) return -1;
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
  /** 1.28+ (V3): the worker goroutine exited. */
  workerStopped(p: PodRt): number {
    if (this.minor < 28) return -1;
    return this.s('I', 3, this.S.workerStopped, 'Pod worker has stopped', p.fr.kUid);
  }
  removeHistory(p: PodRt): number {
    if (!this.newWorker) return -1;
    return this.s('I', 4, this.S.removeHistory, 'Pod has been terminated and is no longer known to the kubelet, remove all history', p.fr.kUid);
  }

  syncError(p: PodRt, err: string): number {
    if (this.legacy) return this.p('E', 0, this.S.syncError, `Error syncing pod ${p.uid} (${p.fr.qDesc}), skipping: ${err}`);
    return this.s('E', 0, this.S.syncError, 'Error syncing pod, skipping', p.fr.kPodUid, err);
  }

  // ---------------------------------------------------------------- kubelet sync functions

  private ks(site: Site, msg: string, p: PodRt, v = 4, extra = ''): number {
    if (!this.newWorker) return -1;
    return this.s('I', v, site, msg, p.fr.kPodUid + extra);
  }

  private cap(lower: string, upper: string): string {
    return this.profile.capitalized ? upper : lower;
  }

  syncPodEnter(p: PodRt): number {
    return this.ks(this.S.syncPodEnter, this.cap('syncPod enter', 'SyncPod enter'), p);
  }
  syncPodExit(p: PodRt, isTerminal: boolean): number {
    if (!this.newWorker || this.hide(4)) return -1;
    return this.ks(this.S.syncPodExit, this.cap('syncPod exit', 'SyncPod exit'), p, 4, this.f.b('isTerminal', isTerminal));
  }
  termEnter(p: PodRt): number {
    return this.ks(this.S.termEnter, this.cap('syncTerminatingPod enter', 'SyncTerminatingPod enter'), p);
  }
  termExit(p: PodRt): number {
    return this.ks(this.S.termExit, this.cap('syncTerminatingPod exit', 'SyncTerminatingPod exit'), p);
  }
  termdEnter(p: PodRt): number {
    return this.ks(this.S.termdEnter, this.cap('syncTerminatedPod enter', 'SyncTerminatedPod enter'), p);
  }
  termdExit(p: PodRt): number {
    return this.ks(this.S.termdExit, this.cap('syncTerminatedPod exit', 'SyncTerminatedPod exit'), p);
  }
  graceLine(p: PodRt, grace: number | null): number {
    if (!this.newWorker || this.hide(4)) return -1;
    if (grace === null) return this.ks(this.S.graceNil, 'Pod terminating with grace period', p, 4, this.f.nil('gracePeriod'));
    return this.ks(this.S.graceInt, 'Pod terminating with grace period', p, 4, this.f.n('gracePeriod', grace));
  }
  postTermState(p: PodRt, finishedAt: (c: ContainerRt) => string): number {
    if (!this.newWorker) return -1;
    const v = this.minor <= 23 ? 0 : 4;
    if (this.hide(v)) return -1;
    let kv: string;
    if (this.minor <= 23) {
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
    if (this.minor < 28) return -1;
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
  /** ≤1.21 (podKiller): the pod is gone from the API and its leftovers are killed. */
  killingUnwantedPod(p: PodRt): number {
    if (this.newWorker) return -1;
    if (this.legacy) return this.p('I', 2, this.S.killingUnwantedPod, `Killing unwanted pod ${goQuote(p.name)}`);
    return this.s('I', 2, this.S.killingUnwantedPod, 'Killing unwanted pod', this.f.s('podName', p.name));
  }
  generatingStatus(p: PodRt, terminal: boolean): number {
    if (this.hide(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.generatingStatus, `Generating status for ${p.fr.qDesc}`);
    return this.s('I', 3, this.S.generatingStatus, 'Generating pod status', (this.minor >= 28 ? this.f.b('podIsTerminal', terminal) : '') + p.fr.kPod);
  }
  gotPhase(p: PodRt, oldPhase: string, phase: string): number {
    if (this.legacy || this.hide(4)) return -1;
    return this.s('I', 4, this.S.gotPhase, 'Got phase for pod', p.fr.kPod + this.f.u('oldPhase', oldPhase) + this.f.u('phase', phase));
  }
  creatingMirror(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.creatingMirror, `Creating a mirror pod for static pod ${p.fr.qDesc}`);
    return this.s('I', 4, this.S.creatingMirror, 'Creating a mirror pod for static pod', p.fr.kPod);
  }
  unableToMount(p: PodRt, err: string): number {
    if (this.legacy) return this.p('E', 0, this.S.unableToMount, `Unable to attach or mount volumes for pod ${p.fr.qDesc}: ${err}; skipping pod`);
    return this.s('E', 0, this.S.unableToMount, 'Unable to attach or mount volumes for pod; skipping pod', p.fr.kPod, err);
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
    if (!this.newWorker) return -1;
    return this.s('I', 3, this.S.waitingUnmount, 'Waiting for volumes to unmount for pod', p.fr.kPod);
  }
  allUnmounted(p: PodRt): number {
    if (!this.newWorker) return -1;
    return this.s('I', 3, this.S.allUnmounted, 'All volumes are unmounted for pod', p.fr.kPod);
  }

  private volDetails(p: PodRt, vol: VolumeRt): string {
    return `(UniqueName: "${vol.unique}") pod "${p.name}" (UID: "${p.uid}")`;
  }

  verifyAttached(p: PodRt, vol: VolumeRt): number {
    if (this.hide(0)) return -1;
    const msg = `operationExecutor.VerifyControllerAttachedVolume started for volume "${vol.name}" ${this.volDetails(p, vol)} `;
    if (this.legacy) return this.p('I', 0, this.S.verifyAttached, msg);
    return this.sd('I', 0, this.S.verifyAttached, msg, p.fr.kPod);
  }
  mountStarted(p: PodRt, vol: VolumeRt): number {
    if (this.hide(1)) return -1;
    const msg = `operationExecutor.MountVolume started for volume "${vol.name}" ${this.volDetails(p, vol)} `;
    if (this.legacy) return this.p('I', 1, this.S.mountStarted, msg);
    return this.sd('I', 1, this.S.mountStarted, msg, p.fr.kPod);
  }
  /** v = 1 on first mount, 4 on remount (after a kubelet restart). */
  setupSucceeded(p: PodRt, vol: VolumeRt, v = 1): number {
    if (this.hide(v)) return -1;
    const msg = `MountVolume.SetUp succeeded for volume "${vol.name}" ${this.volDetails(p, vol)} `;
    if (this.legacy) return this.p('I', v, this.S.setupSucceeded, msg);
    return this.sd('I', v, this.S.setupSucceeded, msg, p.fr.kPod);
  }
  unmountStarted(p: PodRt, vol: VolumeRt): number {
    if (this.hide(0)) return -1;
    const msg = `operationExecutor.UnmountVolume started for volume "${vol.name}" (UniqueName: "${vol.unique}") pod "${p.uid}" (UID: "${p.uid}") `;
    if (this.legacy) return this.p('I', 0, this.S.unmountStarted, msg);
    return this.sd('I', 0, this.S.unmountStarted, msg, '');
  }
  teardownSucceeded(p: PodRt, vol: VolumeRt): number {
    if (this.hide(0)) return -1;
    return this.p(
      'I',
      0,
      this.S.teardownSucceeded,
      `UnmountVolume.TearDown succeeded for volume "${vol.unique}" (OuterVolumeSpecName: "${vol.name}") pod "${p.uid}" (UID: "${p.uid}"). InnerVolumeSpecName "${vol.name}". PluginName "${vol.plugin}", VolumeGidValue ""`,
    );
  }
  volumeDetached(p: PodRt, vol: VolumeRt): number {
    void p;
    if (this.hide(0)) return -1;
    const msg = `Volume detached for volume "${vol.name}" (UniqueName: "${vol.unique}") on node "${this.opts.node}" DevicePath ""`;
    if (this.legacy) return this.p('I', 0, this.S.volumeDetached, msg);
    return this.sd('I', 0, this.S.volumeDetached, msg, '');
  }
  /**
   * nestedpendingoperations (printf E in every version): a failed mount/unmount and its back-off.
   * `op`: `MountVolume.SetUp` or `UnmountVolume.TearDown`.
   */
  volumeOpFailed(p: PodRt, vol: VolumeRt, op: 'MountVolume.SetUp' | 'UnmountVolume.TearDown', retryAt: string, backoff: string, err: string): number {
    if (this.hide(0)) return -1;
    const pod = op === 'MountVolume.SetUp' ? p.name : p.uid;
    return this.p(
      'E',
      0,
      this.S.volumeOpFailed,
      `Operation for "{volumeName:${vol.unique} podName:${p.uid} nodeName:}" failed. No retries permitted until ${retryAt} (durationBeforeRetry ${backoff}). Error: ${op} failed for volume "${vol.name}" (UniqueName: "${vol.unique}") pod "${pod}" (UID: "${p.uid}") : ${err}`,
    );
  }
  removeFromDesired(p: PodRt, vol: VolumeRt): number {
    if (this.hide(4)) return -1;
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
  noReadySandbox(p: PodRt): number {
    if (this.legacy) return this.p('I', 2, this.S.noReadySandbox, `No ready sandbox for pod ${p.fr.qDesc} can be found. Need to start a new one`);
    return this.s('I', 2, this.S.noReadySandbox, 'No ready sandbox for pod can be found. Need to start a new one', p.fr.kPod);
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
  /** kuberuntime_sandbox.go then kuberuntime_manager.go: both E/V0; returns the first line's time. */
  sandboxFailed(p: PodRt, err: string): number {
    if (this.legacy) {
      const t = this.p('E', 0, this.S.failedCreateSandbox, `Failed to create sandbox for pod ${p.fr.qDesc}: ${err}`);
      this.p('E', 0, this.S.createSandboxFailed, `createPodSandbox for pod ${p.fr.qDesc} failed: ${err}`);
      return t;
    }
    const t = this.s('E', 0, this.S.failedCreateSandbox, 'Failed to create sandbox for pod', p.fr.kPod, err);
    this.s('E', 0, this.S.createSandboxFailed, 'CreatePodSandbox for pod failed', p.fr.kPod, err);
    return t;
  }
  determinedIP(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.determinedIP, `Determined the ip [${p.ip}] for pod ${p.fr.qDesc} after sandbox changed`);
    return this.s('I', 4, this.S.determinedIP, 'Determined the ip for pod after sandbox changed', this.f.strs('IPs', [p.ip]) + p.fr.kPod);
  }
  creatingContainer(p: PodRt, c: ContainerRt, init = false): number {
    if (this.hide(4)) return -1;
    const type = init ? 'init container' : 'container';
    if (this.legacy) return this.p('I', 4, this.S.creatingContainer, `Creating ${type} ${c.spec} in pod ${p.fr.desc}`);
    return this.s('I', 4, this.S.creatingContainer, 'Creating container in pod', this.f.s('containerType', type) + this.f.s('container', c.spec) + p.fr.kPod);
  }
  completedInit(p: PodRt, c: ContainerRt): number {
    if (this.legacy) return this.p('I', 4, this.S.completedInit, `Completed init container ${goQuote(c.name)} for pod ${p.fr.qDesc}`);
    return this.s('I', 4, this.S.completedInit, 'Completed init container for pod', this.cName(c) + p.fr.kPod);
  }
  /** 1.21+: a container could not start (image pull errors): V3. */
  containerStartFailed(p: PodRt, c: ContainerRt, message: string, err: string): number {
    if (this.legacy || this.hide(3)) return -1;
    return this.s('I', 3, this.S.containerStartFailed, 'Container start failed in pod', this.f.s('containerType', 'container') + this.f.s('container', c.spec) + p.fr.kPod + this.f.s('containerMessage', message) + this.f.s('err', err));
  }
  /** 1.21+ (V2): why computePodActions restarts a container. */
  messageForContainer(p: PodRt, c: ContainerRt, message: string): number {
    if (this.legacy) return -1;
    return this.s('I', 2, this.S.messageForContainer, 'Message for Container of pod', this.cName(c) + this.f.s('containerStatusID', c.idFull) + p.fr.kPod + this.f.s('containerMessage', message));
  }
  backOffRestart(p: PodRt, c: ContainerRt, backoff: string): number {
    if (this.hide(3)) return -1;
    const text = `back-off ${backoff} restarting failed container=${c.name} pod=${p.fr.desc}`;
    if (this.legacy) return this.p('I', 3, this.S.backOffRestart, text);
    return this.s('I', 3, this.S.backOffRestart, 'Back-off restarting failed container', this.f.s('err', text));
  }
  killingOverride(p: PodRt, c: ContainerRt, grace: number): number {
    if (this.hide(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.killingOverride, `Killing container ${goQuote(c.idFull)}, but using a ${grace} second grace period override`);
    return this.s('I', 3, this.S.killingOverride, 'Killing container with a grace period override', p.fr.kPodUid + this.cName(c) + this.cID(c) + this.f.n('gracePeriod', grace));
  }
  killingGrace(p: PodRt, c: ContainerRt, grace: number): number {
    if (this.hide(2)) return -1;
    if (this.legacy) return this.p('I', 2, this.S.killingGrace, `Killing container ${goQuote(c.idFull)} with a ${grace} second grace period`);
    return this.s('I', 2, this.S.killingGrace, 'Killing container with a grace period', p.fr.kPodUid + this.cName(c) + this.cID(c) + this.f.n('gracePeriod', grace));
  }
  termFailed(p: PodRt, c: ContainerRt, grace: number, err: string): number {
    if (this.legacy) return this.p('E', 0, this.S.termFailed, `Container ${goQuote(c.idFull)} termination failed with gracePeriod ${grace}: ${err}`);
    return this.s('E', 0, this.S.termFailed, 'Container termination failed with gracePeriod', p.fr.kPodUid + this.cName(c) + this.cID(c) + this.f.n('gracePeriod', grace), err);
  }
  exitedNormally(p: PodRt, c: ContainerRt): number {
    if (this.hide(3)) return -1;
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

  /** dockershim (≤1.23 with docker): the kubelet itself calls CNI. */
  networkSetUp(p: PodRt): number {
    if (this.rt !== 'docker' || !this.profile.dockershim) return -1;
    if (this.legacy) return this.p('I', 3, this.S.networkSetUp, `Calling network plugin cni to set up pod "${p.name}_${p.ns}"`);
    return this.s('I', 3, this.S.networkSetUp, 'Calling network plugin to set up the pod', p.fr.kPod + this.f.s('networkPluginName', 'cni'));
  }
  networkTearDown(p: PodRt, netnsPid: number): number {
    if (this.rt !== 'docker' || !this.profile.dockershim) return -1;
    let t: number;
    if (this.legacy) t = this.p('I', 3, this.S.networkTearDown, `Calling network plugin cni to tear down pod "${p.name}_${p.ns}"`);
    else t = this.s('I', 3, this.S.networkTearDown, 'Calling network plugin to tear down the pod', p.fr.kPod + this.f.s('networkPluginName', 'cni'));
    const netns = `/proc/${netnsPid}/ns/net`;
    if (this.legacy) {
      const pd = `${p.ns}_${p.name}(${p.sandboxId})`;
      this.p('I', 4, this.S.cniDeleting, `Deleting ${pd} from network calico/k8s-pod-network netns ${goQuote(netns)}`);
      this.p('I', 4, this.S.cniDeleted, `Deleted ${pd} from network calico/k8s-pod-network`);
    } else if (!this.on(4)) {
      this.sink.skip();
      this.sink.skip();
    } else {
      const sid = this.f.obj('podSandboxID', `{Type:docker ID:${p.sandboxId}}`, `{"Type":"docker","ID":"${p.sandboxId}"}`);
      this.s('I', 4, this.S.cniDeleting, 'Deleting pod from network', p.fr.kPod + sid + this.f.s('podNetnsPath', netns) + this.f.s('networkType', 'calico') + this.f.s('networkName', 'k8s-pod-network'));
      this.s('I', 4, this.S.cniDeleted, 'Deleted pod from network', p.fr.kPod + sid + this.f.s('networkType', 'calico') + this.f.s('networkName', 'k8s-pod-network'));
    }
    return t;
  }

  // ---------------------------------------------------------------- PLEG

  genericPleg(p: PodRt, cid: string, oldState: string, newState: string): number {
    if (this.hide(4)) return -1;
    if (this.legacy) return this.p('I', 4, this.S.genericPleg, `GenericPLEG: ${p.uid}/${cid}: ${oldState} -> ${newState}`);
    return this.s('I', 4, this.S.genericPleg, 'GenericPLEG', this.f.u('podUID', p.uid) + this.f.s('containerID', cid) + this.f.u('oldState', oldState) + this.f.u('newState', newState));
  }
  containerFinished(p: PodRt, c: ContainerRt): number {
    if (this.legacy) return -1;
    return this.s('I', 2, this.S.containerFinished, 'Generic (PLEG): container finished', this.f.u('podID', p.uid) + this.f.s('containerID', c.id) + this.f.n('exitCode', c.exitCode));
  }
  plegDeleteStatus(p: PodRt): number {
    if (this.legacy) return this.p('I', 4, this.S.plegDeleteStatus, `PLEG: Delete status for pod ${goQuote(p.uid)}`);
    return this.s('I', 4, this.S.plegDeleteStatus, 'PLEG: Delete status for pod', this.f.u('podUID', p.uid));
  }

  // ---------------------------------------------------------------- status manager

  patchStatus(p: PodRt, patch: string): number {
    if (this.hide(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.patchStatus, `Patch status for pod ${p.fr.qDesc} with ${goQuote(patch)}`);
    return this.s('I', 3, this.S.patchStatus, 'Patch status for pod', p.fr.kPod + (this.minor >= 26 ? p.fr.kUid : '') + this.f.s('patch', patch));
  }
  fullyTerminated(p: PodRt): number {
    if (this.legacy) return this.p('I', 3, this.S.fullyTerminated, `Pod ${p.fr.qDesc} fully terminated and removed from etcd`);
    return this.s('I', 3, this.S.fullyTerminated, 'Pod fully terminated and removed from etcd', p.fr.kPod);
  }
  doesNotExist(p: PodRt): number {
    if (this.legacy) return this.p('I', 3, this.S.doesNotExist, `Pod ${p.fr.qDesc} does not exist on the server`);
    return this.s('I', 3, this.S.doesNotExist, 'Pod does not exist on the server', p.fr.kUid + p.fr.kPod);
  }
  /** 1.28+ (V3): the API deletion waits for the worker to finish. */
  delayingDeletion(p: PodRt, phase: string): number {
    if (this.minor < 28) return -1;
    return this.s('I', 3, this.S.delayingDeletion, 'Delaying pod deletion as the phase is non-terminal', this.f.u('phase', phase) + this.f.u('localPhase', phase) + p.fr.kPodUid);
  }
  /** 1.28+ (V3): the status manager saw SyncTerminatedPod complete. */
  terminationFinished(p: PodRt, phase: string): number {
    if (this.minor < 28) return -1;
    return this.s('I', 3, this.S.terminationFinished, 'The pod termination is finished as SyncTerminatedPod completes its execution', this.f.u('phase', phase) + this.f.u('localPhase', phase) + p.fr.kPodUid);
  }

  // ---------------------------------------------------------------- probes

  probeFailed(p: PodRt, c: ContainerRt, probeType: string, output: string): number {
    if (this.hide(1)) return -1;
    if (this.legacy) return this.p('I', 1, this.S.probeFailed, `${probeType} probe for "${p.fr.desc}:${c.name}" failed (failure): ${output}`);
    return this.s('I', 1, this.S.probeFailed, 'Probe failed', this.f.s('probeType', probeType) + p.fr.kPodUid + this.cName(c) + this.f.u('probeResult', 'failure') + this.f.s('output', output));
  }
  probeSucceeded(p: PodRt, c: ContainerRt, probeType: string): number {
    if (this.hide(3)) return -1;
    if (this.legacy) return this.p('I', 3, this.S.probeSucceeded, `${probeType} probe for "${p.fr.desc}:${c.name}" succeeded`);
    return this.s('I', 3, this.S.probeSucceeded, 'Probe succeeded', this.f.s('probeType', probeType) + p.fr.kPodUid + this.cName(c));
  }

  // ---------------------------------------------------------------- OOM

  /** oom_watcher (V1): the kernel OOM-killed a process of a container. */
  oomEvent(c: ContainerRt, pid: number, whenGo: string, whenJson: string, cgroup: string): number {
    if (this.hide(1)) return -1;
    const proc = c.image.split('/').at(-1)?.split(':')[0] ?? c.name;
    const plus = `&{Pid:${pid} ProcessName:${proc} TimeOfDeath:${whenGo} ContainerName:${cgroup} VictimContainerName:${cgroup} Constraint:CONSTRAINT_MEMCG}`;
    if (this.legacy) return this.p('I', 1, this.S.oomEvent, `Got sys oom event: ${plus}`);
    const json = `{"Pid":${pid},"ProcessName":"${proc}","TimeOfDeath":"${whenJson}","ContainerName":"${cgroup}","VictimContainerName":"${cgroup}","Constraint":"CONSTRAINT_MEMCG"}`;
    return this.s('I', 1, this.S.oomEvent, 'Got sys oom event', this.f.obj('event', plus, json));
  }

  // ---------------------------------------------------------------- startup latency (1.26+)

  observedStartup(
    p: PodRt,
    sloSeconds: number,
    e2e: string,
    created: { text: string; json: string },
    firstPull: { text: string; json: string },
    lastPull: { text: string; json: string },
    observed: { text: string; json: string },
    watchObserved: { text: string; json: string },
  ): number {
    if (this.minor < 26 || this.hide(0)) return -1;
    const f = this.f;
    const key = this.minor >= 28 ? 'podCreationTimestamp' : 'pod.CreationTimestamp';
    // pod.CreationTimestamp is a metav1.Time: a Stringer in the JSON format too (not a time.Time).
    const createdKv = this.json ? f.s(key, created.text) : f.time(key, created.text, created.json);
    const kv =
      p.fr.kPod +
      f.f('podStartSLOduration', sloSeconds) +
      (this.minor >= 29 ? f.s('podStartE2EDuration', e2e) : '') +
      createdKv +
      f.time('firstStartedPulling', firstPull.text, firstPull.json) +
      f.time('lastFinishedPulling', lastPull.text, lastPull.json) +
      f.time('observedRunningTime', observed.text, observed.json) +
      f.time('watchObservedRunningTime', watchObserved.text, watchObserved.json);
    return this.s('I', 0, this.S.observedStartup, 'Observed pod startup duration', kv);
  }

  // ---------------------------------------------------------------- events (client-go record, V3)

  event(p: PodRt, c: ContainerRt | null, type: 'Normal' | 'Warning', reason: string, message: string): number {
    if (this.hide(3)) return -1;
    const fieldPath = c ? `spec.${p.initContainers.includes(c) ? 'initContainers' : 'containers'}{${c.name}}` : '';
    return this.eventOf(this.f.kobj('object', p.ns, p.name), fieldPath, 'Pod', 'v1', type, reason, message);
  }

  /** client-go's `Event occurred` (StartStructuredLogging(3)); `fieldPath` from the 1.25 client-go on. */
  eventOf(objectKv: string, fieldPath: string, kind: string, apiVersion: string, type: string, reason: string, message: string): number {
    const f = this.f;
    const kv = objectKv + (this.minor >= 25 ? f.s('fieldPath', fieldPath) : '') + f.s('kind', kind) + f.s('apiVersion', apiVersion) + f.s('type', type) + f.s('reason', reason) + f.s('message', message);
    return this.s('I', 3, this.S.event, 'Event occurred', kv);
  }

  /** pod_workers' `err` of a container whose image is in back-off (samples/real 17). */
  imagePullBackOffErr(container: string, image: string): string {
    return `failed to "StartContainer" for "${container}" with ImagePullBackOff: "Back-off pulling image \\"${image}\\""`;
  }

  /** pod_workers' `err` of a failed pull. */
  errImagePullErr(container: string, err: string): string {
    return `failed to "StartContainer" for "${container}" with ErrImagePull: "${err.replaceAll('"', '\\"')}"`;
  }

  /** pod_workers' `err` of a container in CrashLoopBackOff (kuberuntime doBackOff). */
  crashLoopErr(c: ContainerRt, p: PodRt, backoff: string): string {
    return `failed to "StartContainer" for "${c.name}" with CrashLoopBackOff: "back-off ${backoff} restarting failed container=${c.name} pod=${p.fr.desc}"`;
  }

  /** The `Created` event's text: `Created container: c` from 1.32 (samples/real 08), `Created container c` before. */
  createdMessage(c: ContainerRt): string {
    return this.minor >= 32 ? `Created container: ${c.name}` : `Created container ${c.name}`;
  }

  /** `Successfully pulled image …` wording per version. */
  pulledMessage(image: string, pullNs: number, waitNs: number, size: number): string {
    if (this.minor >= 30) return `Successfully pulled image "${image}" in ${goDuration(pullNs)} (${goDuration(waitNs)} including waiting). Image size: ${size} bytes.`;
    if (this.minor >= 28) return `Successfully pulled image "${image}" in ${goDuration(pullNs)} (${goDuration(waitNs)} including waiting)`;
    return `Successfully pulled image "${image}" in ${goDuration(pullNs)}`;
  }
}
