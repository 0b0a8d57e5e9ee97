// Runtime model of pods, containers and volumes shared by the simulation and the renderers.

import type { WorkloadKind } from './types.js';
import type { Incident, PodBook } from './truth.js';

export type Qos = 'besteffort' | 'burstable' | 'guaranteed';
export type ProbeKind = 'http' | 'exec' | 'tcp';

export interface ContainerRt {
  name: string;
  image: string;
  imageRef: string; // docker.io/library/nginx:1.25.3
  imageID: string; // docker.io/library/nginx@sha256:…
  id: string; // 64 hex
  idFull: string; // containerd://<id>
  port: number;
  probe: ProbeKind | null;
  probePath: string;
  /** gogo String() of *v1.Container (`&Container{Name:…}`). */
  spec: string;
  restarts: number;
  startedUs: number;
  exitCode: number;
  finishedUs: number;
  finishedNs: number;
}

export interface VolumeRt {
  name: string;
  plugin: string; // kubernetes.io/projected
  unique: string; // kubernetes.io/projected/<uid>-<name>
  /** For configmap/secret volumes: the referenced object (for reflector lines). */
  ref: { kind: 'Secret' | 'ConfigMap'; name: string } | null;
}

export interface WorkloadRt {
  kind: Exclude<WorkloadKind, 'Static' | 'Mirror'>;
  namespace: string;
  name: string;
  key: string;
  containers: ReadonlyArray<{ name: string; image: string; port: number; probe: ProbeKind | null; probePath: string }>;
  initContainers: ReadonlyArray<{ name: string; image: string; port: number; probe: ProbeKind | null; probePath: string }>;
  extraVolumes: ReadonlyArray<{ name: string; plugin: string; ref: { kind: 'Secret' | 'ConfigMap'; name: string } | null }>;
  qos: Qos;
  hostNetwork: boolean;
  replicas: number;
  initial: number;
  weight: number;
  meanLifetimeSeconds: number;
  terminationSeconds: number | null;
  gracePeriodSeconds: number;
  killFailure: number | null;
  crashLoop: number | null;
  probeFailure: number | null;
  ignoreSigterm: number | null;
  oomKill: number | null;
  probeRestart: number | null;
  imagePullFailure: number | null;
  /** Deployment: current ReplicaSet pod-template-hash. */
  rsHash: string;
  /** StatefulSet: ordinals in use. */
  ordinals: Set<number>;
}

/**
 * Where the simulated pod worker is (README.md "Ground truth"): `pending` before admission,
 * `rejected` (admission failed, no worker), `syncing`, `terminating`, `terminated`, `finished`.
 */
export type WorkerState = 'pending' | 'rejected' | 'syncing' | 'terminating' | 'terminated' | 'finished';

export interface PodRt {
  seq: number;
  uid: string;
  ns: string;
  name: string;
  kind: WorkloadKind;
  workload: WorkloadRt | null;
  workloadKey: string;
  static: boolean;
  source: 'api' | 'file';
  mirrorUid: string | null;
  qos: Qos;
  hostNetwork: boolean;
  ip: string;
  sandboxId: string;
  containers: ContainerRt[];
  initContainers: ContainerRt[];
  volumes: VolumeRt[];
  grace: number;
  /** Seconds the app takes to exit after SIGTERM. */
  termSeconds: number;
  ordinal: number;
  createdUs: number; // API creationTimestamp (second precision)
  startUs: number; // ADD time
  /** Renderer-specific precomputed fragments. */
  fr: PodFrags;
  book: PodBook;
  // simulation state
  state: WorkerState;
  /** Known to the kubelet (ADDed and not yet REMOVEd). */
  alive: boolean;
  /** Containers started (the pod came up). */
  running: boolean;
  /** Phase Succeeded/Failed in the API (completed Job, evicted, rejected): re-ADDed after a restart, no sync. */
  terminal: boolean;
  completed: boolean;
  finished: boolean;
  /** The grace-exceeded incident of the current teardown (its exit lines are evidence too). */
  graceInc: Incident | null;
  /** Its teardown hangs (the runtime never returns from StopContainer): terminating stays open. */
  stuck: boolean;
  probeFlaky: boolean;
  ready: boolean;
  /** With a slow readiness: when the readiness probe starts to pass (0: not waiting). */
  readyAt: number;
  statusVersion: number;
}

/** Pre-rendered per-pod text (filled by the Renderer for its era). */
export interface PodFrags {
  /** ` pod="ns/name"` / `,"pod":{…}` */
  kPod: string;
  /** ` podUID=…` */
  kUid: string;
  /** kPod + kUid */
  kPodUid: string;
  /** `name_ns(uid)` */
  desc: string;
  /** `"name_ns(uid)"` */
  qDesc: string;
}
