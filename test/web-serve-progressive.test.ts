// `kubelog serve FILE` listens before it has ingested FILE: the real CLI as a subprocess on a
// generated ~40 MB log, polled on loopback. Its /api/status says what is ready: the records, then
// the pods (their lifecycles stored), then search (the full-text index, built last). The pods
// answer — the same pods as at the end — while search still answers 503 search-not-ready.
// In Chromium, on a database whose ingest stopped after the pods and before the search index
// (the state store/search-index.ts marks): the overview draws the pods, the search page says
// search is not ready and what to run, and after `kubelog rebuild` it finds the records.
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLog } from '../samples/generator/index.js';
import { ingest } from '../ingest/ingest.js';
import { openDatabase } from '../store/db.js';
import { rebuildLifecycles } from '../pipeline/rebuild.js';
import type { IngestStep, PodsResponse, SearchResponse, StatusResponse } from '../web/api/types.js';
import { launchChromium, screenshot, strictPage, type BrowserSession } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { validateSchema } from './helpers/json-schema.js';
import { serve, untilIngested } from './helpers/serve.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-progressive-'));
const log = path.join(dir, 'kubelet.log');

beforeAll(async () => {
  const fd = openSync(log, 'w');
  await generateLog({ seed: 23, targetBytes: 40_000_000, kubeletVersion: '1.28', envelope: 'journal-short', verbosity: 4 }, (c) => {
    writeSync(fd, c);
  });
  closeSync(fd);
}, 300_000);

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

const STEPS: IngestStep[] = ['records', 'lifecycles', 'indexes', 'done'];

describe('kubelog serve FILE', () => {
  it('listens at once; the pods answer once stored, before the search index is ready', { timeout: 600_000 }, async () => {
    const db = path.join(dir, 'live.db');
    const served = await serve(['--db', db, '--year', '2024', log], 120_000, { ingested: false });
    const seen: StatusResponse[] = [];
    let early: { search: { status: number; body: { error: string; code: string } }; pods: PodsResponse; status: StatusResponse } | undefined;
    try {
      for (;;) {
        const s = (await get<StatusResponse>(`${served.url}/api/status`)).body;
        seen.push(s);
        if (!early && s.pods.ready && !s.search.ready) {
          // search first: it is what the index step ends
          const search = await get<{ error: string; code: string }>(`${served.url}/api/search?q=housekeeping`);
          const pods = (await get<PodsResponse>(`${served.url}/api/pods?limit=1000`)).body;
          early = { search, pods, status: s };
        }
        if (s.ingest?.step === 'done' && s.search.ready) break;
        expect(s.ingest?.step).not.toBe('failed');
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const s of seen) expect(validateSchema('api/status.schema.json', s)).toEqual([]);
      // the URL came before the records were stored: the first answer was the records step
      expect(seen[0]!.ingest).toMatchObject({ step: 'records', error: null });
      expect(seen[0]!.pods.ready).toBe(false);
      // the steps in order, each seen (the pods are ready from the index step on, never before)
      const steps = seen.map((s) => s.ingest!.step).filter((x, i, a) => i === 0 || a[i - 1] !== x);
      expect(steps.filter((x) => x !== 'lifecycles')).toEqual(['records', 'indexes', 'done']);
      expect(steps.every((x, i) => i === 0 || STEPS.indexOf(x) > STEPS.indexOf(steps[i - 1]!))).toBe(true);
      for (const s of seen) if (s.ingest!.step === 'records' || s.ingest!.step === 'lifecycles') expect(s.pods.ready).toBe(false);
      // the pods answered while search did not
      expect(early, 'a status with the pods ready and search not').toBeDefined();
      expect(early!.status.ingest!.step).toBe('indexes');
      expect(early!.status.search.blocksLeft).toBeGreaterThan(0);
      expect(early!.status.writer).toMatch(new RegExp(`^kubelog ingest, pid ${served.child.pid}, since `));
      expect(early!.search.status).toBe(503);
      expect(early!.search.body.code).toBe('search-not-ready');
      expect(early!.search.body.error).toMatch(
        new RegExp(`^the search index is still being built \\(\\d+ of ${early!.status.search.blocks} blocks left; kubelog ingest, pid ${served.child.pid}, since [^)]+\\): search answers when it is done; the pods and the raw lines answer meanwhile$`),
      );
      expect(early!.pods.total).toBeGreaterThan(100);
      // and they were the pods of the whole log
      const final = await untilIngested(served.url);
      expect(final).toMatchObject({ ingest: { step: 'done', error: null }, pods: { ready: true }, search: { ready: true, blocksLeft: 0 }, writer: null });
      expect(final.ingest!.totalBytes).toBe(final.ingest!.bytes);
      expect((await get<PodsResponse>(`${served.url}/api/pods?limit=1000`)).body).toEqual(early!.pods);
      const found = await get<SearchResponse>(`${served.url}/api/search?q=housekeeping`);
      expect(found.status).toBe(200);
      expect(found.body.hits.length).toBeGreaterThan(0);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });
});

describe('the app on a database whose search index is incomplete', () => {
  let chromium: BrowserSession | undefined;
  afterAll(async () => chromium?.close());

  it('draws the pods, says search is not ready and what to run; after kubelog rebuild it searches', { timeout: 600_000 }, async () => {
    // what an ingest killed after storing the pods leaves: records, pods, no search index yet
    const db = path.join(dir, 'pods-only.db');
    await ingest({ db, args: [log], year: 2024, deferIndexes: true });
    const d = openDatabase(db, { keepDeferredIndexes: true });
    rebuildLifecycles(d);
    d.close();
    chromium = await launchChromium();
    const problems: string[] = [];
    let served = await serve(['--db', db]);
    try {
      const status = (await get<StatusResponse>(`${served.url}/api/status`)).body;
      expect(status).toMatchObject({ ingest: null, pods: { ready: true }, search: { ready: false }, writer: null });
      expect(status.search.blocksLeft).toBe(status.search.blocks);
      expect(served.stderr()).toBe(
        `warning: the search index of ${db} is incomplete (${status.search.blocks} of ${status.search.blocks} blocks left): an ingest stopped before it finished it; search answers once kubelog rebuild --db ${db} (or the same kubelog ingest again) completes it\n`,
      );
      const page = await strictPage(chromium.context, problems);
      await page.goto(served.url + '/');
      await page.waitForSelector('[data-testid=pod-row]');
      expect(await page.locator('[data-testid=pod-row]').count()).toBeGreaterThan(10);
      const banner = page.locator('[data-testid=ingest-status]');
      await banner.waitFor();
      expect(await banner.getAttribute('data-search-ready')).toBe('false');
      expect(await banner.textContent()).toBe(
        ` The search index is incomplete (${status.search.blocksLeft.toLocaleString('en-US')} blocks left): an ingest stopped before it finished it. Run the same kubelog ingest again, or kubelog rebuild --db ${db}.`,
      );
      await screenshot(page, 'overview-search-not-ready');
      await page.goto(served.url + '/search?q=housekeeping');
      const notReady = page.locator('[data-testid=search-not-ready]');
      await notReady.waitFor();
      expect(await notReady.textContent()).toBe(
        `Search is not ready yet.the search index of ${db} is incomplete (${status.search.blocksLeft} of ${status.search.blocks} blocks left): an ingest stopped before it finished it. Run the same kubelog ingest again, or kubelog rebuild --db ${db}, to finish it.`,
      );
      expect(await page.locator('[data-testid=search-results]').count()).toBe(0);
      await screenshot(page, 'search-not-ready');
      await page.close();
    } finally {
      expect(await served.stop()).toBe(0);
    }
    const rebuilt = await runCli(['rebuild', '--db', db]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    served = await serve(['--db', db]);
    try {
      const page = await strictPage(chromium.context, problems);
      await page.goto(served.url + '/search?q=housekeeping');
      await page.waitForSelector('[data-testid=search-results]');
      expect(await page.locator('[data-testid=ingest-status]').count()).toBe(0);
      expect(await page.locator('[data-testid=search-not-ready]').count()).toBe(0);
      await page.close();
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(problems).toEqual([]);
  });
});
