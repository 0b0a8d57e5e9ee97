// The diff page end to end: two generator logs of two nodes that differ in known ways (node-b's
// frontend pods take the whole 30 s grace period to terminate, node-b has kill failures, and logs a
// warning node-a never does) served from one database by the real `kubelog serve`; its API
// answers the same diff as `kubelog diff --json`, and real Chromium shows the two sides' pods
// aligned at a phase start, with exact lengths from the generator's ground truth.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { GeneratorOptions, GroundTruth, WorkloadOverride } from '../samples/generator/index.js';
import type { DiffResult } from '../lifecycle/diff/index.js';
import type { DiffPodsResponse, OverviewPod } from '../web/api/types.js';
import { alignedDomain, alignedStats, alignPods } from '../web/app/src/diff/align.js';
import { durationStats } from '../lifecycle/diff/stats.js';
import { launchChromium, screenshot, strictPage, type BrowserSession } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { writeGenerated, type GeneratedLog } from './helpers/diff.js';
import { validateSchema } from './helpers/json-schema.js';
import { serve, type Served } from './helpers/serve.js';

const FRONTEND: WorkloadOverride = { match: 'frontend', weight: 3, meanLifetimeSeconds: 90 };
const NEW_MESSAGE = 'Watch cache of pods fell behind';
// log text that is markup: the page must show it as text
const HOSTILE_MESSAGE = '<img src=x onerror=window.__pwned=1>';
// two nodes never share pod UIDs: different seeds keep the generator's UIDs apart in one database
const OPTS_A: GeneratorOptions = { seed: 5, node: 'node-a', targetBytes: 3_000_000, workloads: [FRONTEND], anomalies: { killFailure: 0 } };
const OPTS_B: GeneratorOptions = {
  ...OPTS_A,
  seed: 6,
  node: 'node-b',
  workloads: [{ ...FRONTEND, terminationSeconds: 30 }],
  anomalies: { killFailure: 0.3 },
  extraPeriodic: [
    { everySeconds: 15, message: NEW_MESSAGE, severity: 'W', kv: { resource: 'pods' } },
    { everySeconds: 200, message: HOSTILE_MESSAGE, severity: 'I', kv: {} },
  ],
};
const SIDES = 'a=node%3Anode-a&b=node%3Anode-b';

let dir: string;
let db: string;
let logA: GeneratedLog;
let logB: GeneratedLog;
let two: Served;
let one: Served;
let chromium: BrowserSession;
const problems: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-web-diff-'));
  [logA, logB] = await Promise.all([writeGenerated(dir, 'a.log', OPTS_A), writeGenerated(dir, 'b.log', OPTS_B)]);
  db = path.join(dir, 'two.db');
  // `serve FILE…` ingests first: both nodes into one database
  [two, one, chromium] = await Promise.all([serve(['--db', db, '--year', '2024', logA.file, logB.file]), serve(['--db', path.join(dir, 'one.db'), '--year', '2024', logA.file]), launchChromium()]);
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all([two?.stop(), one?.stop()]);
});


async function get<T>(p: string, schema: string): Promise<T> {
  const res = await fetch(two.url + p);
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as T;
  expect(validateSchema(schema, body)).toEqual([]);
  return body;
}

/** The generator's frontend pods on a side: UID → length of the first terminating phase (µs), or null while the log ended in it. */
function truthFrontendTerminating(truth: GroundTruth): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const p of truth.pods) {
    if (p.workloadKey !== 'Deployment/shop/frontend') continue;
    const t = p.phases.find((ph) => ph.phase === 'terminating');
    if (t) out.set(p.uid, t.endUs === null ? null : t.endUs - t.startUs);
  }
  return out;
}
const ended = (m: Map<string, number | null>): Map<string, number> => new Map([...m].filter((e): e is [string, number] => e[1] !== null));

const killedPods = (truth: GroundTruth): number => new Set(truth.anomalies.filter((a) => a.kind === 'kill-failed').map((a) => a.uid)).size;

describe('diff API', () => {
  let result: DiffResult;

  it('answers what `kubelog diff --json` answers for the same sides of the same database', async () => {
    result = await get<DiffResult>(`/api/diff?${SIDES}`, 'diff.schema.json');
    const cli = await runCli(['diff', 'node:node-a', 'node:node-b', '--db', db, '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(result).toEqual(JSON.parse(cli.stdout));
    expect(result.a).toEqual({ label: 'node:node-a', sources: [{ id: 1, path: logA.file, node: 'node-a' }], nodes: ['node-a'] });
    expect(result.b.nodes).toEqual(['node-b']);
  });

  it('ranks the known differences: kill failures only on B, the message only B logs, B frontend terminations at the grace period', () => {
    // both only on B: the frontend pods that used their whole grace period, then the kill failures
    expect(result.lifecycle.incidents.items.slice(0, 2).map((i) => [i.kind, i.a])).toEqual([['grace-exceeded', 0], ['kill-failed', 0]]);
    const kill = result.lifecycle.incidents.items[1]!;
    expect(kill).toMatchObject({ kind: 'kill-failed', a: 0, podsA: 0, podsB: killedPods(logB.truth) });
    expect(kill.podsB).toBeGreaterThanOrEqual(3);
    expect(result.messages.new.items[0]).toMatchObject({ template: NEW_MESSAGE, severity: 'W', a: 0 });
    const frontend = result.lifecycle.workloads.items.find((w) => w.workload === 'shop/frontend')!;
    expect(frontend.changes.map((c) => c.what)).toContain('terminating');
    expect(frontend.b.terminating!.p50Us).toBeGreaterThanOrEqual(30_000_000);
    expect(frontend.a.terminating!.maxUs).toBeLessThan(2_500_000);
  });

  it('lists one workload of one side as overview rows: every frontend pod of node-b, with its phases', async () => {
    const res = await get<DiffPodsResponse>('/api/diff/pods?side=node%3Anode-b&workload=shop%2Ffrontend', 'api/diff-pods.schema.json');
    expect(res.side).toBe('node:node-b');
    const truth = logB.truth.pods.filter((p) => p.workloadKey === 'Deployment/shop/frontend');
    expect(res.pods.map((p) => p.uid).sort()).toEqual(truth.map((p) => p.uid).sort());
    expect(new Set(res.pods.map((p) => p.node))).toEqual(new Set(['node-b']));
    // aligned at terminating: the length of each pod's first terminating phase, to the microsecond
    const aligned = alignPods(res.pods, 'terminating');
    expect(new Map(aligned.pods.filter((p) => !p.open).map((p) => [p.pod.uid, p.lengthUs]))).toEqual(ended(truthFrontendTerminating(logB.truth)));
    expect(aligned.pods.filter((p) => p.open).map((p) => p.pod.uid)).toEqual([...truthFrontendTerminating(logB.truth)].filter(([, us]) => us === null).map(([uid]) => uid));
  });

  it('says which side is wrong, and how', async () => {
    const cases: Array<[string, number, string, RegExp]> = [
      ['/api/diff?a=node%3Anope&b=node%3Anode-b', 404, 'no-such-side', /^a: no sources of node "nope" \(nodes: node-a, node-b\)/],
      ['/api/diff?a=node%3Anode-a&b=kubelet.log', 400, 'bad-parameter', /^parameter b: "kubelet.log" is not a side/],
      ['/api/diff?a=node%3Anode-a', 400, 'bad-parameter', /^parameter b: is required/],
      ['/api/diff?a=source%3Ax&b=node%3Anode-a', 400, 'bad-parameter', /source ids are numbers/],
      ['/api/diff/pods?side=node%3Anode-a', 400, 'bad-parameter', /^parameter workload: is required/],
    ];
    for (const [p, status, code, message] of cases) {
      const res = await fetch(two.url + p);
      expect(res.status, p).toBe(status);
      const body = (await res.json()) as { error: string; code: string };
      expect(validateSchema('api/error.schema.json', body)).toEqual([]);
      expect(body.code, p).toBe(code);
      expect(body.error, p).toMatch(message);
    }
  });
});

describe('aligning pods at a phase start', () => {
  const pod = (key: string, phases: OverviewPod['phases'], lastUs: number): OverviewPod => ({
    key,
    uid: key,
    namespace: 'ns',
    name: key,
    node: 'n',
    static: false,
    firstUs: phases[0]?.[1] ?? null,
    lastUs,
    phases,
    incidents: [['kill-failed', 5_000_000]],
  });
  it('puts the start of the first phase of that name at zero, the longest first; pods without it are counted', () => {
    const a = pod(
      'a',
      [
        ['sync', 0, 4_000_000, false, true, false],
        ['terminating', 4_000_000, 6_000_000, false, true, false],
        ['terminated', 6_100_000, 6_200_000, false, true, false],
      ],
      6_200_000,
    );
    const b = pod(
      'b',
      [
        ['sync', 1_000_000, 2_000_000, false, true, false],
        ['terminating', 2_000_000, null, true, true, false],
      ],
      9_000_000,
    );
    const c = pod('c', [['sync', 0, null, true, true, false]], 3_000_000);
    const r = alignPods([a, b, c], 'terminating');
    expect(r.without).toBe(1);
    expect(r.pods.map((p) => [p.pod.key, p.zeroUs, p.lengthUs, p.open])).toEqual([
      ['b', 2_000_000, 7_000_000, true],
      ['a', 4_000_000, 2_000_000, false],
    ]);
    expect(r.pods[1]!.phases.map((p) => [p.phase, p.from, p.to])).toEqual([
      ['sync', -4_000_000, 0],
      ['terminating', 0, 2_000_000],
      ['terminated', 2_100_000, 2_200_000],
    ]);
    expect(r.pods[1]!.incidents).toEqual([{ kind: 'kill-failed', at: 1_000_000 }]);
    // to the end of the longest aligned phase (b's, open until its last event), and a margin
    expect(alignedDomain([r])).toEqual([-560_000, 7_280_000]);
  });

  it('a phase the log begins inside is a lower bound: drawn, but no sample of the figures', () => {
    const whole = pod('whole', [['terminating', 1_000_000, 3_000_000, false, true, false]], 3_000_000);
    const cut = pod('cut', [['terminating', 0, 5_000_000, false, false, true]], 5_000_000);
    const r = alignPods([whole, cut], 'terminating');
    expect(r.pods.map((p) => [p.pod.key, p.lengthUs, p.open, p.lowerBound])).toEqual([
      ['cut', 5_000_000, false, true],
      ['whole', 2_000_000, false, false],
    ]);
    expect(alignedStats(r)).toEqual(durationStats([2_000_000]));
  });
});

async function open(p: string, base = two.url): Promise<Page> {
  const page = await strictPage(chromium.context, problems);
  await page.goto(base + p);
  return page;
}

/** [pod key, length of the aligned phase or null while it never ended], top to bottom. */
const rowsOf = (page: Page, side: 'a' | 'b'): Promise<Array<[string, number | null]>> =>
  page.$$eval(`[data-testid=aligned-${side}] [data-testid=aligned-row]`, (els) =>
    els.map((e) => [e.getAttribute('data-pod-key') ?? '', e.hasAttribute('data-open') ? null : Number(e.getAttribute('data-length-us'))] as [string, number | null]),
  );

describe('diff page', () => {
  it('opens on the two nodes, with the ranked tables; log text stays text', async () => {
    const page = await open('/diff');
    await page.waitForSelector('[data-testid=diff-workloads]');
    const url = new URL(page.url());
    expect([url.searchParams.get('a'), url.searchParams.get('b')]).toEqual(['node:node-a', 'node:node-b']);
    expect(await page.$eval('[data-testid=diff-side-a]', (e) => (e as HTMLSelectElement).value)).toBe('node:node-a');
    expect(await page.$$eval('[data-testid=diff-incident]', (els) => els.slice(0, 2).map((e) => e.getAttribute('data-kind')))).toEqual(['grace-exceeded', 'kill-failed']);
    const templates = await page.$$eval('[data-testid=diff-messages-new] [data-testid=diff-template] .template', (els) => els.map((e) => e.textContent));
    expect(templates[0]).toBe(NEW_MESSAGE);
    // the markup message is listed as its text, and made no element
    expect(templates.some((t) => t?.startsWith('<img src=x onerror=window.__pwned='))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('img', (els) => els.length)).toBe(0);
    // the changed overview facts are marked: B logged more warnings and errors
    expect(await page.$$eval('[data-testid=diff-overview] tr[data-changed] th', (els) => els.map((e) => e.textContent))).toContain('I / W / E / F');
    // incidents by their titles; the workloads most significant first, and the page opens on the first
    expect(await page.$$eval('[data-testid=diff-incident] td:first-child', (els) => els.slice(0, 2).map((e) => e.textContent))).toEqual(['grace period exceeded', 'kill failed']);
    const significance = await page.$$eval('[data-testid=diff-workload] [data-testid=diff-significance]', (els) => els.map((e) => Number(e.textContent)));
    expect(significance).toEqual([...significance].sort((x, y) => y - x));
    expect(await page.getAttribute('[data-testid=diff-workload]', 'data-workload')).toBe('shop/frontend');
    expect(await page.textContent('[data-testid=aligned-workload]')).toBe('shop/frontend');
    // hours of log on both sides: rates per hour
    expect(await page.textContent('[data-testid=diff-exposure]')).toBe('rates per hour');
    await page.waitForSelector('[data-testid=aligned-row]');
    await screenshot(page, 'diff');
    await page.close();
  });

  it('a workload picked in the table shows its pods of both sides aligned at terminating, with the lengths the generator wrote', async () => {
    const page = await open(`/diff?${SIDES}`);
    await page.click('[data-testid=diff-workload][data-workload="shop/frontend"]');
    await page.waitForFunction(() => document.querySelector('[data-testid=aligned-workload]')?.textContent === 'shop/frontend');
    const url = new URL(page.url());
    expect([url.searchParams.get('workload'), url.searchParams.get('align')]).toEqual(['shop/frontend', 'terminating']);
    await page.waitForSelector('[data-testid=aligned-b] [data-testid=aligned-row]');
    // the ended ones longest first, as the generator timed them; one node-b pod is still terminating when its log ends
    const sorted = (m: Map<string, number>): Array<[string, number]> => [...m].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
    const a = await rowsOf(page, 'a');
    const b = await rowsOf(page, 'b');
    expect(a).toEqual(sorted(ended(truthFrontendTerminating(logA.truth))));
    expect(b.filter(([, us]) => us !== null)).toEqual(sorted(ended(truthFrontendTerminating(logB.truth))));
    expect(b.filter(([, us]) => us === null).map(([key]) => key)).toEqual([...truthFrontendTerminating(logB.truth)].filter(([, us]) => us === null).map(([uid]) => uid));
    expect(b.filter(([, us]) => us !== null).every(([, us]) => us! >= 30_000_000)).toBe(true);
    // one scale for both sides: B's bars are longer on screen, not just in numbers
    const widest = (side: string): Promise<number> => page.$$eval(`[data-testid=aligned-${side}] rect[data-phase=terminating]`, (els) => Math.max(...els.map((e) => Number(e.getAttribute('width')))));
    expect(await widest('b')).toBeGreaterThan(10 * (await widest('a')));
    expect(await page.textContent('[data-testid=aligned-b] [data-testid=aligned-stats]')).toMatch(/^terminating p50 30\.\d+s/);
    await page.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
    await screenshot(page, 'diff-aligned');

    await page.selectOption('[data-testid=align-at]', 'terminated');
    await page.waitForSelector('[data-testid=aligned-timeline][data-align=terminated]');
    expect(new URL(page.url()).searchParams.get('align')).toBe('terminated');
    // terminated follows terminating within a second: the terminating bars now end just left of zero
    const ends = await page.$$eval('[data-testid=aligned-b] [data-testid=aligned-row]', (rows) =>
      rows.map((r) => {
        const t = r.querySelector('rect[data-phase=terminating]');
        return t ? Number(t.getAttribute('x')) + Number(t.getAttribute('width')) : null;
      }),
    );
    const zero = Number(await page.getAttribute('[data-testid=aligned-b] .aligned-zero', 'x1'));
    expect(ends.filter((e) => e !== null).every((e) => e! <= zero + 1)).toBe(true);

    // a click on a pod opens it
    const first = page.locator('[data-testid=aligned-b] [data-testid=aligned-row]').first();
    const key = await first.getAttribute('data-pod-key');
    await first.click();
    await page.waitForSelector('[data-testid=pod-page]');
    expect(new URL(page.url()).pathname).toBe(`/pod/${key}`);
    expect(a.length).toBeGreaterThan(3);
    await page.close();
  });

  it('swaps the sides', async () => {
    const page = await open(`/diff?${SIDES}`);
    await page.waitForSelector('[data-testid=diff-workloads]');
    await page.click('[data-testid=diff-swap]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('a') === 'node:node-b');
    // kill failures are now what A had and B lost
    await page.waitForFunction(() => document.querySelector('[data-testid=diff-incident]')?.textContent?.includes('→ 0'));
    expect(new URL(page.url()).searchParams.get('b')).toBe('node:node-a');
    await page.close();
  });

  it('says what to do with a database of one log', async () => {
    const page = await open('/diff', one.url);
    await page.waitForSelector('[data-testid=empty]');
    expect(await page.textContent('[data-testid=empty] strong')).toBe('This database holds one log: there is nothing to compare it with.');
    await screenshot(page, 'diff-one-log');
    await page.close();
  });

  it('logged no browser problems', () => {
    expect(problems).toEqual([]);
  });
});
