// The generated scenarios with a known slow step (samples/generator truth.ts), shared by the
// breakdown's tests: the lifecycle model (test/breakdown-generated.test.ts) and the CLI and API
// (test/breakdown-cli-api.test.ts).
import { generateLog, type AnomalyRates, type GroundTruth, type PodTruth, type StepName as TruthStep, type WorkloadOverride } from '../../samples/generator/index.js';
import type { StepName } from '../../lifecycle/breakdown.js';

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

/** Our step for a truth step: the same kind and container (of a lifecycle, or a pod's view). */
export function ourStep<S extends { step: StepName; subject?: string }>(p: { startup: { steps: S[] }[]; teardown: { steps: S[] }[] }, s: Scenario, container: string | undefined): S | undefined {
  const b = (s.part === 'startup' ? p.startup : p.teardown)[0];
  return b?.steps.find((x) => x.step === s.ours && (s.ours === 'ready' || s.ours === 'volumes' || x.subject === container));
}
