// The browser app end to end: the real `kubelog serve` on a loopback port over a database ingested
// from the real samples, driven in real Chromium. Screenshots of every page go to
// test/artifacts/screenshots/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, screenshot, strictPage, type BrowserSession } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { realDir, repoRoot } from './helpers/samples.js';
import { serve, type Served } from './helpers/serve.js';

// the design-notes trace: no times (a headerless paste), so the app draws it by line
const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13';
// sample 05's Job pod, with times: sync → terminating → terminated on the overview's time axis
const JOB_UID = 'e9e05afc-31c4-4ab9-9bc9-423b9fa3a494';
const HOSTILE_UID = '6c1d0f3e-1111-4222-8333-944455556666';
const HOSTILE_NAME = '<img src=x onerror=window.__pwned=1>';

// A log whose pod name, message, key/values and error text are markup and script: all of it must
// show as text.
const hostileLog = [
  `I0607 06:00:00.000000    1234 kubelet.go:2440] "SyncLoop ADD" source="api" pods=["default/${HOSTILE_NAME}"]`,
  `I0607 06:00:00.100000    1234 pod_workers.go:1230] "syncPod enter" pod="default/${HOSTILE_NAME}" podUID="${HOSTILE_UID}"`,
  `I0607 06:00:01.000000    1234 kubelet.go:1900] "<script>window.__pwned=2</script>" pod="default/${HOSTILE_NAME}" podUID="${HOSTILE_UID}" link="javascript:window.__pwned=3"`,
  `E0607 06:00:02.000000    1234 kuberuntime_manager.go:1100] "Kill container failed" err="<svg onload=window.__pwned=4>" pod="default/${HOSTILE_NAME}" podUID="${HOSTILE_UID}" containerName="<b>bold</b>"`,
  `I0607 06:00:03.000000    1234 kubelet.go:2456] "SyncLoop DELETE" source="api" pods=["default/${HOSTILE_NAME}"]`,
  `I0607 06:00:03.100000    1234 pod_workers.go:1300] "syncTerminatingPod enter" pod="default/${HOSTILE_NAME}" podUID="${HOSTILE_UID}"`,
  `I0607 06:00:05.000000    1234 pod_workers.go:1350] "syncTerminatingPod exit" pod="default/${HOSTILE_NAME}" podUID="${HOSTILE_UID}"`,
  '',
].join('\n');

let samples: Served;
let many: Served;
let hostile: Served;
let podless: Served;
let chromium: BrowserSession;
const problems: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-e2e-'));
  const db = path.join(dir, 'samples.db');
  const ing = await runCli(['ingest', '-q', '--db', db, '--year', '2024', realDir]);
  expect(ing.code, ing.stderr).toBe(0);
  const hostileFile = path.join(dir, 'hostile.log');
  writeFileSync(hostileFile, hostileLog);
  // a kubelet that logged no pod at all
  const podlessFile = path.join(dir, 'podless.log');
  writeFileSync(podlessFile, 'I0607 06:00:00.000000    1234 server.go:416] "Kubelet version" kubeletVersion="v1.28.2"\n');
  // a node with more pods than one page of the overview holds (the generator, fixed seed)
  const manyLog = path.join(dir, 'many.log');
  const gen = spawnSync(process.execPath, [path.join(repoRoot, 'dist/samples/generator/cli.js'), '--out', manyLog, '--pods', '2000', '--concurrency', '100', '--verbosity', '2', '--seed', '13'], { encoding: 'utf8' });
  expect(gen.status, gen.stderr).toBe(0);
  // the one-command path: serve FILE ingests first
  [samples, many, hostile, podless, chromium] = await Promise.all([
    serve(['--db', db]),
    serve(['--db', path.join(dir, 'many.db'), manyLog]),
    serve(['--db', path.join(dir, 'hostile.db'), '--year', '2024', hostileFile]),
    serve(['--db', path.join(dir, 'podless.db'), '--year', '2024', podlessFile]),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all([samples?.stop(), many?.stop(), hostile?.stop(), podless?.stop()]);
});

async function open(p: string, base = samples.url): Promise<Page> {
  const page = await strictPage(chromium.context, problems);
  await page.goto(base + p);
  return page;
}

const attrs = (page: Page, selector: string, names: string[]): Promise<string[][]> =>
  page.$$eval(selector, (els, ns) => els.map((e) => ns.map((n) => e.getAttribute(n) ?? '')), names);

describe('node overview', () => {
  it('draws every pod with its phases; the filter finds the design-notes pod, which has no times, and opens it', async () => {
    const page = await open('/');
    await page.waitForSelector('[data-testid=pod-row]');
    const total = await page.textContent('[data-testid=row-count]');
    expect(total).toMatch(/^(\d+) of \1 pods$/);
    await page.waitForSelector('[data-testid=histogram] .hist-bucket');
    const job = page.locator(`[data-testid=pod-row][data-pod-key="${JOB_UID}"]`);
    expect(await job.locator('rect[data-phase]').evaluateAll((els) => els.map((e) => e.getAttribute('data-phase')))).toEqual(['sync', 'terminating', 'terminated']);
    await screenshot(page, 'overview');

    await page.fill('[data-testid=overview-filter]', '4f3761db');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=pod-row]').length === 1);
    expect(page.url()).toContain('q=4f3761db');
    const row = page.locator(`[data-testid=pod-row][data-pod-key="${UID}"]`);
    expect(await row.textContent()).toContain('default/nginx-deployment-9456bbbf9-cvrr7');
    // no place on the time axis: the row says so and names its phases; two incidents, the worst critical
    expect(await row.locator('.untimed').textContent()).toBe('no times in this log (terminating → terminated → terminating): open it to see it by line');
    expect(await row.locator('.badge-incident').textContent()).toBe('2');
    expect(await row.locator('.badge-incident').getAttribute('class')).toContain('sev-critical');
    expect(await row.getAttribute('class')).toContain('state-terminating');
    await screenshot(page, 'overview-filtered');

    await row.click();
    await page.waitForSelector('[data-testid=pod-page]');
    expect(new URL(page.url()).pathname).toBe(`/pod/${UID}`);
    await page.close();
  });

  it('a node picked from those of the database shows only its pods', async () => {
    const page = await open('/');
    await page.waitForSelector('[data-testid=pod-row]');
    await page.selectOption('[data-testid=node-filter]', 'e2e-big-minion-group-wfls');
    await page.waitForFunction(() => document.querySelector('[data-testid=row-count]')?.textContent === '4 of 4 pods');
    expect(new URL(page.url()).searchParams.get('node')).toBe('e2e-big-minion-group-wfls');
    expect(await page.$$eval('[data-testid=pod-row] .row-label', (els) => els.map((e) => e.textContent))).toEqual([
      'kube-system/kube-proxy-e2e-big-minion-group-wfls',
      'kube-system/kube-proxy-e2e-big-minion-group-wfls',
      'kube-system/fluentd-gcp-v3.2.0-wjb8t',
      'kube-system/metadata-proxy-v0.1-d6v9s',
    ]);
    await page.close();
  });

  it('a brush on the histogram narrows the window and puts it in the URL', async () => {
    // February to June 2024 on the samples' axis (January 2024 to May 2025): the pods alive then,
    // and no pod of a log without times
    const page = await open('/');
    await page.waitForSelector('[data-testid=histogram] .hist-bucket');
    const box = (await page.locator('[data-testid=histogram]').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.05, box.y + 30);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + 30, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('from'));
    const q = new URL(page.url()).searchParams;
    const from = Date.parse(q.get('from')!);
    const to = Date.parse(q.get('to')!);
    expect(to).toBeGreaterThan(from);
    // the histogram is asked for again, in finer buckets over the window (the URL has µs digits)
    const fromUs = String(from * 1000 + Number(/\.\d{3}(\d{3})Z$/.exec(q.get('from')!)![1]));
    await page.waitForSelector(`[data-testid=histogram][data-from-us="${fromUs}"]`);
    // the rows of the window come from the server, a page at a time
    await page.waitForSelector('[data-testid=row-count][data-state=ready]');
    await page.waitForSelector('[data-testid=pod-row]');
    const shown = await page.textContent('[data-testid=row-count]');
    const [inWindow, all] = shown!.match(/[\d,]+/g)!.map((n) => Number(n.replace(/,/g, '')));
    expect(inWindow).toBeLessThan(all!);
    await screenshot(page, 'overview-window');

    // the same URL opened afresh shows the same window
    const again = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    await again.waitForSelector('[data-testid=pod-row]');
    await again.waitForSelector('[data-testid=row-count][data-state=ready]');
    expect(await again.textContent('[data-testid=row-count]')).toBe(shown);

    // dragging the rows pans the window (and does not open the pod under the pointer)
    const track = (await page.locator('[data-testid=pod-row] svg').first().boundingBox())!;
    await page.mouse.move(track.x + track.width * 0.6, track.y + 10);
    await page.mouse.down();
    await page.mouse.move(track.x + track.width * 0.4, track.y + 10, { steps: 6 });
    await page.mouse.up();
    await page.waitForFunction((f) => new URL(location.href).searchParams.get('from') !== f, q.get('from'));
    const panned = new URL(page.url());
    expect(panned.pathname).toBe('/');
    expect(Date.parse(panned.searchParams.get('to')!) - Date.parse(panned.searchParams.get('from')!)).toBeCloseTo(to - from, -1);

    await Promise.all([page.close(), again.close()]);
  });
});

describe('node overview of 2,000 pods', () => {
  it('asks the server for the rows a page at a time as they scroll into view; filter and sort are the server\'s', async () => {
    const page = await open('/', many.url);
    const asked: URL[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/overview' && u.searchParams.has('offset')) asked.push(u);
    });
    await page.waitForSelector('[data-testid=pod-row]');
    const pods = Number((await page.textContent('[data-testid=row-count]'))!.match(/of ([\d,]+) pods/)![1]!.replace(/,/g, ''));
    expect(pods).toBeGreaterThan(1600);
    expect(await page.textContent('[data-testid=row-count]')).toBe(`${pods.toLocaleString('en-US')} of ${pods.toLocaleString('en-US')} pods`);
    // the last pod by first time, as the API has it
    const lastRow = (await (await fetch(`${many.url}/api/overview?buckets=0&offset=${pods - 1}&limit=1`)).json()) as { pods: Array<{ key: string }> };
    expect(await page.locator(`[data-testid=pod-row][data-pod-key="${lastRow.pods[0]!.key}"]`).count()).toBe(0);
    await page.$eval('[data-testid=pod-rows]', (el) => (el.scrollTop = el.scrollHeight));
    await page.waitForSelector(`[data-testid=pod-row][data-pod-key="${lastRow.pods[0]!.key}"]`);
    // the first pages came with the page, the last ones when they scrolled into view (with the
    // page before them): none between
    const offsets = asked.map((u) => Number(u.searchParams.get('offset')));
    expect(offsets).toContain(0);
    expect(offsets).toContain(Math.floor((pods - 1) / 200) * 200);
    expect(offsets.filter((o) => o >= 600 && o < Math.floor((pods - 1) / 200) * 200 - 200)).toEqual([]);
    expect(asked.every((u) => u.searchParams.get('limit') === '200')).toBe(true);
    expect(await page.locator('[data-testid=pod-row]').count()).toBeLessThan(80);
    // sorted by name on the server: the first row is the first name
    await page.selectOption('select:near(:text("sort"))', 'name');
    const byName = (await (await fetch(`${many.url}/api/overview?buckets=0&sort=name&limit=1`)).json()) as { pods: Array<{ key: string }> };
    await page.waitForSelector(`[data-testid=pod-rows] [data-testid=pod-row][data-pod-key="${byName.pods[0]!.key}"]`);
    await page.close();
  });
});

describe('search of a big log', () => {
  it('shows a page of hits and searches further on request', async () => {
    const page = await open(`/search?q=${encodeURIComponent('"SyncLoop ADD"')}`, many.url);
    await page.waitForSelector('[data-testid=search-results] tr[data-hit]');
    // a page is 200 hits, or fewer when its half second of work ran out first
    const first = await page.locator('[data-testid=search-results] tr[data-hit]').count();
    expect(first).toBeLessThanOrEqual(200);
    expect(await page.textContent('[data-testid=search-count]')).toBe(`${first}+ records`);
    await page.click('[data-testid=search-further] button');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=search-results] tr[data-hit]').length > n, first);
    // the hits of both pages, in log order, none twice
    const hits = await page.$$eval('[data-testid=search-results] tr[data-hit]', (rows) => rows.map((r) => r.getAttribute('data-hit')!));
    expect(new Set(hits).size).toBe(hits.length);
    const fromApi: string[] = [];
    for (let after: string | null = ''; after !== null && fromApi.length < hits.length; ) {
      const r = (await (await fetch(`${many.url}/api/search?q=${encodeURIComponent('"SyncLoop ADD"')}&limit=500${after ? `&after=${after}` : ''}`)).json()) as { hits: Array<{ source: number; line: number }>; next: string | null };
      fromApi.push(...r.hits.map((h) => `${h.source}:${h.line}`));
      after = r.next;
    }
    expect(hits).toEqual(fromApi.slice(0, hits.length));
    await page.close();
  });
});

describe('pod page', () => {
  it('shows the design-notes pod: two terminating phases, the terminated phase, and the kill failure', async () => {
    const page = await open(`/pod/${UID}`);
    await page.waitForSelector('[data-testid=pod-timeline] [data-testid=phase]');
    expect(await page.textContent('[data-testid=pod-title]')).toBe('default/nginx-deployment-9456bbbf9-cvrr7');
    expect(await attrs(page, '[data-testid=phase]', ['data-phase', 'data-start-line', 'data-end-line', 'data-evidence', 'data-open'])).toEqual([
      ['terminating', '5', '29', 'exact', 'false'],
      ['terminated', '39', '50', 'exact', 'false'],
      // its kill failed: still terminating at the last line
      ['terminating', '140', '147', 'exact', 'true'],
    ]);
    // one kill failure is one incident, marked at its first line
    const incidents = await attrs(page, '[data-testid=pod-timeline] [data-testid=incident]', ['data-incident-kind', 'data-severity', 'data-line']);
    expect(incidents).toEqual([
      ['torn-down-twice', 'warning', '140'],
      ['kill-failed', 'critical', '145'],
    ]);
    // every event is a tick on a lane, and a row in the table
    const ticks = await page.locator('[data-testid=event-tick]').count();
    expect(ticks).toBeGreaterThan(20);
    expect(await page.locator('[data-testid=event-table] tbody tr').count()).toBe(ticks);
    await screenshot(page, 'pod');

    // wheel zoom on a log without times (by line) stays zoomed when the gesture ends
    const bar = page.locator('[data-testid=phase][data-start-line="5"] rect');
    const before = Number(await bar.getAttribute('width'));
    const svg = (await page.locator('[data-testid=pod-timeline] svg').first().boundingBox())!;
    await page.mouse.move(svg.x + svg.width * 0.2, svg.y + 60);
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(600);
    expect(Number(await bar.getAttribute('width'))).toBeGreaterThan(before * 1.5);
    await page.click('[data-testid=timeline-reset]');
    expect(Number(await bar.getAttribute('width'))).toBeCloseTo(before, 0);

    // hover shows the message and key/values; click opens the raw log around it
    const kill = page.locator('[data-testid=incidents] li[data-incident-kind=kill-failed] button', { hasText: 'L145' });
    expect(await kill.textContent()).toContain('(2 lines)');
    await kill.click();
    await page.waitForSelector('[data-testid=raw-lines] .raw-hit');
    expect(await page.textContent('[data-testid=raw-lines] .raw-hit .raw-no')).toBe('145');
    expect(await page.textContent('[data-testid=raw-lines] .raw-hit .raw-text')).toContain('Container termination failed with gracePeriod');
    expect(await page.locator('[data-testid=raw-lines] .raw-line').count()).toBeGreaterThan(10);
    expect(new URL(page.url()).searchParams.get('event')).toMatch(/^\d+:145$/);
    const tick = page.locator('[data-testid=event-tick].tick-selected');
    await tick.hover();
    await page.waitForSelector('[data-testid=tooltip]');
    expect(await page.textContent('[data-testid=tooltip]')).toContain('Container termination failed with gracePeriod');
    await screenshot(page, 'pod-raw-lines');
    await page.close();
  });

  it('a shared link opens the same pod with the same event selected', async () => {
    const first = await open(`/pod/${UID}`);
    await first.waitForSelector('[data-testid=incidents]');
    await first.locator('[data-testid=incidents] li[data-incident-kind=kill-failed] button', { hasText: 'L145' }).click();
    await first.waitForSelector('[data-testid=raw-lines] .raw-hit');
    const link = first.url();
    const page = await open(new URL(link).pathname + new URL(link).search);
    await page.waitForSelector('[data-testid=raw-lines] .raw-hit');
    expect(await page.textContent('[data-testid=raw-lines] .raw-hit .raw-no')).toBe('145');
    expect(await page.locator('[data-testid=event-table] tr.selected').count()).toBe(1);
    await Promise.all([first.close(), page.close()]);
  });

  it('an event row clicked twice opens its raw lines and closes them again; the page stays', async () => {
    // Chromium 156's scrollIntoView returns a promise: an effect that returned it had React call
    // it as a cleanup on the second click, and the whole page went blank
    const own: string[] = [];
    const page = await strictPage(chromium.context, own);
    await page.goto(`${samples.url}/pod/${UID}`);
    const row = page.locator('[data-testid=event-table] tr[data-event$=":146"]');
    await row.click();
    await page.waitForSelector('[data-testid=raw-lines] .raw-hit');
    expect(await page.textContent('[data-testid=raw-lines] .raw-hit .raw-no')).toBe('146');
    await row.click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('event'));
    await page.waitForTimeout(200);
    expect(await page.locator('[data-testid=raw-lines]').count()).toBe(0);
    expect(await page.textContent('[data-testid=pod-title]', { timeout: 5000 })).toBe('default/nginx-deployment-9456bbbf9-cvrr7');
    expect(await page.locator('[data-testid=event-table] tbody tr').count()).toBe(69);
    // and a third click opens them again
    await row.click();
    await page.waitForSelector('[data-testid=raw-lines] .raw-hit');
    expect(own).toEqual([]);
    await page.close();
  });

  it('an unknown pod says so and where to look', async () => {
    const page = await open('/pod/00000000-0000-0000-0000-000000000000');
    await page.waitForSelector('[data-testid=empty]');
    expect(await page.textContent('[data-testid=empty]')).toContain('No pod 00000000-0000-0000-0000-000000000000 in this database');
    await page.close();
  });
});

describe('pod list and search', () => {
  it('searches by name, filters by incident, sorts by terminating time (server side, state in the URL)', async () => {
    const page = await open('/pods');
    await page.waitForSelector('[data-testid=pods-row]');
    await page.fill('[data-testid=pod-search]', 'nginx-deployment');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=pods-row]')].every((r) => r.textContent!.includes('nginx-deployment')));
    await page.selectOption('[data-testid=incident-filter]', 'kill-failed');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('incident') === 'kill-failed');
    await page.waitForFunction((uid) => {
      const rows = [...document.querySelectorAll('[data-testid=pods-row]')];
      return rows.length === 1 && rows[0]!.getAttribute('data-pod-key') === uid;
    }, UID);
    await page.selectOption('[data-testid=incident-filter]', '');
    await page.fill('[data-testid=pod-search]', '');
    await page.getByRole('button', { name: /^terminating/ }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'terminating');
    await page.waitForSelector('[data-testid=pods-row]');
    expect(new URL(page.url()).searchParams.get('desc')).toBe('1');
    await screenshot(page, 'pods');
    await page.close();
  });

  it('full-text search finds the kill failure and links to its pod', async () => {
    const page = await open(`/search?q=${encodeURIComponent('"Kill container failed"')}`);
    await page.waitForSelector('[data-testid=search-results] tr[data-hit]');
    const link = page.locator('[data-testid=search-results] a', { hasText: 'pod' }).first();
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^/pod/${UID}\\?event=\\d+%3A146$`));
    await screenshot(page, 'search');
    await link.click();
    await page.waitForSelector('[data-testid=raw-lines] .raw-hit');
    expect(await page.textContent('[data-testid=pod-title]')).toBe('default/nginx-deployment-9456bbbf9-cvrr7');
    await page.close();
  });
});

describe('empty and failing', () => {
  it('a database without pods says how to ingest one, on every page', async () => {
    for (const p of ['/', '/pods']) {
      const page = await open(p, podless.url);
      await page.waitForSelector('[data-testid=empty]');
      const text = await page.textContent('[data-testid=empty]');
      expect(text).toContain('This database has no pods yet.');
      expect(text).toContain('kubelog ingest --db <this database> /var/log/kubelet/kubelet.log');
      if (p === '/') await screenshot(page, 'empty');
      await page.close();
    }
  });

  it('a failing server is an error that says what happened and offers a reload', async () => {
    const page = await strictPage(chromium.context, problems);
    await page.route('**/api/overview*', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'database disk image is malformed', code: 'internal' }) }),
    );
    await page.goto(samples.url + '/');
    await page.waitForSelector('[data-testid=error]');
    const text = await page.textContent('[data-testid=error]');
    expect(text).toContain('Could not load the node overview.');
    expect(text).toContain('database disk image is malformed');
    expect(text).toContain('kubelog serve');
    expect(await page.getByRole('button', { name: 'Reload' }).count()).toBe(1);
    await screenshot(page, 'error');
    await page.close();
  });
});

describe('hostile log text', () => {
  it('pod names, messages and values with markup and script are shown as text and never run', async () => {
    const page = await open('/', hostile.url);
    await page.waitForSelector('[data-testid=pod-row]');
    expect(await page.textContent('[data-testid=pod-row] .row-label')).toContain(`default/${HOSTILE_NAME}`);
    await page.locator('[data-testid=pod-row]').hover();
    await page.waitForSelector('[data-testid=tooltip]');
    await screenshot(page, 'hostile-overview');
    await page.locator('[data-testid=pod-row]').click();
    await page.waitForSelector('[data-testid=event-table]');
    expect(await page.textContent('[data-testid=pod-title]')).toBe(`default/${HOSTILE_NAME}`);
    const table = (await page.textContent('[data-testid=event-table]'))!;
    expect(table).toContain('<script>window.__pwned=2</script>');
    expect(table).toContain('link=javascript:window.__pwned=3');
    expect(table).toContain('containerName=<b>bold</b>');
    expect(await page.textContent('[data-testid=incidents]')).toContain('<svg onload=window.__pwned=4>');
    // the message row's raw log too
    await page.locator('[data-testid=event-table] tr', { hasText: '<script>' }).click();
    await page.waitForSelector('[data-testid=raw-lines] .raw-hit');
    expect(await page.textContent('[data-testid=raw-lines] .raw-hit .raw-text')).toContain('"<script>window.__pwned=2</script>"');
    await page.locator('[data-testid=event-tick].tick-selected').hover();
    await page.waitForSelector('[data-testid=tooltip]');
    await screenshot(page, 'hostile-pod');

    const search = await open(`/search?q=${encodeURIComponent('pwned')}`, hostile.url);
    await search.waitForSelector('[data-testid=search-results] tr[data-hit]');
    for (const p of [page, search]) {
      expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await p.locator('img, script:not([src]), svg[onload], b').count()).toBe(0);
      expect(await p.$$eval('a', (as) => as.map((a) => a.getAttribute('href') ?? '').filter((h) => !h.startsWith('/')))).toEqual([]);
    }
    await Promise.all([page.close(), search.close()]);
    expect(problems).toEqual([]);
  });
});
