/// <reference lib="dom" />
// `npm run bench:web`: how fast the browser overview comes up on big databases, measured in real
// Chromium against the real `kubelog serve`:
//   - the 300 MB benchmark log's database (bench-data/ingest-bench.db, 2.5k pods, 1.5M records);
//   - a generated log with 20,000 pods (bench-data/pods-20k.log at -v=2, built on first run).
// Reports the API's answer times and sizes (as sent, compressed, and decoded), time to the first
// drawn pod row after navigation, and frame times while scrolling the rows and zooming.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { launchChromium } from '../helpers/browser.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const bin = path.join(root, 'cli/bin/run.js');
const benchDir = path.join(root, 'bench-data');

function ensureDb(db: string, log: string, makeLog: () => void): void {
  if (existsSync(db)) return;
  if (!existsSync(log)) makeLog();
  console.error(`ingesting ${log} into ${db} …`);
  execFileSync(process.execPath, [bin, 'ingest', '-q', '--db', db, log], { stdio: 'inherit' });
}

function serve(db: string): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) resolve({ url: m[1]!, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
}

/** One GET: milliseconds to the last byte, bytes on the wire (gzip asked for) and decoded. */
function get(url: string, encoding: string): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    request(url, { headers: { 'accept-encoding': encoding, host: 'localhost' } }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, bytes }));
    })
      .on('error', reject)
      .end();
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r1 = (x: number): number => Math.round(x * 10) / 10;

async function api(url: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const p of ['/api/sources', '/api/overview?buckets=240', '/api/pods?limit=100&sort=terminating&desc=1']) {
    const runs: number[] = [];
    let wire = 0;
    let plain = 0;
    for (let i = 0; i < 5; i++) {
      const g = await get(url + p, 'gzip');
      runs.push(g.ms);
      wire = g.bytes;
    }
    plain = (await get(url + p, 'identity')).bytes;
    out[p] = { medianMs: r1(median(runs)), gzipKB: r1(wire / 1024), jsonKB: r1(plain / 1024) };
  }
  return out;
}

async function browserRuns(url: string): Promise<Record<string, unknown>> {
  const chromium = await launchChromium({ width: 1600, height: 1000 });
  try {
    const firstRender: number[] = [];
    let pods = 0;
    let domRows = 0;
    for (let i = 0; i < 5; i++) {
      // a new page with the cache off each time: nothing cached, as a first visit
      const page = await chromium.context.newPage();
      const cdp = await chromium.context.newCDPSession(page);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await page.goto(url + '/');
      await page.waitForSelector('[data-testid=pod-row]', { timeout: 60_000 });
      firstRender.push(await page.evaluate(() => performance.now()));
      pods = Number((await page.textContent('[data-testid=row-count]'))!.replace(/,/g, '').match(/of (\d+)/)![1]);
      domRows = await page.locator('[data-testid=pod-row]').count();
      if (i < 4) await page.close();
      else {
        const frames = await page.evaluate(async () => {
          const el = document.querySelector('[data-testid=pod-rows]')!;
          const times: number[] = [];
          let last = performance.now();
          const end = last + 2000;
          await new Promise<void>((done) => {
            const step = (now: number): void => {
              times.push(now - last);
              last = now;
              el.scrollTop += 220; // ten rows a frame
              if (now < end) requestAnimationFrame(step);
              else done();
            };
            requestAnimationFrame(step);
          });
          return times.slice(1);
        });
        const box = (await page.locator('[data-testid=histogram]').boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + 30);
        // wheel-zoom the histogram twenty times, recording frame times meanwhile
        await page.evaluate(() => {
          const w = window as unknown as { __frames: number[]; __rec: boolean };
          w.__frames = [];
          w.__rec = true;
          let last = performance.now();
          const step = (now: number): void => {
            w.__frames.push(now - last);
            last = now;
            if (w.__rec) requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        });
        for (let k = 0; k < 20; k++) {
          await page.mouse.wheel(0, -120);
          await page.waitForTimeout(50);
        }
        const zoomFrames = await page.evaluate(() => {
          const w = window as unknown as { __frames: number[]; __rec: boolean };
          w.__rec = false;
          return w.__frames.slice(1);
        });
        const zsorted = [...zoomFrames].sort((a, b) => a - b);
        const sorted = [...frames].sort((a, b) => a - b);
        await page.close();
        return {
          pods,
          domRowsRendered: domRows,
          firstRenderMs: { median: r1(median(firstRender)), best: r1(Math.min(...firstRender)) },
          scrollFrameMs: { median: r1(median(frames)), p95: r1(sorted[Math.floor(sorted.length * 0.95)]!), max: r1(sorted[sorted.length - 1]!), frames: frames.length },
          wheelZoomFrameMs: { median: r1(median(zoomFrames)), p95: r1(zsorted[Math.floor(zsorted.length * 0.95)]!), max: r1(zsorted[zsorted.length - 1]!), frames: zoomFrames.length },
        };
      }
    }
    return {};
  } finally {
    await chromium.close();
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [path.join(root, 'dist/test/bench/pods-bench.js')], { stdio: 'ignore' }); // builds ingest-bench.db if missing
  const pods20kLog = path.join(benchDir, 'pods-20k.log');
  const pods20kDb = path.join(benchDir, 'pods-20k.db');
  ensureDb(pods20kDb, pods20kLog, () =>
    execFileSync(process.execPath, [path.join(root, 'dist/samples/generator/cli.js'), '--out', pods20kLog, '--pods', '20000', '--concurrency', '400', '--verbosity', '2'], { stdio: 'inherit' }),
  );
  const results: Record<string, unknown> = {};
  for (const [name, db] of [
    ['300 MB log (ingest-bench.db)', path.join(benchDir, 'ingest-bench.db')],
    ['20,000 pods (pods-20k.db)', pods20kDb],
  ] as const) {
    const s = await serve(db);
    try {
      results[name] = { api: await api(s.url), browser: await browserRuns(s.url) };
    } finally {
      s.stop();
    }
  }
  console.log(JSON.stringify(results, null, 2));
}

await main();
