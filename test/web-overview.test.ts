// The overview as an SRE meets it, in real Chromium over the real `kubelog serve`: a generated node
// (fixed seed) whose log ends with one pod stuck terminating, after a kubelet that was stopped and
// one that crashed, and a second node whose one pod took hours to be torn down but finished. The
// stuck pod must come first in one sort; running pods must look calm; the kubelet's ends are marks
// on the axis; errors stay visible. Screenshots go to test/artifacts/screenshots/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { OverviewResponse } from '../web/api/types.js';
import { launchChromium, screenshot, strictPage, type BrowserSession } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/samples.js';
import { serve, type Served } from './helpers/serve.js';

// the generator's stuck pod (seed 5): killed at 06:07:15 with a 30 s grace period, never gone
const STUCK = 'shop/cart-api-49xqqncfxk-t5hgb';
const STUCK_UID = 'e55f70e6-b71a-4e15-8037-1cee04324b99';
// node-2's pod: torn down over 17 hours, but torn down (a longer teardown than the stuck pod's 3h 43m)
const SLOW_UID = '0b7c51f0-2222-4333-8444-955566667777';
const SLOW = 'batch/slow-drain-0';

const slowLog = [
  `Jun 07 06:00:00 node-2 kubelet[4321]: I0607 06:00:00.000000    4321 kubelet.go:2440] "SyncLoop ADD" source="api" pods=["${SLOW}"]`,
  `Jun 07 06:00:00 node-2 kubelet[4321]: I0607 06:00:00.100000    4321 pod_workers.go:1230] "syncPod enter" pod="${SLOW}" podUID="${SLOW_UID}"`,
  `Jun 07 06:00:03 node-2 kubelet[4321]: I0607 06:00:03.000000    4321 kubelet.go:2456] "SyncLoop DELETE" source="api" pods=["${SLOW}"]`,
  `Jun 07 06:00:03 node-2 kubelet[4321]: I0607 06:00:03.100000    4321 pod_workers.go:1300] "syncTerminatingPod enter" pod="${SLOW}" podUID="${SLOW_UID}"`,
  `Jun 07 23:00:05 node-2 kubelet[4321]: I0607 23:00:05.000000    4321 pod_workers.go:1350] "syncTerminatingPod exit" pod="${SLOW}" podUID="${SLOW_UID}"`,
  `Jun 07 23:00:06 node-2 kubelet[4321]: I0607 23:00:06.000000    4321 pod_workers.go:1400] "syncTerminatedPod enter" pod="${SLOW}" podUID="${SLOW_UID}"`,
  `Jun 07 23:00:07 node-2 kubelet[4321]: I0607 23:00:07.000000    4321 pod_workers.go:1450] "syncTerminatedPod exit" pod="${SLOW}" podUID="${SLOW_UID}"`,
  '',
].join('\n');

let served: Served;
let chromium: BrowserSession;
const problems: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-overview-'));
  const gen = path.join(dir, 'node-1.log');
  const out = spawnSync(process.execPath, [path.join(repoRoot, 'dist/samples/generator/cli.js'), '--out', gen, '--pods', '40', '--concurrency', '10', '--restarts', '1', '--crashes', '1', '--seed', '5'], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  const slow = path.join(dir, 'node-2.log');
  writeFileSync(slow, slowLog);
  const db = path.join(dir, 'two-nodes.db');
  const ing = await runCli(['ingest', '-q', '--db', db, '--year', '2024', gen, slow]);
  expect(ing.code, ing.stderr).toBe(0);
  [served, chromium] = await Promise.all([serve(['--db', db]), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await served?.stop();
  expect(problems).toEqual([]);
});

async function open(p: string): Promise<Page> {
  const page = await strictPage(chromium.context, problems);
  await page.goto(served.url + p);
  await page.waitForSelector('[data-testid=pod-row]');
  return page;
}

const rowLabels = (page: Page): Promise<string[]> => page.$$eval('[data-testid=pod-row] .row-label a', (els) => els.map((e) => e.textContent ?? ''));

describe('honest states', () => {
  it('the stuck pod comes first in one sort, by terminating time, ahead of a longer teardown that finished', async () => {
    const api = (await (await fetch(`${served.url}/api/overview?sort=terminating&buckets=0&limit=3`)).json()) as OverviewResponse;
    expect(api.pods.map((p) => [p.key, p.state])).toEqual([
      [STUCK_UID, 'stuck-terminating'],
      [SLOW_UID, 'finished'],
      ['57be0d54-9e65-47b3-a4c5-0b161ccdc6a3', 'finished'],
    ]);
    const page = await open('/');
    await page.selectOption('select[aria-label="sort rows"]', 'terminating');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'terminating');
    await page.waitForFunction((k) => document.querySelector('[data-testid=pod-row]')?.getAttribute('data-pod-key') === k, STUCK_UID);
    expect((await rowLabels(page)).slice(0, 2)).toEqual([STUCK, SLOW]);
    const first = page.locator('[data-testid=pod-row]').first();
    expect(await first.getAttribute('data-state')).toBe('stuck-terminating');
    expect(await first.locator('.badge-stuck').textContent()).toBe('stuck');
    // its teardown runs to the log's end, drawn so, and its length is a lower bound
    const teardown = first.locator('rect[data-phase=terminating]');
    expect(await teardown.getAttribute('data-open')).toBe('to-log-end');
    expect(await teardown.getAttribute('class')).toContain('phase-stuck');
    expect(await first.locator('[data-testid=phase-duration]').allTextContents()).toContain('≥ 3h 43m');
    await first.locator('.row-label').hover();
    const tip = page.locator('[data-testid=pod-tip]');
    await tip.waitFor();
    const tipText = (await tip.textContent()) ?? '';
    expect(tipText).toContain('≥ 3h 43m');
    expect(tipText).toContain('still going where the log (or its kubelet) ends: at least this long');
    // incidents by their titles, never a kind's id
    expect(await tip.locator('.tip-incidents li').allTextContents()).toEqual([' stuck terminating (critical, 06:07:15.617922)']);
    expect(tipText).not.toMatch(/stuck-terminating|phase-open/);
    await screenshot(page, 'overview-stuck-first');
    await page.close();
  });

  it('running pods look calm: their open phase is outlined, never red', async () => {
    const page = await open('/?sort=state');
    const running = page.locator('[data-testid=pod-row][data-state=running]');
    expect(await running.count()).toBe(6);
    // their sync phases, cut where the stopped and the crashed kubelet's records end, and the last one to the log's end
    const strokes = await running.locator('rect[data-open=to-log-end]').evaluateAll((els) => els.map((e) => [e.getAttribute('class'), getComputedStyle(e).stroke]));
    expect(strokes.length).toBe(16);
    for (const [cls, stroke] of strokes) {
      expect(cls).toContain('phase-to-end');
      expect(stroke).toBe('rgb(29, 35, 41)');
    }
    // and nothing red in their labels: redis-1's only incident is a note (re-created under a new UID)
    expect(await page.locator('[data-testid=pod-row][data-state=running].row-incidents .badge-incident').allTextContents()).toEqual(['1']);
    const colours = await running.locator('.row-label a').evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
    expect(new Set(colours)).toEqual(new Set(['rgb(29, 35, 41)']));
    await screenshot(page, 'overview-running-calm');
    await page.close();
  });

  it("the kubelet's stop, crash and restarts are marks on the axis and lines through the rows", async () => {
    const page = await open('/?node=node-1');
    await page.waitForSelector('[data-testid=kubelet-mark]');
    const marks = await page.$$eval('[data-testid=kubelet-mark]', (els) => els.map((e) => e.getAttribute('data-kind')));
    expect(marks).toEqual(['stop', 'start', 'crash', 'start']);
    expect(await page.locator('.kubelet-lines line').count()).toBe(4);
    // zoomed to the first minute, where they happen 12 s apart
    await page.goto(`${served.url}/?node=node-1&from=2024-06-07T05:59:50Z&to=2024-06-07T06:01:10Z`);
    await page.waitForSelector('[data-testid=kubelet-mark]');
    await page.waitForTimeout(400);
    await page.locator('[data-testid=kubelet-mark][data-kind=crash]').hover();
    const tip = page.locator('[data-testid=tooltip]');
    expect(await tip.locator('.tip-title').textContent()).toBe('kubelet 18638 (v1.28.7) crashed: SIGABRT: abort');
    expect(await tip.textContent()).toContain('2024-06-07 06:00:42.000 UTC');
    await page.locator('[data-testid=kubelet-mark][data-kind=start]').last().hover();
    expect(await tip.locator('.tip-title').textContent()).toBe("kubelet 1322 (v1.28.7) started, 13.0s after the last one's last line");
    await screenshot(page, 'overview-kubelet-marks');
    await page.close();
  });
});

describe('readable overview', () => {
  it('errors stay visible however many records a bucket has: a mark of their own under the bars', async () => {
    const page = await open('/');
    await page.waitForSelector('[data-testid=histogram] .hist-bucket');
    const buckets = await page.$$eval('[data-testid=histogram] .hist-bucket', (els) =>
      els.map((e) => ({ records: Number(e.getAttribute('data-records')), errors: Number(e.getAttribute('data-errors')), mark: e.querySelector('[data-testid=hist-err-mark]') !== null })),
    );
    const withErrors = buckets.filter((b) => b.errors > 0);
    expect(withErrors.length).toBeGreaterThan(0);
    expect(withErrors.every((b) => b.mark)).toBe(true);
    expect(buckets.filter((b) => b.errors === 0).some((b) => b.mark)).toBe(false);
    // the case this is for: errors a thousandth of their bucket's records or less
    expect(withErrors.some((b) => b.errors * 1000 <= b.records)).toBe(true);
    await page.close();
  });

  it('incident kinds have distinct marks, with a legend; rows name their node; bars say their lengths', async () => {
    const page = await open('/?sort=incidents');
    expect(await page.locator('[data-testid=legend-incident-group]').allTextContents()).toEqual([
      '  teardown',
      '  containers',
      '  images',
      '  volumes',
      '  admission, eviction',
      '  sandbox, network, node',
      '  sync, status',
    ]);
    // one shape per group: the stuck pod's square is not a probe failure's triangle
    const shapes = await page.$$eval('[data-testid=pod-row] .incident-mark', (els) => els.map((e) => [e.getAttribute('data-incident-kind'), e.getAttribute('d')!.replace(/^M[-\d.]+,[-\d.]+/, '')]));
    const byKind = new Map(shapes.map(([k, d]) => [k, d]));
    expect(byKind.get('stuck-terminating')).not.toBe(byKind.get('probe-failed'));
    // two nodes: each row says which
    const nodes = await page.$$eval('[data-testid=pod-row] [data-testid=row-node]', (els) => els.map((e) => e.textContent));
    expect(new Set(nodes)).toEqual(new Set(['node-1', 'node-2']));
    expect(await page.locator(`[data-testid=pod-row][data-pod-key="${SLOW_UID}"] [data-testid=row-node]`).textContent()).toBe('node-2');
    expect(await page.locator(`[data-testid=pod-row][data-pod-key="${SLOW_UID}"] [data-testid=phase-duration]`).allTextContents()).toContain('17h 00m');
    await screenshot(page, 'overview-incidents-legend');
    await page.close();
  });

  it("light and dark: every colour is the theme's, so outlines, marks and the legend read on either background", async () => {
    // colours of the things that had literal colours: outlines of open phases, the stuck pod's
    // outline, incident marks, the kubelet's marks and lines, the legend's severity words
    const colours = (page: Page) =>
      page.evaluate(() => {
        const css = (sel: string, prop: 'stroke' | 'fill' | 'color') => {
          const el = document.querySelector(sel);
          return el ? getComputedStyle(el)[prop] : null;
        };
        return {
          openOutline: css('[data-testid=pod-row][data-state=running] rect[data-open=to-log-end]', 'stroke'),
          stuckOutline: css('rect.phase-stuck', 'stroke'),
          stuckMark: css('[data-testid=pod-row] .incident-mark[data-incident-kind=stuck-terminating]', 'fill'),
          markEdge: css('[data-testid=pod-row] .incident-mark', 'stroke'),
          kubeletCrash: css('[data-testid=kubelet-mark][data-kind=crash] path', 'fill'),
          kubeletStart: css('[data-testid=kubelet-mark][data-kind=start] path', 'fill'),
          legendCritical: css('[data-testid=mark-key] .legend-group:nth-child(2) span', 'color'),
          syncBar: css('[data-testid=pod-row] rect[data-phase=sync]', 'fill'),
        };
      });
    const page = await open('/?node=node-1&sort=state');
    await page.waitForSelector('[data-testid=kubelet-mark]');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    expect(await colours(page)).toEqual({
      openOutline: 'rgb(29, 35, 41)',
      stuckOutline: 'rgb(168, 20, 30)',
      stuckMark: 'rgb(168, 20, 30)',
      markEdge: 'rgb(255, 255, 255)',
      kubeletCrash: 'rgb(168, 20, 30)',
      kubeletStart: 'rgb(46, 139, 87)',
      legendCritical: 'rgb(168, 20, 30)',
      syncBar: 'rgb(76, 139, 214)',
    });
    await screenshot(page, 'overview-theme-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    // on the dark background: light outlines, brighter reds and greens, mark edges the panel's colour
    expect(await colours(page)).toEqual({
      openOutline: 'rgb(217, 223, 229)',
      stuckOutline: 'rgb(255, 77, 90)',
      stuckMark: 'rgb(255, 77, 90)',
      markEdge: 'rgb(27, 32, 39)',
      kubeletCrash: 'rgb(255, 77, 90)',
      kubeletStart: 'rgb(76, 196, 127)',
      legendCritical: 'rgb(255, 77, 90)',
      syncBar: 'rgb(79, 143, 219)',
    });
    await screenshot(page, 'overview-theme-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.close();
  });

  it('the name column widens by dragging its edge, and stays wide on the next visit', async () => {
    const page = await open('/');
    const label = page.locator('[data-testid=pod-row] .row-label').first();
    const before = (await label.boundingBox())!.width;
    const handle = (await page.locator('[data-testid=name-resize]').boundingBox())!;
    await page.mouse.move(handle.x + 3, handle.y + 40);
    await page.mouse.down();
    await page.mouse.move(handle.x + 153, handle.y + 40, { steps: 6 });
    await page.mouse.up();
    expect((await label.boundingBox())!.width).toBe(before + 150);
    await page.reload();
    await page.waitForSelector('[data-testid=pod-row]');
    expect((await page.locator('[data-testid=pod-row] .row-label').first().boundingBox())!.width).toBe(before + 150);
    await screenshot(page, 'overview-wide-names');
    await page.evaluate(() => localStorage.removeItem('kubelog.overview.nameWidth'));
    await page.close();
  });

  it('the filter marks what it matched in the names', async () => {
    const page = await open('/');
    await page.fill('[data-testid=overview-filter]', 'CART');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=pod-row] .row-label a')].every((a) => a.textContent?.toLowerCase().includes('cart')));
    const marked = await page.$$eval('[data-testid=pod-row] .row-label mark.match', (els) => els.map((e) => e.textContent));
    expect(marked.length).toBeGreaterThan(0);
    expect(new Set(marked)).toEqual(new Set(['cart']));
    await screenshot(page, 'overview-filter-marked');
    await page.close();
  });
});

describe('search', () => {
  const Q = '"Processing pod event done"';
  it('marks what it matched, pages past 500 hits, steps through them with n and p, and links each to its pod', async () => {
    const page = await strictPage(chromium.context, problems);
    await page.goto(`${served.url}/search?q=${encodeURIComponent(Q)}`);
    await page.waitForSelector('[data-testid=search-results] tr[data-hit]');
    // pages of at most 200: "Search further" (or n at the last hit) until more than 500
    while ((await page.locator('[data-testid=search-results] tr[data-hit]').count()) <= 500) {
      const n = await page.locator('[data-testid=search-results] tr[data-hit]').count();
      await page.click('[data-testid=search-further] button');
      await page.waitForFunction((k) => document.querySelectorAll('[data-testid=search-results] tr[data-hit]').length > k, n);
    }
    const hits = await page.$$eval('[data-testid=search-results] tr[data-hit]', (rows) => rows.map((r) => r.getAttribute('data-hit')!));
    const fromApi: string[] = [];
    for (let after: string | null = ''; after !== null && fromApi.length < hits.length; ) {
      const r = (await (await fetch(`${served.url}/api/search?q=${encodeURIComponent(Q)}&limit=500${after ? `&after=${after}` : ''}`)).json()) as { hits: Array<{ source: number; line: number }>; next: string | null };
      fromApi.push(...r.hits.map((h) => `${h.source}:${h.line}`));
      after = r.next;
    }
    expect(hits).toEqual(fromApi.slice(0, hits.length));
    expect(hits.length).toBeGreaterThan(500);
    // the phrase is marked in every hit's message, as it is written there
    const marked = await page.$$eval('[data-testid=search-results] tr[data-hit] td:nth-child(3) > div:first-child', (els) => els.map((e) => [...e.querySelectorAll('mark.match')].map((m) => m.textContent)));
    expect(marked.every((m) => m.length === 1 && m[0] === 'Processing pod event done')).toBe(true);
    // one tick per hit on the time axis
    expect(await page.locator('[data-testid=hit-tick]').count()).toBe(hits.length);
    // n and p step through them
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    expect(await page.textContent('[data-testid=hit-position]')).toBe(`hit 3 of ${hits.length}+ · n next, p previous`);
    expect(await page.getAttribute('[data-testid=search-results] tr.hit-current', 'data-hit')).toBe(hits[2]);
    await page.keyboard.press('p');
    expect(await page.getAttribute('[data-testid=search-results] tr.hit-current', 'data-hit')).toBe(hits[1]);
    await screenshot(page, 'search-marked');
    // a hit links to its pod, at its line
    const link = page.locator('[data-testid=search-results] tr.hit-current a', { hasText: 'pod' });
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^/pod/[0-9a-f-]{36}\\?event=${hits[1]!.replace(':', '%3A')}$`));
    await link.click();
    await page.waitForSelector('[data-testid=pod-page]');
    await page.close();
  });

  it('marks phrases and prefixes as the index matched them', async () => {
    const page = await strictPage(chromium.context, problems);
    await page.goto(`${served.url}/search?q=${encodeURIComponent('"Killing container" AND cart*')}`);
    await page.waitForSelector('[data-testid=search-results] tr[data-hit]');
    const marks = await page.$$eval('[data-testid=search-results] tr[data-hit] td:nth-child(3) .hit-text mark.match', (els) => [...new Set(els.map((e) => e.textContent))].sort());
    expect(marks).toEqual(['Killing container', 'cart']);
    await page.close();
  });
});

describe('pods list', () => {
  it('says which lengths are lower bounds, each pod its state, and incidents by title; sorted by state, the stuck pod first', async () => {
    const page = await strictPage(chromium.context, problems);
    await page.goto(`${served.url}/pods?sort=state`);
    await page.waitForSelector('[data-testid=pods-row]');
    const first = page.locator('[data-testid=pods-row]').first();
    expect(await first.getAttribute('data-pod-key')).toBe(STUCK_UID);
    expect((await first.locator('td').allTextContents()).slice(4)).toEqual(['≥ 6m 49s', '≥ 3h 43m', '—', expect.stringMatching(/^\d+$/), 'stuck terminating', 'critical', 'stuck terminating']);
    expect(await first.locator('td[data-open=to-log-end]').count()).toBe(2);
    // no kind id in the incident filter either
    const options = await page.$$eval('[data-testid=incident-filter] option', (els) => els.map((e) => e.textContent));
    expect(options).toContain('stuck terminating (1)');
    expect(options.some((o) => /^[a-z]+(-[a-z]+)+ \(/.test(o ?? ''))).toBe(false);
    await screenshot(page, 'pods-stuck-first');
    await page.close();
  });
});
