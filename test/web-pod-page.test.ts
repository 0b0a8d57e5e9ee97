// The pod page end to end (issue 15): the detail pane beside the timeline, the keyboard, honest
// phases with the kubelet's crashes and restarts, zooming, and light and dark. The real `kubelog
// serve` over the real samples and over a generated node (fixed seed: a pod stuck terminating to
// the end of the log, a kubelet restart and a crash), driven in real Chromium. Screenshots go to
// test/artifacts/screenshots/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PodEventsResponse, PodResponse, PodsResponse } from '../web/api/types.js';
import { launchChromium, screenshot, strictPage, type BrowserSession } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { realDir, repoRoot } from './helpers/samples.js';
import { serve, type Served } from './helpers/serve.js';

// the design-notes trace (no times): torn down twice, its kill failed at lines 145-146
const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13';
// sample 05's Job pod: other pods' lines and an error line around its own
const JOB_UID = 'e9e05afc-31c4-4ab9-9bc9-423b9fa3a494';
const JOB_SOURCE = 1;

let samples: Served;
let node: Served;
let chromium: BrowserSession;
let stuckKey: string;
const problems: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-pod-page-'));
  const db = path.join(dir, 'samples.db');
  const ing = await runCli(['ingest', '-q', '--db', db, '--year', '2024', realDir]);
  expect(ing.code, ing.stderr).toBe(0);
  const log = path.join(dir, 'node.log');
  const gen = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'dist/samples/generator/cli.js'), '--out', log, '--pods', '60', '--seed', '7', '--verbosity', '4', '--restarts', '1', '--crashes', '1', '--scenario', 'incidents'],
    { encoding: 'utf8' },
  );
  expect(gen.status, gen.stderr).toBe(0);
  // ingest apart from serving: on a loaded machine a serve that ingests first outlasts its wait for the URL
  const nodeDb = path.join(dir, 'node.db');
  const ingNode = await runCli(['ingest', '-q', '--db', nodeDb, log]);
  expect(ingNode.code, ingNode.stderr).toBe(0);
  [samples, node, chromium] = await Promise.all([serve(['--db', db], 180_000), serve(['--db', nodeDb], 180_000), launchChromium()]);
  const stuck = (await (await fetch(`${node.url}/api/pods?state=stuck-terminating`)).json()) as PodsResponse;
  expect(stuck.pods).toHaveLength(1);
  stuckKey = stuck.pods[0]!.key;
}, 600_000);

afterAll(async () => {
  await chromium?.close();
  await Promise.all([samples?.stop(), node?.stop()]);
});

async function open(p: string, base = samples.url): Promise<Page> {
  const page = await strictPage(chromium.context, problems);
  await page.goto(base + p);
  return page;
}

const pane = '[data-testid=detail-pane]';

describe('detail pane', () => {
  it("shows the kill line's message, key/values (nested ones too) and its raw lines, with a context that widens; Escape closes it", async () => {
    const page = await open(`/pod/${UID}`);
    await page.locator('[data-testid=event-table] tr[data-event$=":146"]').click();
    await page.waitForSelector(`${pane} [data-testid=raw-lines] .raw-hit`);
    expect(new URL(page.url()).searchParams.get('event')).toMatch(/^\d+:146$/);
    expect(await page.textContent(`${pane} [data-testid=detail-msg]`)).toBe('Kill container failed');
    const kv = await page.$$eval(`${pane} [data-testid=detail-kv] > tbody > tr`, (rows) => rows.map((r) => [r.getAttribute('data-key'), r.querySelector('td')!.textContent]));
    expect(kv).toEqual([
      ['err', 'rpc error: code = Unknown desc = Error response from daemon: No such container: dc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c'],
      ['pod', 'default/nginx-deployment-9456bbbf9-cvrr7'],
      ['podUID', UID],
      ['containerName', 'nginx'],
      ['containerID', 'TypedockerIDdc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c'],
    ]);
    // the nested value is a table of its own, not JSON text
    expect(await page.$$eval(`${pane} [data-testid=detail-kv] tr[data-key=containerID] .kv-nested tr`, (rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual(['Type', 'ID']);
    // the incident this line is evidence of, by its title
    expect(await page.textContent(`${pane} .detail-incidents`)).toContain('kill failed');

    // eight lines either side at first; the file ends at 147
    expect(await page.textContent(`${pane} [data-testid=raw-range]`)).toBe('lines 138–147');
    expect(await page.textContent(`${pane} .raw-hit .raw-no`)).toBe('146');
    expect(await page.isDisabled(`${pane} [data-testid=more-after]`)).toBe(true);
    expect(await page.textContent(`${pane} [data-testid=more-after]`)).toBe('the log ends here');
    await page.click(`${pane} [data-testid=more-before]`);
    await page.waitForFunction(() => document.querySelector('[data-testid=raw-range]')?.textContent === 'lines 118–147');
    await page.click(`${pane} [data-testid=more-before]`);
    // 48 lines before reach into a record that spans lines 56-116: it is shown whole
    await page.waitForFunction(() => document.querySelector('[data-testid=raw-range]')?.textContent === 'lines 56–147');
    // long lines wrap inside the pane: nothing runs off to the side
    expect(await page.$eval(`${pane} .raw-hit`, (el) => getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    expect(await page.$eval(`${pane} .raw-body`, (el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await page.$eval(pane, (el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // the pane sits beside the timeline, not under it
    await page.$eval('main', (m) => (m.scrollTop = 0));
    const tl = (await page.locator('[data-testid=pod-timeline]').boundingBox())!;
    const pb = (await page.locator(pane).boundingBox())!;
    expect(pb.x).toBeGreaterThanOrEqual(tl.x + tl.width);
    expect(pb.y).toBeLessThan(tl.y + tl.height);
    await screenshot(page, 'pod-detail-pane');

    await page.keyboard.press('Escape');
    await page.waitForSelector(pane, { state: 'detached' });
    // the selection stays (in the URL and the table); Enter opens its pane again
    expect(new URL(page.url()).searchParams.get('event')).toMatch(/^\d+:146$/);
    expect(await page.locator('[data-testid=event-table] tr.selected').count()).toBe(1);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${pane} .raw-hit`);
    await page.click('[data-testid=detail-close]');
    await page.waitForSelector(pane, { state: 'detached' });
    await page.close();
  });

  it("dims other pods' lines, marks the pod's own, colours errors", async () => {
    const page = await open(`/pod/${JOB_UID}?event=${JOB_SOURCE}%3A16`);
    await page.waitForSelector(`${pane} .raw-hit`);
    const lines = await page.$$eval(`${pane} .raw-line`, (els) => els.map((e) => [Number(e.getAttribute('data-line')), e.getAttribute('data-pod'), e.getAttribute('data-severity')]));
    // as the model has them: its PLEG events (15, 16) are its own; the ADDs of two other pods and
    // the other pod's sync error name their UIDs; the rest (topology, reflectors) are no pod's
    expect(lines.filter(([l]) => (l as number) >= 15 && (l as number) <= 24)).toEqual([
      [15, 'this', 'I'],
      [16, 'this', 'I'],
      [17, 'other', 'I'],
      [18, '', 'I'],
      [19, '', 'I'],
      [20, 'other', 'I'],
      [21, '', 'I'],
      [22, '', 'I'],
      [23, 'other', 'E'],
      [24, '', 'I'],
    ]);
    const style = (l: number) =>
      page.$eval(`${pane} .raw-line[data-line="${l}"]`, (el) => ({ opacity: getComputedStyle(el).opacity, color: getComputedStyle(el.querySelector('.raw-text')!).color }));
    expect((await style(17)).opacity).toBe('0.42');
    expect((await style(18)).opacity).toBe('1');
    expect((await style(15)).opacity).toBe('1');
    // an error line is red whoever's it is; an info line is not
    expect((await style(23)).color).toBe('rgb(255, 138, 138)');
    expect((await style(18)).color).toBe('rgb(214, 221, 228)');
    await page.close();
  });
});

describe('/pod/ namespace/name, like the CLI', () => {
  it('opens the one pod a name names; a name several pods had lists them to pick from', async () => {
    const page = await open('/pod/default/nginx-deployment-9456bbbf9-cvrr7');
    await page.waitForSelector('[data-testid=pod-timeline] [data-testid=phase]');
    expect(await page.getAttribute('[data-testid=pod-page]', 'data-pod-key')).toBe(UID);
    await page.goto(`${samples.url}/pod/kube-system/kube-proxy-e2e-big-minion-group-wfls`);
    await page.waitForSelector('[data-testid=pod-candidates]');
    expect(await page.textContent('[data-testid=pod-candidates] h1')).toBe('2 pods match kube-system/kube-proxy-e2e-big-minion-group-wfls');
    expect(await page.$$eval('[data-testid=pod-candidate]', (rows) => rows.map((r) => [r.getAttribute('data-pod-key'), r.querySelector('td:nth-child(4)')!.textContent]))).toEqual([
      ['2b5a92651754a304649e3cc5de130d56', 'running'],
      ['e122c82b-c004-4b2f-bf90-77bc3b2bf4d9', 'mirror'],
    ]);
    await screenshot(page, 'pod-candidates');
    await page.locator('[data-testid=pod-candidate] a').first().click();
    await page.waitForSelector('[data-testid=pod-page][data-pod-key="2b5a92651754a304649e3cc5de130d56"]');
    expect(new URL(page.url()).pathname).toBe('/pod/2b5a92651754a304649e3cc5de130d56');
    // its sync runs to the kubelet's crash, which is marked
    expect(await page.$$eval('[data-testid=kubelet-mark]', (els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['kubelet-crash']);
    await page.close();
  });
});

describe('keyboard', () => {
  it('j/k and the arrows move between events (selection, URL and pane follow), / focuses the search, every control takes Tab with a visible ring', async () => {
    const { pod } = (await (await fetch(`${node.url}/api/pod/${stuckKey}`)).json()) as PodResponse;
    const ids = pod.events.map((e) => `${e.source}:${e.line}`);
    const page = await open(`/pod/${stuckKey}`, node.url);
    await page.waitForSelector('[data-testid=event-table] tbody tr');
    const at = async (): Promise<string | null> => new URL(page.url()).searchParams.get('event');
    const paneAt = (id: string) => page.waitForSelector(`${pane}[data-event="${id}"] .raw-hit`);
    await page.keyboard.press('j');
    expect(await at()).toBe(ids[0]);
    await paneAt(ids[0]!);
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    expect(await at()).toBe(ids[2]);
    await paneAt(ids[2]!);
    expect(await page.getAttribute('[data-testid=event-table] tr.selected', 'data-event')).toBe(ids[2]);
    expect(await page.locator('[data-testid=event-tick].tick-selected').getAttribute('data-event')).toBe(ids[2]);
    await page.keyboard.press('k');
    await page.keyboard.press('ArrowUp');
    expect(await at()).toBe(ids[0]);
    await paneAt(ids[0]!);
    // at the first event, k stays there
    await page.keyboard.press('k');
    expect(await at()).toBe(ids[0]);
    await page.keyboard.press('Escape');
    await page.waitForSelector(pane, { state: 'detached' });
    await page.keyboard.press('Enter');
    await paneAt(ids[0]!);

    // / focuses the header's search; keys typed there are text, not navigation
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('app-search');
    await page.keyboard.type('jk');
    expect(await at()).toBe(ids[0]);
    expect(await page.inputValue('[data-testid=app-search]')).toBe('jk');
    await page.keyboard.press('Escape');
    await page.fill('[data-testid=app-search]', '');

    // Tab from the top of the page reaches every control, each with a focus ring
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const controls = await page.$$eval('a[href], button:not([disabled]), input, select, [tabindex="0"]', (els) =>
      els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.outerHTML.slice(0, 80)),
    );
    const reached = new Set<string>();
    const rings: string[] = [];
    for (let i = 0; i < controls.length + 5; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const s = getComputedStyle(el);
        return { html: el.outerHTML.slice(0, 80), ring: `${s.outlineStyle} ${s.outlineWidth}`, page: el !== document.body };
      });
      // past the last control the browser's own UI has focus (the body, here)
      if (!f.page) continue;
      reached.add(f.html);
      rings.push(f.ring);
    }
    expect(controls.filter((c) => !reached.has(c))).toEqual([]);
    expect(controls.length).toBeGreaterThan(12);
    expect(rings.filter((r) => r !== 'solid 2px')).toEqual([]);
    await page.close();
  });
});

describe('honest phases', () => {
  it("an open phase runs to the log's end as a lower bound; the kubelet's restart and crash are marked with their titles; no internal word shows", async () => {
    const { pod, kubelet } = (await (await fetch(`${node.url}/api/pod/${stuckKey}`)).json()) as PodResponse;
    const last = pod.phases.at(-1)!;
    expect([last.phase, last.open, last.endBy.evidence]).toEqual(['terminating', true, 'log-end']);
    const page = await open(`/pod/${stuckKey}`, node.url);
    await page.waitForSelector('[data-testid=pod-timeline] [data-testid=phase]');
    const bar = page.locator('[data-testid=phase]').last();
    expect(await bar.getAttribute('data-open')).toBe('true');
    expect(await bar.getAttribute('data-end-line')).toBe(String(last.end.line));
    expect(await bar.getAttribute('data-label')).toMatch(/^terminating ≥ 3h \d\dm, the log ends$/);
    expect(await page.locator('[data-testid=phase-card]').last().locator('.phase-duration').textContent()).toMatch(/^≥ 3h \d\dm, the log ends$/);
    // the bar runs to the right end of the pod's span (the log's last line)
    const plot = (await page.locator('[data-testid=pod-timeline] .plot').boundingBox())!;
    const rect = (await bar.locator('rect').boundingBox())!;
    expect(plot.x + plot.width - (rect.x + rect.width)).toBeLessThan(plot.width * 0.04);

    // the kubelet restarted, then crashed, while the pod lived
    expect(kubelet.map((k) => [k.kind, k.severity])).toEqual([
      ['kubelet-restart', 'warning'],
      ['kubelet-crash', 'critical'],
    ]);
    expect(await page.$$eval('[data-testid=kubelet-mark]', (els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['kubelet-restart', 'kubelet-crash']);
    expect(await page.$$eval('[data-testid=kubelet-incidents] li .badge', (els) => els.map((e) => e.textContent))).toEqual(['kubelet restarted', 'kubelet crashed']);
    expect(await page.$$eval('[data-testid=incidents] li .badge', (els) => els.map((e) => e.textContent))).toEqual(['node not ready', 'stuck terminating']);
    const words = await page.evaluate(() => document.body.innerText);
    expect(words.match(/\b(phase-open|log-end|log-start|kubelet-crash|kubelet-restart|kubelet-stop|stuck-terminating|kill-failed|node-not-ready|torn-down-twice)\b/g)).toBeNull();
    await screenshot(page, 'pod-stuck');
    await page.close();
  });

  it('a phase the log begins inside is a lower bound on every page: pod page, pod list, overview', async () => {
    // sample 09's default/nginx: its first line is its container's PLEG start, 7m06s before its kill
    const key = '5da5612b-9738-493c-af51-a213072997f6';
    const page = await open(`/pod/${key}`);
    await page.waitForSelector('[data-testid=pod-timeline] [data-testid=phase]');
    const card = page.locator('[data-testid=phase-card]').first();
    expect(await card.getAttribute('data-began-before-log')).toBe('true');
    expect(await card.locator('.phase-duration').textContent()).toBe('≥ 7m 06s, it began before the log');
    expect(await card.textContent()).toContain('start: the log begins');
    const [sync, terminating] = [page.locator('[data-testid=phase]').first(), page.locator('[data-testid=phase]').nth(1)];
    expect(await sync.getAttribute('data-began-before-log')).toBe('true');
    expect(await sync.getAttribute('data-label')).toBe('sync ≥ 7m 06s, it began before the log');
    expect(await sync.locator('.phase-open-start').count()).toBe(1);
    // its teardown the log shows whole: an exact length
    expect(await terminating.getAttribute('data-began-before-log')).toBe('false');
    expect(await terminating.getAttribute('data-label')).toBe('terminating 425.4ms');
    await screenshot(page, 'pod-began-before-log');
    await page.close();

    const list = await open('/pods?text=5da5612b');
    await list.waitForSelector(`[data-testid=pods-row][data-pod-key="${key}"]`);
    const cells = await list.$$eval(`[data-testid=pods-row] td[data-lower-bound]`, (tds) => tds.map((td) => [td.textContent, td.getAttribute('title')]));
    expect(cells).toEqual([['≥ 7m 06s', 'it began before the log: at least this long']]);
    await list.close();

    const overview = await open('/');
    await overview.waitForSelector(`[data-testid=pod-rows] rect[data-phase]`);
    const beganBefore = await countBeganBefore();
    expect(beganBefore).toBeGreaterThan(0);
    expect(await overview.$$eval('rect[data-began-before-log]', (rs) => rs.length)).toBe(beganBefore);
    await overview.close();
  });

  it('probe events sit in the probe lane, none in "other"', async () => {
    const pods = (await (await fetch(`${node.url}/api/pods?sort=events&desc=1&limit=1`)).json()) as PodsResponse;
    const key = pods.pods[0]!.key;
    const res = (await (await fetch(`${node.url}/api/pod/${key}`)).json()) as PodResponse;
    // the busiest pod has more events than /api/pod sends (2,969): all of them, a page at a time
    expect(res.events.complete).toBe(false);
    const events = [];
    for (let after: string | null = ''; after !== null; ) {
      const page = (await (await fetch(`${node.url}/api/pod-events?pod=${key}&limit=2000${after ? `&after=${after}` : ''}`)).json()) as PodEventsResponse;
      events.push(...page.events);
      after = page.next;
    }
    expect(events.length).toBe(res.events.total);
    const probes = events.filter((e) => /^Probe (succeeded|failed)/.test(e.msg));
    expect(probes.length).toBeGreaterThan(100);
    expect(new Set(probes.map((e) => e.lane))).toEqual(new Set(['probes']));
    const page = await open(`/pod/${key}`, node.url);
    await page.waitForSelector('[data-testid=pod-timeline] [data-lane=probes]');
    expect(Number(await page.getAttribute('[data-lane=probes]', 'data-total'))).toBe(events.filter((e) => e.lane === 'probes').length);
    await page.close();
  });

  it('a click on a phase zooms to it, a drag zooms to the span dragged over, the minimap shows the window and pans it', async () => {
    const { pod } = (await (await fetch(`${node.url}/api/pod/${stuckKey}`)).json()) as PodResponse;
    const page = await open(`/pod/${stuckKey}`, node.url);
    await page.waitForSelector('[data-testid=minimap]');
    const win = (): [number, number] => {
      const q = new URL(page.url()).searchParams;
      return [Date.parse(q.get('from')!), Date.parse(q.get('to')!)];
    };
    // the third phase: sync between the crash and the teardown
    const third = pod.phases[2]!;
    await page.locator('[data-testid=phase-card]').nth(2).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('from'));
    const [from, to] = win();
    const [a, b] = [third.start.timeUs! / 1000, third.end.timeUs! / 1000];
    expect(from).toBeLessThan(a);
    expect(to).toBeGreaterThan(b);
    expect((to - from) / (b - a)).toBeCloseTo(1.1, 1);
    const brush = page.locator('[data-testid=minimap] .minimap-brush .selection');
    const mm = (await page.locator('[data-testid=minimap]').boundingBox())!;
    expect(Number(await brush.getAttribute('width'))).toBeLessThan(mm.width * 0.1);

    // drag over the middle fifth of the plot: that span becomes the window
    await page.click('[data-testid=timeline-reset]');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('from'));
    const plot = (await page.locator('[data-testid=pod-timeline] .plot').boundingBox())!;
    await page.mouse.move(plot.x + plot.width * 0.4, plot.y + 120);
    await page.mouse.down();
    await page.mouse.move(plot.x + plot.width * 0.6, plot.y + 120, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('from'));
    const [f2, t2] = win();
    // the whole pod's axis: from its first line to its open phase's end (the log's), 3 % air each side
    const full = (Math.max(pod.last.timeUs!, ...pod.phases.map((p) => p.end.timeUs!)) - pod.first.timeUs!) / 1000;
    expect((t2 - f2) / (full * 1.06)).toBeCloseTo(0.2, 1);
    await screenshot(page, 'pod-zoomed');

    // dragging the minimap's window pans: same width, later
    const sel = (await brush.boundingBox())!;
    await page.mouse.move(sel.x + sel.width / 2, sel.y + sel.height / 2);
    await page.mouse.down();
    await page.mouse.move(sel.x + sel.width / 2 + mm.width * 0.1, sel.y + sel.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((f) => Date.parse(new URL(location.href).searchParams.get('from')!) > f, f2);
    const [f3, t3] = win();
    expect(t3 - f3).toBeCloseTo(t2 - f2, -3);
    expect(f3 - f2).toBeGreaterThan(0);
    await page.close();
  });
});

describe('light and dark', () => {
  it('follows the system preference, and the header toggle wins and is remembered', async () => {
    const bg = (p: Page) => p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    // the system's preference changes: the app follows it (a media query listener)
    const system = async (p: Page, mode: 'light' | 'dark') => {
      await p.emulateMedia({ colorScheme: mode });
      await p.waitForFunction((m) => document.documentElement.dataset.theme === m, mode);
    };
    const page = await open(`/pod/${stuckKey}?event=${encodeURIComponent(`1:${(await podEvents(stuckKey))[3]}`)}`, node.url);
    await page.waitForSelector(`${pane} .raw-hit`);
    await system(page, 'light');
    expect(await bg(page)).toBe('rgb(246, 247, 249)');
    await screenshot(page, 'pod-light');
    await system(page, 'dark');
    expect(await bg(page)).toBe('rgb(18, 21, 25)');
    await screenshot(page, 'pod-dark');

    // a page opened while the system is dark is dark from the start
    const overview = await strictPage(chromium.context, problems);
    await overview.emulateMedia({ colorScheme: 'dark' });
    await overview.goto(`${node.url}/`);
    await overview.waitForSelector('[data-testid=pod-row]');
    expect(await bg(overview)).toBe('rgb(18, 21, 25)');
    await system(overview, 'light');
    await screenshot(overview, 'overview-light');
    await system(overview, 'dark');
    expect(await bg(overview)).toBe('rgb(18, 21, 25)');
    await screenshot(overview, 'overview-dark');

    // the system says light; the toggle says dark, and a reload remembers it
    await system(overview, 'light');
    await overview.waitForSelector('[data-testid=theme-toggle][data-mode=light]');
    await overview.click('[data-testid=theme-toggle]');
    expect(await bg(overview)).toBe('rgb(18, 21, 25)');
    expect(await overview.evaluate(() => localStorage.getItem('kubelog-theme'))).toBe('dark');
    await overview.reload();
    await overview.waitForSelector('[data-testid=pod-row]');
    expect(await bg(overview)).toBe('rgb(18, 21, 25)');
    expect(await overview.getAttribute('[data-testid=theme-toggle]', 'data-mode')).toBe('dark');
    await overview.click('[data-testid=theme-toggle]');
    expect(await bg(overview)).toBe('rgb(246, 247, 249)');
    await overview.evaluate(() => localStorage.removeItem('kubelog-theme'));
    await Promise.all([page.close(), overview.close()]);
    expect(problems).toEqual([]);
  });
});

async function podEvents(key: string): Promise<number[]> {
  const { pod } = (await (await fetch(`${node.url}/api/pod/${key}`)).json()) as PodResponse;
  return pod.events.map((e) => e.line);
}

/** How many phases of the samples the log begins inside, as the overview API says. */
async function countBeganBefore(): Promise<number> {
  const o = (await (await fetch(`${samples.url}/api/overview?buckets=0`)).json()) as { pods: Array<{ phases: unknown[][] }> };
  return o.pods.reduce((n, p) => n + p.phases.filter((ph) => ph[5] === true).length, 0);
}
