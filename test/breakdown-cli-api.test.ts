// The breakdowns as a user meets them: generated logs with a known slow step (slow image pull,
// slow volume mount, slow readiness, a container that ignores SIGTERM) ingested by the real CLI,
// then `kubelog pod --json`, `kubelog pod`, `kubelog pods --sort startup` as subprocesses and
// GET /api/pod/KEY from the real server: the slow step is there, on the critical path, at its true
// times (to the tolerance of its evidence), and every answer matches its schema.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodView, StepView } from '../lifecycle/view.js';
import { formatDuration } from '../cli/lib/render-pod.js';
import { runCli } from './helpers/cli.js';
import { validateSchema } from './helpers/json-schema.js';
import { serve, type Served } from './helpers/serve.js';
import { SCENARIOS, generate, ourStep, slowOnes, type Scenario } from './helpers/breakdown-scenarios.js';
import type { GroundTruth } from '../samples/generator/index.js';


interface Prepared {
  s: Scenario;
  db: string;
  truth: GroundTruth;
}

const prepared: Prepared[] = [];
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-breakdown-'));
  for (const [i, s] of SCENARIOS.entries()) {
    const { text, truth } = await generate(s, 4);
    const log = path.join(dir, `${i}.log`);
    writeFileSync(log, text);
    const db = path.join(dir, `${i}.db`);
    const r = await runCli(['ingest', '-q', '--db', db, '--year', '2024', log]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    prepared.push({ s, db, truth });
  }
}, 240_000);

/** The slow step as the truth has it, checked against a view's. */
function check(p: Prepared, v: PodView, uid: string): StepView {
  const { s } = p;
  const { pod, step } = slowOnes(p.truth, s).find((x) => x.pod.uid === uid)!;
  const ours = ourStep(v, s, step.container);
  expect(ours, `${pod.name} ${s.ours}`).toBeDefined();
  expect(ours!.critical).toBe(true);
  const trueStart = s.truth === 'ready' ? Math.max(...pod.startup.filter((t) => t.step === 'container-started').map((t) => t.endUs!)) : step.startUs;
  expect(Math.abs(ours!.start.timeUs! - trueStart) / 1000).toBeLessThanOrEqual(s.tolMs.start);
  expect(Math.abs(ours!.end.timeUs! - step.endUs!) / 1000).toBeLessThanOrEqual(s.tolMs.end);
  expect(ours!.durationUs).toBe(ours!.end.timeUs! - ours!.start.timeUs!);
  if (s.ours === 'stop') expect(ours).toMatchObject({ gracePeriodS: step.gracePeriodS, sigkill: true });
  return ours!;
}

describe('kubelog pod and pods, the real binary', () => {
  for (const [i, s] of SCENARIOS.entries()) {
    it(`${s.name}: pod --json and the text's nested bars`, async () => {
      const p = prepared[i]!;
      const slow = slowOnes(p.truth, s);
      expect(slow.length).toBeGreaterThan(0);
      // the first two slow pods: each is two subprocesses
      for (const { pod } of slow.slice(0, 2)) {
        const r = await runCli(['pod', '--db', p.db, pod.uid, '--json']);
        expect(r.code).toBe(0);
        const v = JSON.parse(r.stdout) as PodView;
        expect(validateSchema('pod.schema.json', v)).toEqual([]);
        const ours = check(p, v, pod.uid);
        const text = await runCli(['pod', '--db', p.db, pod.uid]);
        expect(text.code).toBe(0);
        // `* image kube-proxy   +0.742s   45.7s exact/exact   ▆▆…`: the critical step, its length, how it is known
        const name = `${ours.step}${ours.subject ? ` ${ours.subject}` : ''}`;
        const row = text.stdout.split('\n').find((l) => l.startsWith(`* ${name} `));
        expect(row, text.stdout).toBeDefined();
        expect(row).toContain(` ${formatDuration(ours.durationUs)} ${ours.startBy}/${ours.endBy} `);
      }
    }, 60_000);
  }

  it('pods: a STARTUP column, --sort startup', async () => {
    const p = prepared[0]!;
    const r = await runCli(['pods', '--db', p.db, '--sort', 'startup', '--desc', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { pods: { uid: string | null; startupUs: number | null; startupOpen: boolean }[] };
    expect(validateSchema('pods.schema.json', out)).toEqual([]);
    const durations = out.pods.map((x) => x.startupUs).filter((x): x is number => x !== null);
    expect(durations.length).toBeGreaterThan(0);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    // NULLs (no startup in the log) last
    expect(out.pods.slice(0, durations.length).every((x) => x.startupUs !== null)).toBe(true);
    // each pod's STARTUP is its first startup's length, as kubelog pod gives it
    const top = out.pods[0]!;
    const v = JSON.parse((await runCli(['pod', '--db', p.db, top.uid!, '--json'])).stdout) as PodView;
    expect(top.startupUs).toBe(v.startup[0]!.durationUs);
    const text = await runCli(['pods', '--db', p.db, '--sort', 'startup', '--desc']);
    const [head, first] = text.stdout.split('\n');
    expect(head).toMatch(/STATE +STARTUP +SYNC/);
    expect(first).toContain(`  ${top.startupOpen ? '≥ ' : ''}${formatDuration(top.startupUs)}  `);
  }, 60_000);
});

describe('GET /api/pod/KEY, the real server', () => {
  const servers: Served[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });
  for (const [i, s] of SCENARIOS.entries()) {
    it(`${s.name}`, async () => {
      const p = prepared[i]!;
      const server = await serve(['--db', p.db]);
      servers.push(server);
      for (const { pod } of slowOnes(p.truth, s)) {
        const res = await fetch(`${server.url}/api/pod/${encodeURIComponent(pod.uid)}`);
        expect(res.status).toBe(200);
        const body = (await res.json()) as { pod: PodView };
        expect(validateSchema('api/pod.schema.json', body)).toEqual([]);
        check(p, body.pod, pod.uid);
      }
      await server.stop();
    }, 60_000);
  }
});
