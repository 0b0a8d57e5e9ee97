// Option defaults and validation.

import type { AnomalyRates, Envelope, ExtraPeriodic, GeneratorOptions, KubeletVersion, WorkloadOverride } from './types.js';
import { parseTz, type Tz } from './timefmt.js';

export const VERSIONS: readonly KubeletVersion[] = ['1.20', '1.23', '1.26', '1.28', 'json'];
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
  verbosity: 2 | 4;
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
  workloads: WorkloadOverride[];
  extraPeriodic: ExtraPeriodic[];
  chunkSize: number;
}

export function resolveOptions(o: GeneratorOptions): Resolved {
  const version = o.kubeletVersion ?? '1.28';
  if (!VERSIONS.includes(version)) throw new Error(`unknown kubeletVersion ${JSON.stringify(version)} (one of ${VERSIONS.join(', ')})`);
  const verbosity = o.verbosity ?? 4;
  if (verbosity !== 2 && verbosity !== 4) throw new Error(`verbosity must be 2 or 4`);
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
    verbosity,
    envelope,
    isoColon: o.isoOffset === 'extended',
    klogFileHeader: o.klogFileHeader ?? true,
    jsonPrefix: o.jsonPrefix ?? node,
    ident: o.syslogIdentifier ?? 'kubelet',
    runtime: o.runtime ?? (version === '1.20' || version === '1.23' ? 'docker' : 'containerd'),
    concurrency: Math.max(1, o.concurrency ?? 40),
    staticPods: Math.max(0, Math.min(4, o.staticPods ?? 2)),
    restarts: Math.max(0, o.restarts ?? 1),
    startupNoise: o.startupNoise ?? true,
    foreignLines: o.foreignLines ?? true,
    anomalies: { ...DEFAULT_ANOMALIES, ...(o.anomalies ?? {}) },
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
