/// <reference lib="dom" />
// `npm run bench:pod-page`: a busy pod's page (issue 15: "a pod with 30,000 events opens in under
// a second"). Generates a log with one pod of BENCH_EVENTS (30,000) events (test/helpers/busy-pod-log.ts,
// seed 15), ingests it into a fresh database with the real `kubelog ingest`, serves it with the
// real `kubelog serve`, and measures:
//   - the API: /api/pod/UID, a window of a twentieth of the pod and its next page (median of 5
//     answer times, JSON and gzip sizes);
//   - real Chromium (fresh page, cache off, 1600×1000): navigation → the timeline's lanes and the
//     events table drawn (median and best of BENCH_RUNS, default 5).
// BENCH_KUBELOG runs another build's cli/bin/run.js (an earlier kubelog: the same measurements).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import { launchChromium } from '../helpers/browser.js';
import { BUSY_UID, busyPodLog } from '../helpers/busy-pod-log.js';
import { serveDb } from './child.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const bin = process.env.BENCH_KUBELOG ? path.resolve(process.env.BENCH_KUBELOG) : path.join(root, 'cli/bin/run.js');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 30_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r1 = (x: number): number => Math.round(x * 10) / 10;


/** One GET: milliseconds to the last byte, bytes on the wire, and the body when not compressed. */
function get(url: string, encoding: string): Promise<{ ms: number; bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    request(url, { headers: { 'accept-encoding': encoding, host: 'localhost' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, bytes: all.length, body: encoding === 'identity' ? all.toString() : '' });
      });
    })
      .on('error', reject)
      .end();
  });
}

async function measure(url: string): Promise<{ medianMs: number; jsonKB: number; gzipKB: number; body: string }> {
  const runs: number[] = [];
  let gzip = 0;
  for (let i = 0; i < 5; i++) {
    const g = await get(url, 'gzip');
    runs.push(g.ms);
    gzip = g.bytes;
  }
  const plain = await get(url, 'identity');
  return { medianMs: r1(median(runs)), jsonKB: r1(plain.bytes / 1024), gzipKB: r1(gzip / 1024), body: plain.body };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-pod-page-bench-'));
  try {
    const log = busyPodLog(15, EVENTS);
    const file = path.join(dir, 'busy.log');
    writeFileSync(file, log.text);
    const db = path.join(dir, 'busy.db');
    execFileSync(process.execPath, [bin, 'ingest', '-q', '--db', db, '--year', '2024', file], { stdio: 'inherit' });
    const load = loadavg().map((x) => r1(x));
    const server = await serveDb(bin, db);
    try {
      const api: Record<string, unknown> = {};
      const pod = await measure(`${server.url}/api/pod/${BUSY_UID}`);
      api[`/api/pod/UID (${EVENTS} events)`] = { ...pod, body: undefined };
      // a window of a twentieth of the pod, in its middle, and its next page (where the API has them)
      const from = log.times[Math.floor(EVENTS / 2)]!;
      const to = log.times[Math.floor(EVENTS / 2 + EVENTS / 20)]!;
      const win = await measure(`${server.url}/api/pod-events?pod=${BUSY_UID}&from=${from}&to=${to}&limit=200`);
      if (!win.body.startsWith('{"error"')) {
        api['/api/pod-events (a twentieth of the pod: first page of 200, as the app asks)'] = { ...win, body: undefined };
        const next = (JSON.parse(win.body) as { next: string | null }).next;
        if (next) api['/api/pod-events (its next page)'] = { ...(await measure(`${server.url}/api/pod-events?pod=${BUSY_UID}&from=${from}&to=${to}&limit=200&after=${next}`)), body: undefined };
      }
      const chromium = await launchChromium({ width: 1600, height: 1000 });
      const firstView: number[] = [];
      let tableRows = 0;
      try {
        for (let i = 0; i < RUNS; i++) {
          const page = await chromium.context.newPage();
          const cdp = await chromium.context.newCDPSession(page);
          await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
          await page.goto(`${server.url}/pod/${BUSY_UID}`);
          // the lanes drawn and the table's first rows: what a user reads first
          await page.waitForFunction(() => document.querySelector('[data-testid=pod-timeline] svg .lane') !== null && document.querySelector('[data-testid=event-table] tbody tr') !== null, undefined, { timeout: 120_000, polling: 'raf' });
          firstView.push(await page.evaluate(() => performance.now()));
          tableRows = await page.locator('[data-testid=event-table] tbody tr').count();
          await page.close();
        }
      } finally {
        await chromium.close();
      }
      console.log(
        JSON.stringify(
          { kubelog: bin, events: EVENTS, loadAverageAtStart: load, api, browser: { firstTimelineMs: { median: r1(median(firstView)), best: r1(Math.min(...firstView)), runs: firstView.map(r1) }, tableRowsInDom: tableRows } },
          null,
          2,
        ),
      );
    } finally {
      server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
