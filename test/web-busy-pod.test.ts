// A busy pod (issue 15: "a pod with 30,000 events opens in under a second"): one pod of 30,000
// events in a generated log (fixed seed), ingested into a real SQLite file, served by the real
// `kubelog serve` on loopback. /api/pod sends the pod, the density of all its events and only
// the first page of them; /api/pod-events pages through a time window. In real Chromium, the
// page opens on a bounded answer, a zoom shows the window's own events, j/k crosses a page edge.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodEventsResponse, PodResponse } from '../web/api/types.js';
import type { Page } from 'playwright-core';
import { clockUs, isoUs as iso, parseIsoUs } from '../web/app/src/time.js';
import { launchChromium, screenshot, strictPage, type BrowserSession } from './helpers/browser.js';
import { BUSY_UID, busyPodLog, MARK_EVERY, QUIET_UID, type BusyPodLog } from './helpers/busy-pod-log.js';
import { runCli } from './helpers/cli.js';
import { validateSchema } from './helpers/json-schema.js';
import { serve, type Served } from './helpers/serve.js';

const EVENTS = 30_000;
/** Events a page holds (web/server/answers.ts EVENT_PAGE, the app's WINDOW_PAGE). */
const PAGE = 200;
/** What the first answer of the busy pod may weigh: its page of events and the density, never all 30k (7.5 MB). */
const FIRST_ANSWER_MAX_BYTES = 100_000;

let log: BusyPodLog;
let db: string;
let server: Served;
let chromium: BrowserSession;
const problems: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-busy-pod-'));
  log = busyPodLog(15, EVENTS);
  const file = path.join(dir, 'busy.log');
  writeFileSync(file, log.text);
  db = path.join(dir, 'busy.db');
  const ing = await runCli(['ingest', '-q', '--db', db, '--year', '2024', file]);
  expect(ing.code, ing.stderr).toBe(0);
  [server, chromium] = await Promise.all([serve(['--db', db], 180_000), launchChromium()]);
}, 300_000);

afterAll(async () => {
  await chromium?.close();
  await server?.stop();
  expect(problems).toEqual([]);
});

async function get<T>(p: string, schema: string): Promise<{ body: T; bytes: number }> {
  const res = await fetch(server.url + p, { headers: { 'accept-encoding': 'identity' } });
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  const body = JSON.parse(text) as T;
  expect(validateSchema(`api/${schema}.schema.json`, body)).toEqual([]);
  return { body, bytes: Buffer.byteLength(text) };
}

/** The busy pod's events with a time in [from, to], by the generator's own count. */
const inWindow = (from: number, to: number): number => log.times.filter((t) => t >= from && t <= to).length;

describe('/api/pod of a busy pod', () => {
  it('sends the first page of events by time, the density of all 30,000, and stays small', async () => {
    const { body, bytes } = await get<PodResponse>(`/api/pod/${BUSY_UID}`, 'pod');
    expect(bytes).toBeLessThan(FIRST_ANSWER_MAX_BYTES);
    expect(body.events).toEqual({ total: EVENTS, complete: false, next: expect.stringMatching(/^\d+:\d+$/) });
    expect(body.pod.events).toHaveLength(PAGE);
    expect(body.pod.events.map((e) => e.timeUs)).toEqual(log.times.slice(0, PAGE));
    const d = body.density;
    expect([d.fromUs, d.toUs, d.buckets, d.total, d.untimed]).toEqual([log.times[0], log.times[EVENTS - 1], 400, EVENTS, 0]);
    expect(d.bucketUs).toBe(Math.ceil((log.times[EVENTS - 1]! - log.times[0]! + 1) / 400));
    // every event in one bucket of its lane, errors and warnings by the generator's count
    const sum = (i: 1 | 2 | 3) => d.lanes.reduce((n, l) => n + l.buckets.reduce((m, b) => m + b[i], 0), 0);
    expect(sum(1)).toBe(EVENTS);
    expect(sum(2)).toBe(log.severities.filter((s) => s === 'W').length);
    expect(sum(3)).toBe(log.severities.filter((s) => s === 'E').length);
    const byLane = Object.fromEntries(d.lanes.map((l) => [l.lane, l.events]));
    expect(byLane).toEqual({ api: 1, errors: log.severities.filter((s) => s === 'E').length, probes: EVENTS - 1 - log.severities.filter((s) => s === 'E').length });
    // bucket i holds the events of [from + i·w, from + (i+1)·w)
    const expected = new Array<number>(400).fill(0);
    for (const t of log.times) expected[Math.floor((t - d.fromUs!) / d.bucketUs)]!++;
    const got = new Array<number>(400).fill(0);
    for (const l of d.lanes) for (const [i, n] of l.buckets) got[i]! += n;
    expect(got).toEqual(expected);
  });

  it('sends a small pod whole, as before', async () => {
    const { body } = await get<PodResponse>(`/api/pod/${QUIET_UID}`, 'pod');
    expect(body.events).toEqual({ total: 6, complete: true, next: null });
    expect(body.pod.events).toHaveLength(6);
    expect(body.density.total).toBe(6);
  });
});

describe('/api/pod-events', () => {
  const mark = 20 * MARK_EVERY;
  it("a window's events, exactly, the marked line among them", async () => {
    const from = log.times[mark - 10]!;
    const to = log.times[mark + 10]!;
    const { body } = await get<PodEventsResponse>(`/api/pod-events?pod=${BUSY_UID}&from=${from}&to=${to}`, 'pod-events');
    expect([body.fromUs, body.toUs, body.total, body.next]).toEqual([from, to, 21, null]);
    expect(body.events.map((e) => e.timeUs)).toEqual(log.times.slice(mark - 10, mark + 11));
    expect(body.events[10]).toMatchObject({ msg: 'Probe failed', kv: { output: `mark-${mark}` } });
  });

  it('pages by keyset: every event once, in time order, `next` null on the last page', async () => {
    const from = log.times[100]!;
    const to = log.times[2599]!;
    expect(inWindow(from, to)).toBe(2500);
    const seen: number[] = [];
    let after: string | null = '';
    let pages = 0;
    while (after !== null) {
      const { body }: { body: PodEventsResponse } = await get<PodEventsResponse>(`/api/pod-events?pod=${BUSY_UID}&from=${from}&to=${to}&limit=700${after ? `&after=${after}` : ''}`, 'pod-events');
      expect(body.total).toBe(2500);
      seen.push(...body.events.map((e) => e.timeUs!));
      after = body.next;
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(log.times.slice(100, 2600));
  });

  it('without a window: the whole pod, from its first event', async () => {
    const { body } = await get<PodEventsResponse>(`/api/pod-events?pod=${BUSY_UID}&limit=3`, 'pod-events');
    expect([body.fromUs, body.toUs, body.total]).toEqual([log.times[0], log.times[EVENTS - 1], EVENTS]);
    expect(body.events.map((e) => e.timeUs)).toEqual(log.times.slice(0, 3));
  });

  it('refuses what it cannot answer: 400 naming the parameter, 404 for an unknown pod', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['', 400, /^parameter pod: is required/],
      [`pod=${BUSY_UID}&limit=0`, 400, /^parameter limit: 0 is out of range \(1 to 2000\)/],
      [`pod=${BUSY_UID}&limit=2001`, 400, /^parameter limit: 2001 is out of range/],
      [`pod=${BUSY_UID}&from=5&to=1`, 400, /^parameter from: 5 is after to \(1\)/],
      [`pod=${BUSY_UID}&after=yesterday`, 400, /^parameter after: "yesterday" is not an event position/],
      [`pod=${BUSY_UID}&limt=5`, 400, /^parameter limt: not known here/],
      ['pod=no-such-pod', 404, /^no pod has the key "no-such-pod"/],
    ];
    for (const [q, status, message] of cases) {
      const res = await fetch(`${server.url}/api/pod-events?${q}`);
      const body = (await res.json()) as { error: string; code: string };
      expect([q, res.status], body.error).toEqual([q, status]);
      expect(body.error).toMatch(message);
      expect(validateSchema('api/error.schema.json', body)).toEqual([]);
    }
  });
});

const rows = '[data-testid=event-table] tbody tr';

async function openPod(query = '', at = server): Promise<{ page: Page; podBytes: () => number }> {
  const page = await strictPage(chromium.context, problems);
  let podBytes = -1;
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === `/api/pod/${BUSY_UID}`) void r.body().then((b) => (podBytes = b.length));
  });
  await page.goto(`${at.url}/pod/${BUSY_UID}${query}`);
  await page.waitForSelector('[data-testid=pod-timeline] svg [data-testid=lane-density]', { state: 'attached' });
  return { page, podBytes: () => podBytes };
}

/** Drags over the timeline from one fraction of its width to another (a zoom to that span). */
async function dragZoom(page: Page, a: number, b: number): Promise<void> {
  const brush = page.locator('[data-testid=zoom-brush]');
  // (a selected row may have scrolled the timeline out of view)
  await brush.scrollIntoViewIfNeeded();
  const box = (await brush.boundingBox())!;
  await page.mouse.move(box.x + box.width * a, box.y + 60);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * b, box.y + 60, { steps: 4 });
  await page.mouse.up();
}

describe('the pod page of a busy pod, in Chromium', () => {
  it('opens on a bounded answer: the density of every lane, the first page of events in the table', async () => {
    const { page, podBytes } = await openPod();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-table] tbody tr').length > 0);
    expect(podBytes()).toBeGreaterThan(0);
    expect(podBytes()).toBeLessThan(FIRST_ANSWER_MAX_BYTES);
    expect(await page.locator(rows).count()).toBe(PAGE);
    const errors = log.severities.filter((s) => s === 'E').length;
    expect(await page.getAttribute('[data-lane=probes][data-total]', 'data-total')).toBe(String(EVENTS - 1 - errors));
    expect(await page.getAttribute('[data-lane=errors][data-total]', 'data-total')).toBe(String(errors));
    // error buckets are drawn in the error colour
    expect(await page.locator('[data-testid=lane-density][data-lane=errors] rect').count()).toBeGreaterThan(100);
    expect(await page.getAttribute('[data-testid=event-count]', 'data-window-total')).toBe(String(EVENTS));
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'pod-busy-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await screenshot(page, 'pod-busy-dark');
    await page.close();
  });

  it("a window shows that window's own events: a zoom by drag, and the marked line of a window by URL", async () => {
    const { page } = await openPod();
    // drag over a fiftieth of the plot, in its middle
    await dragZoom(page, 0.5, 0.52);
    await page.waitForFunction(() => new URL(location.href).searchParams.has('from'));
    const q = new URL(page.url()).searchParams;
    const from = parseIsoUs(q.get('from'))!;
    const to = parseIsoUs(q.get('to'))!;
    const expected = inWindow(Math.floor(from), Math.ceil(to));
    expect(expected).toBeGreaterThan(100);
    await page.waitForSelector(`[data-testid=event-count][data-window-total="${expected}"]`);
    expect(await page.locator(rows).count()).toBe(Math.min(expected, PAGE));
    const firstTime = log.times.find((t) => t >= from)!;
    expect(await page.textContent(`${rows} >> nth=0 >> td >> nth=0`)).toBe(clockUs(firstTime));

    const mark = 23 * MARK_EVERY;
    await page.goto(`${server.url}/pod/${BUSY_UID}?from=${iso(log.times[mark - 50]!)}&to=${iso(log.times[mark + 50]!)}`);
    await page.waitForSelector('[data-testid=event-count][data-window-total="101"]');
    expect(await page.locator(rows).count()).toBe(101);
    expect(await page.locator(rows).filter({ hasText: `mark-${mark}` }).count()).toBe(1);
    await page.close();
  });

  it('j past the last event loaded fetches the next page and selects its first event; its detail pane opens', async () => {
    const from = log.times[5000]!;
    const to = log.times[6000]!;
    const api = (await (await fetch(`${server.url}/api/pod-events?pod=${BUSY_UID}&from=${from}&to=${to}&limit=${PAGE + 2}`)).json()) as PodEventsResponse;
    const id = (i: number) => `${api.events[i]!.source}:${api.events[i]!.line}`;
    const { page } = await openPod(`?from=${iso(from)}&to=${iso(to)}`);
    await page.waitForSelector('[data-testid=event-count][data-window-total="1001"]');
    expect(await page.locator(rows).count()).toBe(PAGE);
    await page.locator(`${rows}[data-event="${id(PAGE - 1)}"]`).click();
    await page.keyboard.press('j');
    await page.waitForFunction((want) => new URL(location.href).searchParams.get('event') === want, id(PAGE));
    expect(await page.locator(rows).count()).toBe(2 * PAGE);
    expect(await page.getAttribute(`${rows}.selected`, 'data-event')).toBe(id(PAGE));
    await page.waitForSelector(`[data-testid=detail-pane][data-event="${id(PAGE)}"] [data-testid=detail-msg]`);
    expect(await page.textContent('[data-testid=detail-pane] [data-testid=detail-msg]')).toContain(api.events[PAGE]!.msg);
    await page.keyboard.press('j');
    await page.waitForFunction((want) => new URL(location.href).searchParams.get('event') === want, id(PAGE + 1));
    // k goes back over the page edge, without a fetch
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    await page.waitForFunction((want) => new URL(location.href).searchParams.get('event') === want, id(PAGE - 1));
    expect(await page.locator(rows).count()).toBe(2 * PAGE);
    await page.close();
  });

  it("a page that cannot be fetched is said in the table, not thrown: a 500 for the next page (j tries again), then the server stopped", async () => {
    // a server of its own, stopped halfway
    const own = await serve(['--db', db], 180_000);
    try {
      const from = log.times[5000]!;
      const to = log.times[6000]!;
      const api = (await (await fetch(`${own.url}/api/pod-events?pod=${BUSY_UID}&from=${from}&to=${to}&limit=${PAGE + 1}`)).json()) as PodEventsResponse;
      const id = (i: number) => `${api.events[i]!.source}:${api.events[i]!.line}`;
      const count = '[data-testid=event-count]';
      const { page } = await openPod(`?from=${iso(from)}&to=${iso(to)}`, own);
      await page.waitForSelector(`${count}[data-window-total="1001"]`);
      expect(await page.textContent(count)).toBe('200 loaded of 1,001 in this window (30,000 in the pod)');
      // the next page answers 500
      let refused = 0;
      await page.route(/\/api\/pod-events\?.*&after=/, (route) => {
        refused++;
        return route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'the database is locked', code: 'internal' }) });
      });
      await page.locator(`${rows}[data-event="${id(PAGE - 1)}"]`).click();
      await page.keyboard.press('j');
      await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('[data-testid=event-count]')!.textContent!));
      expect(refused).toBe(1);
      expect(await page.textContent(count)).toBe('the window’s events could not be loaded: the database is locked');
      // the events loaded stay, the selection too
      expect(await page.locator(rows).count()).toBe(PAGE);
      expect(new URL(page.url()).searchParams.get('event')).toBe(id(PAGE - 1));
      // the server answers again: j fetches the page
      await page.unroute(/\/api\/pod-events\?.*&after=/);
      await page.keyboard.press('j');
      await page.waitForFunction((want) => new URL(location.href).searchParams.get('event') === want, id(PAGE));
      expect(await page.locator(rows).count()).toBe(2 * PAGE);
      expect(await page.textContent(count)).toBe('400 loaded of 1,001 in this window (30,000 in the pod)');

      // the server stopped: a new window's first page cannot be fetched
      expect(await own.stop()).toBe(0);
      await dragZoom(page, 0.3, 0.4);
      await page.waitForFunction((was) => new URL(location.href).searchParams.get('from') !== was, iso(from));
      await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('[data-testid=event-count]')!.textContent!));
      expect(await page.textContent(count)).toBe('the window’s events could not be loaded: The kubelog server does not answer. Is `kubelog serve` still running? Start it again and reload.');
      expect(await page.locator(rows).count()).toBe(0);
      await page.close();
    } finally {
      await own.stop();
    }
  });
});
