/// <reference lib="dom" />
// `npm run bench:web`: the real `kubelog serve` on big databases.
//   - browser: how fast the overview comes up in real Chromium, on the 300 MB benchmark log's
//     database (bench-data/ingest-bench.db, 2.5k pods, 1.5M records) and a generated log with
//     20,000 pods (bench-data/pods-20k.log at -v=2, built on first run): the API's answer times and
//     sizes, time to the first drawn pod row, frame times while scrolling and zooming;
//   - load: 200 clients at once, each asking the mix of endpoints the app asks (overview pages,
//     pod list, a pod, raw lines, sources, searches, some of them slow or refused) for
//     BENCH_SECONDS (20) over ingest-bench.db: answer times p50/p99 per endpoint and overall;
//   - memory: the server's peak RSS while six /api/overview requests run at once, on a database
//     of many pods (BENCH_PODS_DB, default bench-data/pods-100k.db: `node dist/samples/generator/cli.js
//     --pods 100000 --concurrency 1000 --verbosity 2 --seed 5 --out bench-data/pods-100k.log`, then
//     `kubelog ingest`).
// BENCH_PARTS picks some (default browser,load,memory); BENCH_KUBELOG runs another build's
// cli/bin/run.js (the same requests against an earlier kubelog).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { launchChromium } from '../helpers/browser.js';
import { serveDb } from './child.js';
import { makeRand } from '../helpers/rand.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const bin = process.env.BENCH_KUBELOG ? path.resolve(process.env.BENCH_KUBELOG) : path.join(root, 'cli/bin/run.js');
const benchDir = path.join(root, 'bench-data');
const parts = new Set((process.env.BENCH_PARTS ?? 'browser,load,memory').split(','));

function ensureDb(db: string, log: string, makeLog: () => void): void {
  if (existsSync(db)) return;
  if (!existsSync(log)) makeLog();
  console.error(`ingesting ${log} into ${db} …`);
  execFileSync(process.execPath, [bin, 'ingest', '-q', '--db', db, log], { stdio: 'inherit' });
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
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const r1 = (x: number): number => Math.round(x * 10) / 10;

async function api(url: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  // the overview's first two requests (the whole log's histogram and counts, the first page of rows)
  for (const p of ['/api/sources', '/api/overview?buckets=240&limit=0', '/api/overview?buckets=0&limit=200', '/api/pods?limit=100&sort=terminating&desc=1']) {
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

/** A client gives up on an answer after this long (a browser tab would have been closed long before). */
const GIVE_UP_MS = 60_000;

/** One GET on a keep-alive connection of `agent`: milliseconds to the last byte, and the status (0: given up, or failed). */
function timedGet(agent: Agent, url: string): Promise<{ ms: number; status: number }> {
  return new Promise((resolve) => {
    const t = process.hrtime.bigint();
    const done = (status: number): void => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, status });
    const req = request(url, { agent, headers: { 'accept-encoding': 'gzip', host: 'localhost' } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode!));
    });
    const giveUp = setTimeout(() => {
      done(0);
      req.destroy();
    }, GIVE_UP_MS);
    req.on('close', () => clearTimeout(giveUp));
    req.on('error', () => done(0)).end();
  });
}

// words many blocks of a log hold but no one record (each page narrows its whole budget), and the
// issue's 16 one-letter prefixes
const SLOW_SEARCHES = ['probe AND volume', 'SyncLoop AND Killing', 'volume AND kill*', '"Probe failed" AND "SyncLoop ADD"'];
const COSTLY_SEARCH = 'abcdefghijklmnop'.split('').map((c) => `${c}*`).join(' ');

/**
 * `clients` closed loops of the app's requests for `seconds` (then the answers still on their
 * way): p50/p99 per kind of request and overall; an answer given up on counts as GIVE_UP_MS.
 */
async function mixedLoad(url: string, clients: number, seconds: number): Promise<Record<string, unknown>> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const keys = await new Promise<string[]>((resolve, reject) =>
    request(`${url}/api/pods?limit=100`, { headers: { host: 'localhost' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve((JSON.parse(body) as { pods: Array<{ key: string }> }).pods.map((p) => p.key)));
    })
      .on('error', reject)
      .end(),
  );
  // what the app asks, by weight: the overview's first request and its pages, the pod list, a pod,
  // raw lines, the sources, searches (quick phrases, slow ones, and the costly one)
  const kinds: Array<[string, number, (i: number) => string]> = [
    ['overview (first)', 10, () => '/api/overview?buckets=240&limit=0'],
    ['overview page', 20, (i) => `/api/overview?buckets=0&limit=200&offset=${(i * 200) % 2400}`],
    ['pods', 15, (i) => `/api/pods?limit=100&offset=${(i * 100) % 2400}&sort=terminating&desc=1`],
    ['pod', 10, (i) => `/api/pod/${encodeURIComponent(keys[i % keys.length]!)}`],
    ['lines', 20, (i) => `/api/lines?line=${1 + ((i * 7919) % 1_400_000)}&before=12&after=12`],
    ['sources', 10, () => '/api/sources'],
    ['search (phrase)', 8, (i) => `/api/search?q=${encodeURIComponent(['"Killing container"', '"SyncLoop DELETE"', 'ImagePullBackOff'][i % 3]!)}&limit=100`],
    ['search (slow)', 5, (i) => `/api/search?q=${encodeURIComponent(SLOW_SEARCHES[i % SLOW_SEARCHES.length]!)}&limit=100`],
    ['search (costly)', 2, () => `/api/search?q=${encodeURIComponent(COSTLY_SEARCH)}`],
  ];
  const weights = kinds.reduce((a, k) => a + k[1], 0);
  const times = new Map<string, number[]>(kinds.map((k) => [k[0], []]));
  const statuses: Record<string, number> = {};
  const end = Date.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      // each client its own fixed sequence of requests
      const rand = makeRand(c + 1);
      for (let i = c; Date.now() < end; i += clients) {
        let pick = rand(weights);
        const kind = kinds.find((k) => (pick -= k[1]) < 0)!;
        const r = await timedGet(agent, url + kind[2](i));
        times.get(kind[0])!.push(r.ms);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        n++;
      }
    }),
  );
  agent.destroy();
  const summary = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { n: xs.length, p50: Math.round(percentile(sorted, 0.5)), p99: Math.round(percentile(sorted, 0.99)), max: Math.round(sorted.at(-1) ?? 0) };
  };
  return {
    clients,
    seconds,
    requests: n,
    statuses,
    all: summary([...times.values()].flat()),
    byKind: Object.fromEntries([...times].map(([k, xs]) => [k, summary(xs)])),
  };
}

/** The server's peak RSS (VmHWM) in MB: after starting, and once six /api/overview requests ran at once. */
async function overviewMemory(db: string, query: string): Promise<Record<string, unknown>> {
  const s = await serveDb(bin, db);
  const hwm = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${s.pid}/status`, 'utf8'))![1]) / 1024;
  try {
    // the server is serving once it printed its URL; its worker threads start meanwhile
    await new Promise((r) => setTimeout(r, 2000));
    const idle = hwm();
    const t = Date.now();
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(`${s.url}/api/overview${query}`, 'identity')));
    return { query, idleMb: Math.round(idle), peakMb: Math.round(hwm()), seconds: (Date.now() - t) / 1000, answerMb: Math.round((answers[0]!.bytes / 1048576) * 10) / 10 };
  } finally {
    s.stop();
  }
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { load: Number((await import('node:os')).loadavg()[0]!.toFixed(1)) };
  if (parts.has('browser') || parts.has('load')) execFileSync(process.execPath, [path.join(root, 'dist/test/bench/pods-bench.js')], { stdio: 'ignore' }); // builds ingest-bench.db if missing
  if (parts.has('browser')) {
    const pods20kLog = path.join(benchDir, 'pods-20k.log');
    const pods20kDb = path.join(benchDir, 'pods-20k.db');
    ensureDb(pods20kDb, pods20kLog, () =>
      execFileSync(process.execPath, [path.join(root, 'dist/samples/generator/cli.js'), '--out', pods20kLog, '--pods', '20000', '--concurrency', '400', '--verbosity', '2'], { stdio: 'inherit' }),
    );
    for (const [name, db] of [
      ['300 MB log (ingest-bench.db)', path.join(benchDir, 'ingest-bench.db')],
      ['20,000 pods (pods-20k.db)', pods20kDb],
    ] as const) {
      const s = await serveDb(bin, db);
      try {
        results[name] = { api: await api(s.url), browser: await browserRuns(s.url) };
      } finally {
        s.stop();
      }
    }
  }
  if (parts.has('load')) {
    const s = await serveDb(bin, path.join(benchDir, 'ingest-bench.db'));
    try {
      results['200 clients, mixed endpoints (ingest-bench.db)'] = await mixedLoad(s.url, Number(process.env.BENCH_CLIENTS ?? 200), Number(process.env.BENCH_SECONDS ?? 20));
    } finally {
      s.stop();
    }
  }
  if (parts.has('memory')) {
    const db = process.env.BENCH_PODS_DB ? path.resolve(process.env.BENCH_PODS_DB) : path.join(benchDir, 'pods-100k.db');
    results[`six concurrent overviews (${path.basename(db)})`] = [await overviewMemory(db, ''), await overviewMemory(db, '?limit=2000&buckets=240')];
  }
  console.log(JSON.stringify(results, null, 2));
}

await main();
