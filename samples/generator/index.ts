// kubelog's generator of realistic kubelet logs with ground truth.
//
//   const truth = await generateLog({ seed: 7, targetBytes: 5e6, kubeletVersion: '1.26' }, (chunk) => stream.write(chunk));
//
// Output is streamed in chunks of about 1 MiB (the promise returned by `out` is awaited, which gives
// backpressure); memory stays flat apart from the ground truth (a few hundred bytes per pod).

import type { GeneratorOptions, GroundTruth } from './types.js';
import { resolveOptions } from './options.js';
import { SEC, Sim } from './sim.js';
import { arrivals, evictionLoop, extraPeriodicLoop, housekeepingLoop, leaseLoop, nodeIncidentScheduler, reflectorLoop } from './node.js';
import { kubeletBoot, processEndScheduler } from './kubelet.js';
import { Renderer, type RecordSink } from './render.js';
import type { Site } from './sites.js';
import type { ContainerRt, PodRt } from './model.js';
import { PodBook } from './truth.js';
import type { KubeletVersion, LogFormat, Severity } from './types.js';
import { profileOf } from './versions.js';

export type * from './types.js';
export { resolveOptions, parseSize, VERSIONS, ENVELOPES, DEFAULT_ANOMALIES, DEFAULT_NODE } from './options.js';
export { TEXT_VERSIONS, profileOf, type Profile } from './versions.js';
export { TOLERANCE_MS } from './tolerance.js';
export { Renderer } from './render.js';
export type { RecordSink } from './render.js';
export { goQuote, goFloatV, klogBlock, Fmt } from './values.js';
export { parseTz, goDuration, goTimeString } from './timefmt.js';
export type { PodRt, ContainerRt, VolumeRt } from './model.js';

/** Generate a kubelet log, streaming it to `out`, and return the ground truth. */
export async function generateLog(opts: GeneratorOptions, out: (chunk: string) => void | Promise<void>): Promise<GroundTruth> {
  const cfg = resolveOptions(opts);
  const sim = new Sim(cfg, out);
  sim.spawn(kubeletBoot(sim), 0, true);
  sim.spawn(arrivals(sim), 2 * SEC);
  sim.spawn(housekeepingLoop(sim), sim.rng.int(2 * SEC));
  sim.spawn(evictionLoop(sim));
  sim.spawn(leaseLoop(sim));
  sim.spawn(reflectorLoop(sim));
  for (const e of cfg.extraPeriodic) sim.spawn(extraPeriodicLoop(sim, e), sim.rng.int(SEC));
  if (cfg.restarts + cfg.nodeIncidents.crashes > 0) sim.spawn(processEndScheduler(sim), 30 * SEC, true);
  if (cfg.nodeIncidents.evictions + cfg.nodeIncidents.plegUnhealthy > 0) sim.spawn(nodeIncidentScheduler(sim), 40 * SEC);
  await sim.run();
  return sim.truth();
}

// ------------------------------------------------------------------ helpers for tests and fixtures

/** A RecordSink that keeps the rendered records (header-less bodies) in memory. */
export class CollectSink implements RecordSink {
  readonly records: Array<{ sev: Severity; site: Site; body: string }> = [];
  private t = 0;
  record(sev: Severity, site: Site, body: string): number {
    this.records.push({ sev, site, body });
    return ++this.t;
  }
  skip(): number {
    return -1;
  }
  /** Bodies as they follow the klog header (text versions) or the JSON `"msg":` key. */
  bodies(): string[] {
    return this.records.map((r) => r.body);
  }
}

export interface SamplePodSpec {
  ns: string;
  name: string;
  uid: string;
  containers?: Array<{ name: string; id: string; exitCode?: number }>;
  sandboxId?: string;
  ip?: string;
}

/** A renderer writing into a CollectSink, for rendering individual messages. */
export function sampleRenderer(
  version: KubeletVersion,
  opts: { verbosity?: number; runtime?: 'docker' | 'containerd'; node?: string; logFormat?: LogFormat } = {},
): { R: Renderer; sink: CollectSink } {
  const sink = new CollectSink();
  const profile = profileOf(version);
  const R = new Renderer(
    {
      profile,
      logFormat: opts.logFormat ?? (version === 'json' ? 'json' : 'text'),
      verbosity: opts.verbosity ?? 10,
      runtime: opts.runtime ?? (profile.dockershim ? 'docker' : 'containerd'),
      node: opts.node ?? 'node-1',
    },
    sink,
  );
  return { R, sink };
}

/** A pod with fixed identifiers for rendering individual messages. */
export function samplePod(R: Renderer, s: SamplePodSpec): PodRt {
  const containers: ContainerRt[] = (s.containers ?? [{ name: 'nginx', id: 'dc18bc33e791' }]).map((c) => ({
    name: c.name,
    image: 'nginx:1.14.2',
    imageRef: 'docker.io/library/nginx:1.14.2',
    imageID: 'docker.io/library/nginx@sha256:0000',
    id: c.id,
    idFull: `${R.rt}://${c.id}`,
    port: 80,
    probe: null,
    probePath: '',
    spec: '&Container{Name:nginx,Image:nginx:1.14.2,Command:[],Args:[],}',
    restarts: 0,
    startedUs: 0,
    exitCode: c.exitCode ?? 0,
    finishedUs: 0,
    finishedNs: 0,
  }));
  const p: PodRt = {
    seq: 0,
    uid: s.uid,
    ns: s.ns,
    name: s.name,
    kind: 'Deployment',
    workload: null,
    workloadKey: `Deployment/${s.ns}/${s.name}`,
    static: false,
    source: 'api',
    mirrorUid: null,
    qos: 'besteffort',
    hostNetwork: false,
    ip: s.ip ?? '10.0.0.5',
    sandboxId: s.sandboxId ?? 'df89af7490d2',
    containers,
    initContainers: [],
    volumes: [],
    grace: 30,
    termSeconds: 1,
    ordinal: -1,
    createdUs: 0,
    startUs: 0,
    fr: R.frags(s.ns, s.name, s.uid),
    book: undefined as unknown as PodBook,
    state: 'syncing',
    alive: true,
    running: true,
    terminal: false,
    completed: false,
    finished: false,
    graceInc: null,
    stuck: false,
    probeFlaky: false,
    ready: true,
    readyAt: 0,
    statusVersion: 0,
  };
  p.book = new PodBook(
    {
      uid: s.uid,
      namespace: s.ns,
      name: s.name,
      static: false,
      mirror: false,
      kind: 'Deployment',
      workloadKey: p.workloadKey,
      source: 'api',
      containers: containers.map((c) => c.name),
      initContainers: [],
      addedUs: null,
      deletedUs: null,
      removedUs: null,
      finishedUs: null,
      phases: [],
      anomalies: [],
      startup: [],
      teardown: [],
      openAtEnd: true,
    },
    [],
  );
  return p;
}
