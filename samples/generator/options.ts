// Option defaults and validation.

import type { AnomalyRates, Envelope, ExtraPeriodic, GeneratorOptions, KubeletVersion, LogFormat, NodeScenario, WorkloadOverride } from './types.js';
import { parseTz, type Tz } from './timefmt.js';
import { VERSIONS, profileOf, type Profile } from './versions.js';

export { VERSIONS };
export const ENVELOPES: readonly Envelope[] = [
  'syslog',
  'journal-short',
  'journal-short-precise',
  'journal-short-iso',
  'journal-short-iso-precise',
  'journal-json',
  'rfc3339',
  'klog',
  'json-prefixed',
];

export const DEFAULT_ANOMALIES: AnomalyRates = {
  killFailure: 0.02,
  crashLoop: 0.03,
  graceExhausted: 0.02,
  probeFailure: 0.06,
  doubleTeardown: 0.01,
  stuckTerminating: 1,
  // the incidents added with the worker-state truth are opt-in (`scenario: 'incidents'` or per rate)
  oomKill: 0,
  imagePullFailure: 0,
  admissionReject: 0,
  probeRestart: 0,
  mountFailure: 0,
  unmountFailure: 0,
  sandboxFailure: 0,
  slowImagePull: 0,
  slowVolumeMount: 0,
  slowReadiness: 0,
};

export const DEFAULT_NODE: NodeScenario = { crashes: 0, evictions: 0, plegUnhealthy: 0, cniNotReadyAtStart: false };

/** `scenario: 'incidents'`: every kind shows up in a log of a few MB. */
const INCIDENTS = {
  anomalies: {
    killFailure: 0.1,
    crashLoop: 0.08,
    graceExhausted: 0.1,
    doubleTeardown: 0.08,
    oomKill: 0.1,
    imagePullFailure: 0.12,
    admissionReject: 0.1,
    probeRestart: 0.15,
    mountFailure: 0.1,
    unmountFailure: 0.1,
    sandboxFailure: 0.1,
    slowImagePull: 0.1,
    slowVolumeMount: 0.08,
    slowReadiness: 0.1,
  } satisfies Partial<AnomalyRates>,
  nodeIncidents: { crashes: 2, evictions: 2, plegUnhealthy: 1, cniNotReadyAtStart: true } satisfies NodeScenario,
  restarts: 1,
};

export interface Resolved {
  seed: number;
  targetBytes: number | null;
  pods: number | null;
  start: string;
  startUs: number;
  tzSpec: string;
  tz: Tz;
  transportTzSpec: string;
  transportTz: Tz;
  node: string;
  host: string;
  version: KubeletVersion;
  profile: Profile;
  logFormat: LogFormat;
  verbosity: number;
  envelope: Envelope;
  isoColon: boolean;
  klogFileHeader: boolean;
  jsonPrefix: string;
  ident: string;
  runtime: 'docker' | 'containerd';
  concurrency: number;
  staticPods: number;
  restarts: number;
  startupNoise: boolean;
  foreignLines: boolean;
  anomalies: AnomalyRates;
  nodeIncidents: NodeScenario;
  workloads: WorkloadOverride[];
  extraPeriodic: ExtraPeriodic[];
  chunkSize: number;
}

export function resolveOptions(o: GeneratorOptions): Resolved {
  const version = o.kubeletVersion ?? '1.28';
  if (!VERSIONS.includes(version)) throw new Error(`unknown kubeletVersion ${JSON.stringify(version)} (one of ${VERSIONS.join(', ')})`);
  const profile = profileOf(version);
  const logFormat: LogFormat = version === 'json' ? 'json' : (o.logFormat ?? 'text');
  if (logFormat !== 'text' && logFormat !== 'json') throw new Error(`logFormat must be text or json`);
  const verbosity = o.verbosity ?? 4;
  if (!Number.isInteger(verbosity) || verbosity < 0 || verbosity > 10) throw new Error(`verbosity must be an integer 0-10`);
  const envelope = o.envelope ?? 'journal-short';
  if (!ENVELOPES.includes(envelope)) throw new Error(`unknown envelope ${JSON.stringify(envelope)} (one of ${ENVELOPES.join(', ')})`);
  const start = o.start ?? '2024-06-07T06:00:00Z';
  const startMs = Date.parse(start);
  if (!Number.isFinite(startMs)) throw new Error(`invalid start ${JSON.stringify(start)}`);
  const tzSpec = o.tz ?? '+00:00';
  const tz = parseTz(tzSpec, o.tzName);
  const transportTzSpec = o.transportTz ?? tzSpec;
  const transportTz = parseTz(transportTzSpec, o.tzName);
  const node = o.node ?? 'node-1';
  let targetBytes = o.targetBytes ?? null;
  const pods = o.pods ?? null;
  if (targetBytes === null && pods === null) targetBytes = 5_000_000;
  if (targetBytes !== null && !(targetBytes > 0)) throw new Error('targetBytes must be > 0');
  if (pods !== null && !(pods > 0)) throw new Error('pods must be > 0');
  const preset = o.scenario === 'incidents' ? INCIDENTS : null;
  if (o.scenario !== undefined && o.scenario !== 'default' && o.scenario !== 'incidents') throw new Error(`unknown scenario ${JSON.stringify(o.scenario)} (default, incidents)`);
  return {
    seed: o.seed ?? 1,
    targetBytes,
    pods,
    start,
    startUs: startMs * 1000,
    tzSpec,
    tz,
    transportTzSpec,
    transportTz,
    node,
    host: o.host ?? node,
    version,
    profile,
    logFormat,
    verbosity,
    envelope,
    isoColon: o.isoOffset === 'extended',
    klogFileHeader: o.klogFileHeader ?? true,
    jsonPrefix: o.jsonPrefix ?? node,
    ident: o.syslogIdentifier ?? 'kubelet',
    runtime: o.runtime ?? (profile.dockershim ? 'docker' : 'containerd'),
    concurrency: Math.max(1, o.concurrency ?? 40),
    staticPods: Math.max(0, Math.min(4, o.staticPods ?? 2)),
    restarts: Math.max(0, o.restarts ?? preset?.restarts ?? 1),
    startupNoise: o.startupNoise ?? true,
    foreignLines: o.foreignLines ?? true,
    anomalies: { ...DEFAULT_ANOMALIES, ...(preset?.anomalies ?? {}), ...(o.anomalies ?? {}) },
    nodeIncidents: { ...DEFAULT_NODE, ...(preset?.nodeIncidents ?? {}), ...(o.nodeIncidents ?? {}) },
    workloads: o.workloads ?? [],
    extraPeriodic: o.extraPeriodic ?? [],
    chunkSize: Math.max(4096, o.chunkSize ?? 1 << 20),
  };
}

/** `300MB`, `5MiB`, `1.5GB`, `123456` → bytes (MB = 10^6, MiB = 2^20). */
export function parseSize(s: string): number {
  const m = /^\s*([\d.]+)\s*([kKmMgG]?)(i?)[bB]?\s*$/.exec(s);
  if (!m) throw new Error(`invalid size ${JSON.stringify(s)}`);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const base = m[3] ? 1024 : 1000;
  const mult = unit === 'k' ? base : unit === 'm' ? base ** 2 : unit === 'g' ? base ** 3 : 1;
  return Math.round(n * mult);
}
