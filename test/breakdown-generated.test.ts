// Startup and teardown breakdowns against the generator's ground truth (samples/generator
// truth.ts): a slow image pull, a slow volume mount, a slow readiness probe and a container that
// ignores SIGTERM come out as those steps, on the critical path, at their true times to the
// tolerance of their evidence; at -v=2 the steps such a log cannot show are absent and named.
import { describe, expect, it } from 'vitest';
import { parseText } from '../parser/index.js';
import { buildLifecycles, type PodLifecycle } from '../lifecycle/model.js';
import { SCENARIOS, generate, ourStep, slowOnes } from './helpers/breakdown-scenarios.js';

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
  it('image pulls and container starts (events, V3) are absent and named hidden; the volumes end at the sandbox check, whose end is open', async () => {
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
      // sandbox: `No sandbox` (V2) starts it, `Created PodSandbox` (V4) would end it: it began, its
      // end is not in this log, so it and the startup are open (lower bounds), never complete
      const sandbox = b.steps.find((x) => x.step === 'sandbox')!;
      expect([sandbox.startBy, sandbox.endBy, sandbox.lineCount]).toEqual(['exact', 'open', 1]);
      expect(b.open).toBe(true);
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
