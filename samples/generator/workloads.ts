// Workloads of the simulated node and the factory that turns them into pods (names, UIDs,
// containers, volumes, pre-rendered strings).

import type { Rng } from './rng.js';
import type { ContainerRt, PodRt, ProbeKind, Qos, VolumeRt, WorkloadRt } from './model.js';
import type { PodTruth, WorkloadKind, WorkloadOverride } from './types.js';
import type { Renderer } from './render.js';
import { rfc3339Utc } from './timefmt.js';

interface ContainerSeed {
  name: string;
  image: string;
  port?: number;
  probe?: ProbeKind;
  probePath?: string;
}

interface WorkloadSeed {
  kind: WorkloadRt['kind'];
  namespace: string;
  name: string;
  containers: ContainerSeed[];
  initContainers?: ContainerSeed[];
  extraVolumes?: Array<{ name: string; plugin: string; ref?: { kind: 'Secret' | 'ConfigMap'; name: string } }>;
  qos?: Qos;
  hostNetwork?: boolean;
  replicas?: number;
  initial?: number;
  weight?: number;
  meanLifetimeSeconds?: number;
}

const DEFAULT_WORKLOADS: WorkloadSeed[] = [
  {
    kind: 'DaemonSet',
    namespace: 'kube-system',
    name: 'kube-proxy',
    containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:{K8S}' }],
    extraVolumes: [
      { name: 'kube-proxy', plugin: 'kubernetes.io/configmap', ref: { kind: 'ConfigMap', name: 'kube-proxy' } },
      { name: 'xtables-lock', plugin: 'kubernetes.io/host-path' },
      { name: 'lib-modules', plugin: 'kubernetes.io/host-path' },
    ],
    qos: 'besteffort',
    hostNetwork: true,
    initial: 1,
    weight: 0,
  },
  {
    kind: 'DaemonSet',
    namespace: 'kube-system',
    name: 'calico-node',
    containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.26.4', probe: 'exec', probePath: '/bin/calico-node -felix-ready' }],
    extraVolumes: [
      { name: 'cni-bin-dir', plugin: 'kubernetes.io/host-path' },
      { name: 'var-run-calico', plugin: 'kubernetes.io/host-path' },
    ],
    qos: 'burstable',
    hostNetwork: true,
    initial: 1,
    weight: 0,
  },
  {
    kind: 'DaemonSet',
    namespace: 'monitoring',
    name: 'node-exporter',
    containers: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.7.0', port: 9100 }],
    extraVolumes: [{ name: 'proc', plugin: 'kubernetes.io/host-path' }],
    qos: 'burstable',
    initial: 1,
    weight: 0,
  },
  {
    kind: 'Deployment',
    namespace: 'kube-system',
    name: 'coredns',
    containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.10.1', port: 53, probe: 'http', probePath: '/ready' }],
    extraVolumes: [{ name: 'config-volume', plugin: 'kubernetes.io/configmap', ref: { kind: 'ConfigMap', name: 'coredns' } }],
    qos: 'burstable',
    initial: 2,
    weight: 0.3,
    meanLifetimeSeconds: 7200,
  },
  {
    kind: 'Deployment',
    namespace: 'default',
    name: 'nginx-deployment',
    containers: [{ name: 'nginx', image: 'nginx:1.25.3', port: 80, probe: 'http', probePath: '/' }],
    qos: 'besteffort',
    initial: 3,
    weight: 3,
    meanLifetimeSeconds: 900,
  },
  {
    kind: 'Deployment',
    namespace: 'shop',
    name: 'frontend',
    containers: [
      { name: 'frontend', image: 'ghcr.io/acme/shop-frontend:2.14.1', port: 8080, probe: 'http', probePath: '/healthz' },
      { name: 'envoy', image: 'docker.io/envoyproxy/envoy:v1.28.0', port: 15001 },
    ],
    extraVolumes: [
      { name: 'frontend-config', plugin: 'kubernetes.io/configmap', ref: { kind: 'ConfigMap', name: 'frontend-config' } },
      { name: 'envoy-cache', plugin: 'kubernetes.io/empty-dir' },
    ],
    qos: 'burstable',
    initial: 3,
    weight: 2,
    meanLifetimeSeconds: 1200,
  },
  {
    kind: 'Deployment',
    namespace: 'shop',
    name: 'cart-api',
    containers: [{ name: 'cart-api', image: 'ghcr.io/acme/cart-api:1.9.3', port: 8080, probe: 'exec', probePath: '/app/ready.sh' }],
    initContainers: [{ name: 'wait-for-db', image: 'docker.io/library/busybox:1.36' }],
    extraVolumes: [{ name: 'cart-secrets', plugin: 'kubernetes.io/secret', ref: { kind: 'Secret', name: 'cart-secrets' } }],
    qos: 'guaranteed',
    initial: 2,
    weight: 2,
    meanLifetimeSeconds: 700,
  },
  {
    kind: 'Deployment',
    namespace: 'payments',
    name: 'ledger',
    containers: [
      { name: 'ledger', image: 'ghcr.io/acme/ledger:4.2.0', port: 9000, probe: 'tcp' },
      { name: 'log-shipper', image: 'docker.io/fluent/fluent-bit:2.2.0' },
    ],
    extraVolumes: [{ name: 'varlog', plugin: 'kubernetes.io/empty-dir' }],
    qos: 'burstable',
    initial: 2,
    weight: 1,
    meanLifetimeSeconds: 1500,
  },
  {
    kind: 'Deployment',
    namespace: 'monitoring',
    name: 'kube-state-metrics',
    containers: [{ name: 'kube-state-metrics', image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.10.1', port: 8080, probe: 'http', probePath: '/healthz' }],
    qos: 'burstable',
    initial: 1,
    weight: 0.3,
    meanLifetimeSeconds: 5400,
  },
  {
    kind: 'StatefulSet',
    namespace: 'data',
    name: 'redis',
    containers: [{ name: 'redis', image: 'redis:7.2.4', port: 6379, probe: 'tcp' }],
    initContainers: [{ name: 'init-config', image: 'docker.io/library/busybox:1.36' }],
    extraVolumes: [{ name: 'data', plugin: 'kubernetes.io/empty-dir' }],
    qos: 'burstable',
    replicas: 3,
    initial: 2,
    weight: 1,
    meanLifetimeSeconds: 5400,
  },
  {
    kind: 'StatefulSet',
    namespace: 'data',
    name: 'web',
    containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.8', port: 80 }],
    extraVolumes: [{ name: 'www', plugin: 'kubernetes.io/empty-dir' }],
    qos: 'besteffort',
    replicas: 4,
    initial: 2,
    weight: 1,
    meanLifetimeSeconds: 3600,
  },
  {
    kind: 'Job',
    namespace: 'batch',
    name: 'nightly-report',
    containers: [{ name: 'report', image: 'python:3.12-slim' }],
    extraVolumes: [{ name: 'report-config', plugin: 'kubernetes.io/configmap', ref: { kind: 'ConfigMap', name: 'report-config' } }],
    qos: 'besteffort',
    initial: 0,
    weight: 1.5,
    meanLifetimeSeconds: 60,
  },
  {
    kind: 'Job',
    namespace: 'batch',
    name: 'db-migrate',
    containers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:0.7.1' }],
    qos: 'besteffort',
    initial: 0,
    weight: 0.5,
    meanLifetimeSeconds: 20,
  },
];

const STATIC_PODS: Array<{ comp: string; image: string; volumes: string[] }> = [
  { comp: 'etcd', image: 'registry.k8s.io/etcd:3.5.9-0', volumes: ['etcd-certs', 'etcd-data'] },
  { comp: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:{K8S}', volumes: ['ca-certs', 'etc-ca-certificates', 'k8s-certs', 'usr-share-ca-certificates'] },
  { comp: 'kube-controller-manager', image: 'registry.k8s.io/kube-controller-manager:{K8S}', volumes: ['ca-certs', 'flexvolume-dir', 'k8s-certs', 'kubeconfig'] },
  { comp: 'kube-scheduler', image: 'registry.k8s.io/kube-scheduler:{K8S}', volumes: ['kubeconfig'] },
];

export interface WorkloadDefaults {
  minor: number;
  k8sVersion: string; // v1.28.7
  overrides: readonly WorkloadOverride[];
}

function matches(o: WorkloadOverride, w: { kind: string; namespace: string; name: string }): boolean {
  const m = o.match;
  return m === `${w.kind}/${w.namespace}/${w.name}` || m === `${w.namespace}/${w.name}` || m === w.name || m === '*';
}

function containerDef(c: ContainerSeed, k8sVersion: string): WorkloadRt['containers'][number] {
  return { name: c.name, image: c.image.replace('{K8S}', k8sVersion), port: c.port ?? 0, probe: c.probe ?? null, probePath: c.probePath ?? '' };
}

export function buildWorkloads(rng: Rng, d: WorkloadDefaults): WorkloadRt[] {
  const out: WorkloadRt[] = [];
  for (const s of DEFAULT_WORKLOADS) {
    const w: WorkloadRt = {
      kind: s.kind,
      namespace: s.namespace,
      name: s.name,
      key: `${s.kind}/${s.namespace}/${s.name}`,
      containers: s.containers.map((c) => containerDef(c, d.k8sVersion)),
      initContainers: (s.initContainers ?? []).map((c) => containerDef(c, d.k8sVersion)),
      extraVolumes: (s.extraVolumes ?? []).map((v) => ({ name: v.name, plugin: v.plugin, ref: v.ref ?? null })),
      qos: s.qos ?? 'besteffort',
      hostNetwork: s.hostNetwork ?? false,
      replicas: s.replicas ?? 0,
      initial: s.initial ?? 0,
      weight: s.weight ?? 1,
      meanLifetimeSeconds: s.meanLifetimeSeconds ?? 900,
      terminationSeconds: null,
      gracePeriodSeconds: 30,
      killFailure: null,
      crashLoop: null,
      probeFailure: null,
      ignoreSigterm: null,
      oomKill: null,
      probeRestart: null,
      imagePullFailure: null,
      rsHash: rng.alnum(rng.chance(0.5) ? 9 : 10),
      ordinals: new Set(),
    };
    for (const o of d.overrides) {
      if (!matches(o, w)) continue;
      if (o.terminationSeconds !== undefined) w.terminationSeconds = o.terminationSeconds;
      if (o.gracePeriodSeconds !== undefined) w.gracePeriodSeconds = o.gracePeriodSeconds;
      if (o.killFailure !== undefined) w.killFailure = o.killFailure;
      if (o.crashLoop !== undefined) w.crashLoop = o.crashLoop;
      if (o.probeFailure !== undefined) w.probeFailure = o.probeFailure;
      if (o.ignoreSigterm !== undefined) w.ignoreSigterm = o.ignoreSigterm;
      if (o.weight !== undefined) w.weight = o.weight;
      if (o.meanLifetimeSeconds !== undefined) w.meanLifetimeSeconds = o.meanLifetimeSeconds;
      if (o.oomKill !== undefined) w.oomKill = o.oomKill;
      if (o.probeRestart !== undefined) w.probeRestart = o.probeRestart;
      if (o.imagePullFailure !== undefined) w.imagePullFailure = o.imagePullFailure;
    }
    out.push(w);
  }
  return out;
}

/** gogo-protobuf String() of a *v1.Container, per API version (`minor`: 19…33). */
function containerSpec(minor: number, c: { name: string; image: string; port: number; probe: ProbeKind | null; probePath: string }, mounts: VolumeRt[], qos: Qos): string {
  const ports = c.port ? `[]ContainerPort{ContainerPort{Name:,HostPort:0,ContainerPort:${c.port},Protocol:TCP,HostIP:,},}` : '[]ContainerPort{}';
  const req = 'ResourceList{cpu: {{100 -3} {<nil>} 100m DecimalSI},memory: {{134217728 0} {<nil>}  BinarySI},}';
  const limits = qos === 'guaranteed' ? req : 'ResourceList{}';
  const requests = qos === 'besteffort' ? 'ResourceList{}' : req;
  const res = `ResourceRequirements{Limits:${limits},Requests:${requests},${minor >= 26 ? 'Claims:[]ResourceClaim{},' : ''}}`;
  const vm = `[]VolumeMount{${mounts
    .map((v) => {
      const path = v.name.startsWith('kube-api-access') || v.name.startsWith('default-token') ? '/var/run/secrets/kubernetes.io/serviceaccount' : `/mnt/${v.name}`;
      const ro = v.plugin === 'kubernetes.io/projected' || v.plugin === 'kubernetes.io/secret';
      return `VolumeMount{Name:${v.name},ReadOnly:${ro},MountPath:${path},SubPath:,MountPropagation:nil,SubPathExpr:,},`;
    })
    .join('')}}`;
  let probe = 'nil';
  if (c.probe) {
    const exec = c.probe === 'exec' ? `&ExecAction{Command:[/bin/sh -c ${c.probePath}],}` : 'nil';
    const http = c.probe === 'http' ? `&HTTPGetAction{Path:${c.probePath},Port:{0 ${c.port} },Host:,Scheme:HTTP,HTTPHeaders:[]HTTPHeader{},}` : 'nil';
    const tcp = c.probe === 'tcp' ? `&TCPSocketAction{Port:{0 ${c.port} },Host:,}` : 'nil';
    const handler = minor >= 23 ? `ProbeHandler:ProbeHandler{Exec:${exec},HTTPGet:${http},TCPSocket:${tcp},GRPC:nil,}` : `Handler:Handler{Exec:${exec},HTTPGet:${http},TCPSocket:${tcp},}`;
    probe = `&Probe{${handler},InitialDelaySeconds:0,TimeoutSeconds:1,PeriodSeconds:10,SuccessThreshold:1,FailureThreshold:3,${minor >= 23 ? 'TerminationGracePeriodSeconds:nil,' : ''}}`;
  }
  return (
    `&Container{Name:${c.name},Image:${c.image},Command:[],Args:[],WorkingDir:,Ports:${ports},Env:[]EnvVar{},Resources:${res},VolumeMounts:${vm},` +
    `LivenessProbe:nil,ReadinessProbe:${probe},Lifecycle:nil,TerminationMessagePath:/dev/termination-log,ImagePullPolicy:IfNotPresent,SecurityContext:nil,` +
    `Stdin:false,StdinOnce:false,TTY:false,EnvFrom:[]EnvFromSource{},TerminationMessagePolicy:File,VolumeDevices:[]VolumeDevice{},StartupProbe:nil,` +
    `${minor >= 28 ? 'ResizePolicy:[]ContainerResizePolicy{},RestartPolicy:nil,' : ''}}`
  );
}

function imageRef(image: string): string {
  const slash = image.indexOf('/');
  const first = slash === -1 ? '' : image.slice(0, slash);
  if (first.includes('.') || first.includes(':')) return image;
  return slash === -1 ? `docker.io/library/${image}` : `docker.io/${image}`;
}

export interface NewPodArgs {
  workload: WorkloadRt | null;
  kind: WorkloadKind;
  ns: string;
  name: string;
  uid: string;
  static: boolean;
  containers: ReadonlyArray<{ name: string; image: string; port: number; probe: ProbeKind | null; probePath: string }>;
  initContainers: ReadonlyArray<{ name: string; image: string; port: number; probe: ProbeKind | null; probePath: string }>;
  extraVolumes: ReadonlyArray<{ name: string; plugin: string; ref: { kind: 'Secret' | 'ConfigMap'; name: string } | null }>;
  tokenVolume: boolean;
  qos: Qos;
  hostNetwork: boolean;
  grace: number;
  termSeconds: number;
  ordinal: number;
  startUs: number;
  workloadKey: string;
}

export class PodFactory {
  private seq = 0;
  private ipNext: number;
  private readonly imageIds = new Map<string, string>();
  private readonly tokenSecrets = new Map<string, string>();
  readonly nodeIp: string;
  private readonly cidr: number;
  readonly statics: typeof STATIC_PODS;

  constructor(
    private readonly rng: Rng,
    private readonly R: Renderer,
    private readonly node: string,
    private readonly k8sVersion: string,
    private readonly newBook: (t: PodTruth) => PodRt['book'],
  ) {
    this.nodeIp = `10.0.${rng.intIn(0, 3)}.${rng.intIn(4, 60)}`;
    this.cidr = rng.intIn(1, 250);
    this.ipNext = rng.intIn(2, 200);
    this.statics = STATIC_PODS;
  }

  private imageID(ref: string): string {
    let id = this.imageIds.get(ref);
    if (!id) {
      const colon = ref.lastIndexOf(':');
      const repo = colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
      id = `${repo}@sha256:${this.rng.hex(64)}`;
      this.imageIds.set(ref, id);
    }
    return id;
  }

  private nextIp(): string {
    const ip = `10.244.${this.cidr}.${this.ipNext}`;
    this.ipNext = this.ipNext >= 254 ? 2 : this.ipNext + 1;
    return ip;
  }

  /** The namespace's legacy service-account token secret (≤1.20: `default-token-xxxxx`). */
  tokenSecret(ns: string): string {
    let s = this.tokenSecrets.get(ns);
    if (!s) {
      s = `default-token-${this.rng.alnum(5)}`;
      this.tokenSecrets.set(ns, s);
    }
    return s;
  }

  /** A new pod name for a workload. */
  podName(w: WorkloadRt, t: number): { name: string; ordinal: number } {
    switch (w.kind) {
      case 'Deployment':
        if (this.rng.chance(0.01)) w.rsHash = this.rng.alnum(this.rng.chance(0.5) ? 9 : 10);
        return { name: `${w.name}-${w.rsHash}-${this.rng.alnum(5)}`, ordinal: -1 };
      case 'DaemonSet':
        return { name: `${w.name}-${this.rng.alnum(5)}`, ordinal: -1 };
      case 'StatefulSet': {
        let o = 0;
        while (w.ordinals.has(o)) o++;
        return { name: `${w.name}-${o}`, ordinal: o };
      }
      case 'Job':
        if (w.name === 'nightly-report') return { name: `${w.name}-${Math.floor(t / 60_000_000)}-${this.rng.alnum(5)}`, ordinal: -1 };
        return { name: `${w.name}-${this.rng.alnum(5)}`, ordinal: -1 };
    }
  }

  create(a: NewPodArgs): PodRt {
    const minor = this.R.minor;
    const vols: VolumeRt[] = [];
    const mk = (name: string, plugin: string, ref: VolumeRt['ref']): VolumeRt => ({ name, plugin, unique: `${plugin}/${a.uid}-${name}`, ref });
    if (a.tokenVolume) {
      if (minor <= 20) {
        const secret = this.tokenSecret(a.ns);
        vols.push(mk(secret, 'kubernetes.io/secret', { kind: 'Secret', name: secret }));
      } else {
        vols.push(mk(`kube-api-access-${this.rng.alnum(5)}`, 'kubernetes.io/projected', { kind: 'ConfigMap', name: 'kube-root-ca.crt' }));
      }
    }
    for (const v of a.extraVolumes) vols.push(mk(v.name, v.plugin, v.ref));
    // Volumes are mounted in name order by the reconciler's desired state iteration; keep spec order.
    const rt = this.R.rt;
    const mkC = (c: NewPodArgs['containers'][number]): ContainerRt => {
      const id = this.rng.hex(64);
      const ref = imageRef(c.image);
      return {
        name: c.name,
        image: c.image,
        imageRef: ref,
        imageID: this.imageID(ref),
        id,
        idFull: `${rt}://${id}`,
        port: c.port,
        probe: c.probe,
        probePath: c.probePath,
        spec: containerSpec(minor, c, vols, a.qos),
        restarts: 0,
        startedUs: 0,
        exitCode: 0,
        finishedUs: 0,
        finishedNs: 0,
      };
    };
    const initContainers = a.initContainers.map(mkC);
    const containers = a.containers.map(mkC);
    const truth: PodTruth = {
      uid: a.uid,
      namespace: a.ns,
      name: a.name,
      static: a.static,
      mirror: false,
      kind: a.kind,
      workloadKey: a.workloadKey,
      source: a.static ? 'file' : 'api',
      containers: containers.map((c) => c.name),
      initContainers: initContainers.map((c) => c.name),
      addedUs: null,
      deletedUs: null,
      removedUs: null,
      finishedUs: null,
      phases: [],
      anomalies: [],
      startup: [],
      teardown: [],
      openAtEnd: true,
    };
    const p: PodRt = {
      seq: this.seq++,
      uid: a.uid,
      ns: a.ns,
      name: a.name,
      kind: a.kind,
      workload: a.workload,
      workloadKey: a.workloadKey,
      static: a.static,
      source: a.static ? 'file' : 'api',
      mirrorUid: null,
      qos: a.qos,
      hostNetwork: a.hostNetwork,
      ip: a.hostNetwork ? this.nodeIp : this.nextIp(),
      sandboxId: this.rng.hex(64),
      containers,
      initContainers,
      volumes: vols,
      grace: a.grace,
      termSeconds: a.termSeconds,
      ordinal: a.ordinal,
      createdUs: Math.floor(a.startUs / 1_000_000) * 1_000_000 - (this.rng.chance(0.5) ? 1_000_000 : 0),
      startUs: a.startUs,
      fr: this.R.frags(a.ns, a.name, a.uid),
      book: undefined as unknown as PodRt['book'],
      state: 'pending',
      alive: true,
      running: false,
      terminal: false,
      completed: false,
      finished: false,
      graceInc: null,
      stuck: false,
      probeFlaky: false,
      ready: false,
      readyAt: 0,
      statusVersion: 0,
    };
    p.book = this.newBook(truth);
    return p;
  }

  /**
   * A pod of a workload (a new replica, or a StatefulSet pod re-created under its old name).
   * `rng` is the simulation's: the UID and termination time draw from it, in that order.
   */
  createForWorkload(w: WorkloadRt, name: string, ordinal: number, rng: Rng, now: number): PodRt {
    return this.create({
      workload: w,
      kind: w.kind,
      ns: w.namespace,
      name,
      uid: rng.uuid(),
      static: false,
      containers: w.containers,
      initContainers: w.initContainers,
      extraVolumes: w.extraVolumes,
      tokenVolume: true,
      qos: w.qos,
      hostNetwork: w.hostNetwork,
      grace: w.gracePeriodSeconds,
      termSeconds: w.terminationSeconds ?? rng.range(0.05, 2),
      ordinal,
      startUs: now,
      workloadKey: w.key,
    });
  }

  /** A static pod of the control plane: UID = 32 hex (manifest hash), hostPath volumes. */
  createStatic(i: number, t: number, grace: number): PodRt {
    const s = STATIC_PODS[i % STATIC_PODS.length] as (typeof STATIC_PODS)[number];
    const name = `${s.comp}-${this.node}`;
    return this.create({
      workload: null,
      kind: 'Static',
      ns: 'kube-system',
      name,
      uid: this.rng.hex(32),
      static: true,
      containers: [{ name: s.comp, image: s.image.replace('{K8S}', this.k8sVersion), port: 0, probe: null, probePath: '' }],
      initContainers: [],
      extraVolumes: s.volumes.map((v) => ({ name: v, plugin: 'kubernetes.io/host-path', ref: null })),
      tokenVolume: false,
      qos: 'burstable',
      hostNetwork: true,
      grace,
      termSeconds: 0.3,
      ordinal: -1,
      startUs: t,
      workloadKey: `Static/kube-system/${name}`,
    });
  }

  /** systemd cgroup slice of a pod (`/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid_>.slice`). */
  static cgroupSlice(p: PodRt): string {
    const u = p.uid.replaceAll('-', '_');
    if (p.qos === 'guaranteed') return `/kubepods.slice/kubepods-pod${u}.slice`;
    return `/kubepods.slice/kubepods-${p.qos}.slice/kubepods-${p.qos}-pod${u}.slice`;
  }
}

// ------------------------------------------------------------------ status patches

const CONDITIONS_ORDER = `"$setElementOrder/conditions":[{"type":"Initialized"},{"type":"Ready"},{"type":"ContainersReady"},{"type":"PodScheduled"}]`;

export function patchRunning(p: PodRt, startUs: number, readyUs: number, nodeIp: string): string {
  const tr = rfc3339Utc(readyUs);
  const cs = p.containers
    .map(
      (c) =>
        `{"containerID":"${c.idFull}","image":"${c.imageRef}","imageID":"${c.imageID}","lastState":{},"name":"${c.name}","ready":true,"restartCount":${c.restarts},"started":true,"state":{"running":{"startedAt":"${rfc3339Utc(c.startedUs || startUs)}"}}}`,
    )
    .join(',');
  return (
    `{"metadata":{"uid":"${p.uid}"},"status":{${CONDITIONS_ORDER},` +
    `"conditions":[{"lastProbeTime":null,"lastTransitionTime":"${tr}","status":"True","type":"Ready"},{"lastProbeTime":null,"lastTransitionTime":"${tr}","status":"True","type":"ContainersReady"}],` +
    `"containerStatuses":[${cs}],"hostIP":"${nodeIp}","phase":"Running","podIP":"${p.ip}","podIPs":[{"ip":"${p.ip}"}],"startTime":"${rfc3339Utc(startUs)}"}}`
  );
}

export function patchNotReady(p: PodRt, t: number): string {
  const tr = rfc3339Utc(t);
  const names = p.containers.map((c) => c.name).join(' ');
  return (
    `{"metadata":{"uid":"${p.uid}"},"status":{${CONDITIONS_ORDER},` +
    `"conditions":[{"lastTransitionTime":"${tr}","message":"containers with unready status: [${names}]","reason":"ContainersNotReady","status":"False","type":"Ready"},` +
    `{"lastTransitionTime":"${tr}","message":"containers with unready status: [${names}]","reason":"ContainersNotReady","status":"False","type":"ContainersReady"}]}}`
  );
}

export function patchTerminated(p: PodRt, t: number, phase: 'Succeeded' | 'Failed' | 'Running'): string {
  const tr = rfc3339Utc(t);
  const names = p.containers.map((c) => c.name).join(' ');
  const cs = p.containers
    .map(
      (c) =>
        `{"containerID":"${c.idFull}","image":"${c.imageRef}","imageID":"${c.imageID}","lastState":{},"name":"${c.name}","ready":false,"restartCount":${c.restarts},"started":false,"state":{"terminated":{"containerID":"${c.idFull}","exitCode":${c.exitCode},"finishedAt":"${rfc3339Utc(c.finishedUs || t)}","reason":"${c.exitCode === 0 ? 'Completed' : 'Error'}","startedAt":"${rfc3339Utc(c.startedUs || t)}"}}}`,
    )
    .join(',');
  return (
    `{"metadata":{"uid":"${p.uid}"},"status":{${CONDITIONS_ORDER},` +
    `"conditions":[{"lastTransitionTime":"${tr}","message":"containers with unready status: [${names}]","reason":"ContainersNotReady","status":"False","type":"Ready"},` +
    `{"lastTransitionTime":"${tr}","message":"containers with unready status: [${names}]","reason":"ContainersNotReady","status":"False","type":"ContainersReady"}],` +
    `"containerStatuses":[${cs}]${phase === 'Running' ? '' : `,"phase":"${phase}"`}}}`
  );
}


/** The status an admission reject writes (samples/real 12): phase Failed with the reject reason. */
export function patchRejected(p: PodRt, t: number, reason: string, message: string): string {
  return `{"metadata":{"uid":"${p.uid}"},"status":{"conditions":null,"message":${JSON.stringify(`Pod was rejected: ${message}`)},"phase":"Failed","qosClass":null,"reason":"${reason}","startTime":"${rfc3339Utc(t)}"}}`;
}

/** The status of an evicted pod: phase Failed, reason Evicted, the eviction message. */
export function patchEvicted(p: PodRt, t: number, message: string): string {
  const tr = rfc3339Utc(t);
  return (
    `{"metadata":{"uid":"${p.uid}"},"status":{${CONDITIONS_ORDER},` +
    `"conditions":[{"lastTransitionTime":"${tr}","reason":"PodFailed","status":"False","type":"Ready"},{"lastTransitionTime":"${tr}","reason":"PodFailed","status":"False","type":"ContainersReady"}],` +
    `"message":${JSON.stringify(message)},"phase":"Failed","reason":"Evicted"}}`
  );
}

/** A container restarted after it died (OOMKilled, Error, or killed for a failed liveness probe): running again, lastState terminated. */
export function patchRestarted(p: PodRt, c: ContainerRt, lastId: string, reason: string, exitCode: number, diedUs: number, t: number): string {
  const lastFull = c.idFull.slice(0, c.idFull.indexOf('://') + 3) + lastId;
  const last = `{"terminated":{"containerID":"${lastFull}","exitCode":${exitCode},"finishedAt":"${rfc3339Utc(diedUs)}","reason":"${reason}","startedAt":"${rfc3339Utc(c.startedUs || t)}"}}`;
  return (
    `{"metadata":{"uid":"${p.uid}"},"status":{"containerStatuses":[{"containerID":"${c.idFull}","image":"${c.imageRef}","imageID":"${c.imageID}","lastState":${last},` +
    `"name":"${c.name}","ready":false,"restartCount":${c.restarts},"started":true,"state":{"running":{"startedAt":"${rfc3339Utc(t)}"}}}]}}`
  );
}

/** A container waiting to be pulled (ErrImagePull / ImagePullBackOff). */
export function patchWaiting(p: PodRt, c: ContainerRt, reason: string, message: string): string {
  return (
    `{"metadata":{"uid":"${p.uid}"},"status":{"containerStatuses":[{"image":"${c.image}","imageID":"","lastState":{},"name":"${c.name}","ready":false,"restartCount":0,"started":false,` +
    `"state":{"waiting":{"message":${JSON.stringify(message)},"reason":"${reason}"}}}]}}`
  );
}
