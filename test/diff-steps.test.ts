// `kubelog diff` per step: two generator logs alike but for B's slow image pulls (20-90 s) come
// out with the `image pull` p90 of their workloads moved, as the truth's pulls give them, in the text
// ("image pull  … 2.1s/6.0s → 41s/78s") and in --json (schemas/diff.schema.json lifecycle.steps).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GeneratorOptions, GroundTruth } from '../samples/generator/index.js';
import type { DiffResult } from '../lifecycle/diff/index.js';
import { durationStats } from '../lifecycle/diff/stats.js';
import { runCli } from './helpers/cli.js';
import { writeGenerated, type GeneratedLog } from './helpers/diff.js';
import { validateSchema } from './helpers/json-schema.js';

const BASE: GeneratorOptions = { seed: 5, pods: 40, restarts: 0, anomalies: { slowImagePull: 0 } };
const SLOW: GeneratorOptions = { ...BASE, anomalies: { slowImagePull: 1 } };

let a: GeneratedLog;
let b: GeneratedLog;
let out: DiffResult;
let text: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-diff-steps-'));
  [a, b] = await Promise.all([writeGenerated(dir, 'a.log', BASE), writeGenerated(dir, 'b.log', SLOW)]);
  const r = await runCli(['diff', a.file, b.file, '--json', '--year', '2024', '--top', '50']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  out = JSON.parse(r.stdout) as DiffResult;
  const t = await runCli(['diff', a.file, b.file, '--year', '2024', '--top', '50']);
  expect(t.code).toBe(0);
  text = t.stdout;
}, 180_000);

/** The truth's image pulls (not the images already present) of a workload's pods, in µs. */
function truthPulls(truth: GroundTruth, workload: string): number[] {
  return truth.pods
    .filter((p) => `${p.namespace}/${p.name}`.startsWith(`${workload}-`) || `${p.namespace}/${p.name}` === workload)
    .flatMap((p) => p.startup.filter((s) => s.step === 'image-pulled' && s.pulled && s.endUs !== null).map((s) => s.endUs! - s.startUs));
}

describe('kubelog diff per step', () => {
  it('--json: image pull first among the step changes, its p50/p90 those of the truth on both sides', () => {
    expect(validateSchema('diff.schema.json', out)).toEqual([]);
    const steps = out.lifecycle.steps.items;
    expect(steps.length).toBeGreaterThan(0);
    expect(steps[0]!.step).toBe('startup.image');
    for (const s of steps.filter((x) => x.step === 'startup.image')) {
      // the p90 grew: one pull of each of B's new pods takes 20-90 s
      expect(s.b.p90Us).toBeGreaterThan(s.a.p90Us);
      expect(s.b.p90Us).toBeGreaterThanOrEqual(20_000_000);
      // at -v=4 Pulling → Pulled are the pull's own lines: the same durations as the truth's
      expect(s.a).toEqual(durationStats(truthPulls(a.truth, s.workload)));
      expect(s.b).toEqual(durationStats(truthPulls(b.truth, s.workload)));
    }
  });

  it('text: a steps table, each row workload, step in words, p50/p90 A → B', () => {
    const first = out.lifecycle.steps.items[0]!;
    const lines = text.split('\n');
    const head = lines.findIndex((l) => l.trim().startsWith('steps (p50/p90 of each step'));
    expect(head).toBeGreaterThan(0);
    const row = lines[head + 1]!;
    expect(row.trim().split(/\s{2,}/).slice(0, 2)).toEqual([first.workload, 'image pull']);
    expect(row).toContain(' → ');
  });
});
