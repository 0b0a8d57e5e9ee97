// Startup and teardown breakdowns against the generator's ground truth (samples/generator
// truth.ts): a slow image pull, a slow volume mount, a slow readiness probe and a container that
// ignores SIGTERM come out as those steps, on the critical path, at their true times to the
// tolerance of their evidence; at -v=2 the steps such a log cannot show are absent and named.
import { describe, expect, it } from 'vitest';
import { generateLog, type AnomalyRates, type GroundTruth, type PodTruth, type StepName as TruthStep, type WorkloadOverride } from '../samples/generator/index.js';
import { parseText } from '../parser/index.js';
import { buildLifecycles, type PodLifecycle } from '../lifecycle/model.js';
import type { Step, StepName } from '../lifecycle/breakdown.js';

export interface Scenario {
  name: string;
  anomalies: Partial<AnomalyRates>;
  workloads?: WorkloadOverride[];
  part: 'startup' | 'teardown';
  truth: TruthStep;
  ours: StepName;
  /** The slow ones: the truth step lasts at least this long (s). */
  minS: number;
  /** How far our edges may be from the truth's at -v=4 (ms): 0 where a line marks the edge. */
  tolMs: { start: number; end: number };
}

export const SCENARIOS: Scenario[] = [
  // Pulling → Pulled events
  { name: 'slow image pull', anomalies: { slowImagePull: 1 }, part: 'startup', truth: 'image-pulled', ours: 'image', minS: 20, tolMs: { start: 0, end: 0 } },
  // Waiting for volumes → All volumes are attached and mounted
  { name: 'slow volume mount', anomalies: { slowVolumeMount: 1 }, part: 'startup', truth: 'volumes-mounted', ours: 'volumes', minS: 10, tolMs: { start: 0, end: 0 } },
  // the last container's Started event → SyncLoop (probe) readiness ready (the status patch, the truth's point, follows it)
  { name: 'slow readiness', anomalies: { slowReadiness: 1 }, part: 'startup', truth: 'ready', ours: 'ready', minS: 0, tolMs: { start: 0, end: 100 } },
  // Killing container with a grace period → Container exited normally, at the end of the grace period
  { name: 'a container that ignores SIGTERM', anomalies: {}, workloads: [{ match: '*', ignoreSigterm: 1, meanLifetimeSeconds: 120 }], part: 'teardown', truth: 'container-stopped', ours: 'stop', minS: 25, tolMs: { start: 0, end: 0 } },
];

export async function generate(s: Scenario, verbosity: 2 | 4, seed = 11): Promise<{ text: string; truth: GroundTruth }> {
  let text = '';
  const truth = await generateLog(
    { seed, pods: 10, verbosity, kubeletVersion: '1.28', envelope: 'journal-short-iso-precise', restarts: 0, anomalies: { ...s.anomalies }, workloads: s.workloads ?? [] },
    (c) => {
      text += c;
    },
  );
  return { text, truth };
}

const durS = (t: { startUs: number; endUs: number | null }) => (t.endUs === null ? 0 : (t.endUs - t.startUs) / 1e6);

/** The pods whose truth has the scenario's step slow, with that step. */
export function slowOnes(truth: GroundTruth, s: Scenario): { pod: PodTruth; step: PodTruth['startup'][number] }[] {
  const out: { pod: PodTruth; step: PodTruth['startup'][number] }[] = [];
  for (const pod of truth.pods) {
    const list = s.part === 'startup' ? pod.startup : pod.teardown;
    const step = list.find((t) => t.step === s.truth && t.endUs !== null && (s.truth === 'ready' ? readyWait(pod) >= 15 : durS(t) >= s.minS) && (s.truth !== 'container-stopped' || t.sigkill));
    if (step) out.push({ pod, step });
  }
  return out;
}

/** Seconds from the last container started to ready. */
function readyWait(pod: PodTruth): number {
  const started = pod.startup.filter((t) => t.step === 'container-started').map((t) => t.endUs ?? 0);
  const ready = pod.startup.find((t) => t.step === 'ready');
  return ready && started.length ? (ready.startUs - Math.max(...started)) / 1e6 : 0;
}

/** Our step for a truth step: the same kind and container. */
export function ourStep(p: PodLifecycle, s: Scenario, container: string | undefined): Step | undefined {
  const b = (s.part === 'startup' ? p.startup : p.teardown)[0];
  return b?.steps.find((x) => x.step === s.ours && (s.ours === 'ready' || s.ours === 'volumes' || x.subject === container));
}

function lifecycles(text: string): PodLifecycle[] {
  const r = parseText(text, { fallbackYear: 2024 });
  return buildLifecycles(r.records, undefined, r.foreign).pods;
}

describe('generated scenarios at -v=4: the slow step, on the critical path, at its true times', () => {
  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const { text, truth } = await generate(s, 4);
      const slow = slowOnes(truth, s);
      expect(slow.length, 'pods with the slow step').toBeGreaterThan(0);
      const pods = lifecycles(text);
      for (const { pod, step } of slow) {
        const p = pods.find((x) => x.uid === pod.uid)!;
        const ours = ourStep(p, s, step.container);
        expect(ours, `${pod.name} ${s.ours}`).toBeDefined();
        expect(ours!.critical, `${pod.name} ${s.ours} critical`).toBe(true);
        // ready: from the last container started to the probe's success; the truth's ready is the status patch after it
        const trueStart = s.truth === 'ready' ? Math.max(...pod.startup.filter((t) => t.step === 'container-started').map((t) => t.endUs!)) : step.startUs;
        expect(Math.abs(ours!.start.timeUs! - trueStart) / 1000, `${pod.name} start`).toBeLessThanOrEqual(s.tolMs.start);
        expect(Math.abs(ours!.end.timeUs! - step.endUs!) / 1000, `${pod.name} end`).toBeLessThanOrEqual(s.tolMs.end);
        if (s.ours === 'stop') {
          expect(ours!.gracePeriodS).toBe(step.gracePeriodS);
          expect(ours!.sigkill).toBe(true);
        }
      }
    }, 60_000);
  }
});

describe('generated scenarios at -v=2: what the log cannot show is absent, not guessed', () => {
  it('image pulls and container starts (events, V3) are absent and named hidden; the volumes end at the sandbox check', async () => {
    const s = SCENARIOS[0]!;
    const { text, truth } = await generate(s, 2);
    const pods = lifecycles(text);
    const slow = slowOnes(truth, s);
    expect(slow.length).toBeGreaterThan(0);
    for (const { pod } of slow) {
      const b = pods.find((x) => x.uid === pod.uid)!.startup[0]!;
      expect(b.steps.map((x) => x.step)).not.toContain('image');
      expect(b.steps.map((x) => x.step)).not.toContain('container');
      expect(b.hidden).toEqual(['image', 'container', 'init']);
      // sandbox: `No sandbox` (V2) starts it, `Created PodSandbox` (V4) would end it: no end in this log, absent
      expect(b.steps.map((x) => x.step)).not.toContain('sandbox');
    }
  }, 60_000);

  it('a container that ignores SIGTERM: its stop ends at PLEG\'s `container finished` exitCode=137 or the terminating phase\'s end, no later than the volumes\' start', async () => {
    const s = SCENARIOS[3]!;
    const { text, truth } = await generate(s, 2);
    const pods = lifecycles(text);
    const slow = slowOnes(truth, s);
    expect(slow.length).toBeGreaterThan(0);
    const exitCodes: (number | undefined)[] = [];
    for (const { pod, step } of slow) {
      const p = pods.find((x) => x.uid === pod.uid)!;
      const ours = ourStep(p, s, step.container)!;
      expect(ours.critical).toBe(true);
      expect(ours.sigkill).toBe(true);
      expect(ours.endBy).toBe('inferred');
      exitCodes.push(ours.exitCode);
      expect(ours.start.timeUs).toBe(step.startUs);
      // `Container exited normally` is V3: the end is PLEG's relist (up to a second late) or the
      // terminating phase's inferred end (the volumes' unmount, within a second)
      expect(Math.abs(ours.end.timeUs! - step.endUs!) / 1000).toBeLessThanOrEqual(1000);
    }
    // seed 11: the first teardown's PLEG line would come after the log ends; the others' are in it
    expect(exitCodes).toEqual([undefined, 137, 137, 137, 137]);
  }, 60_000);
});
