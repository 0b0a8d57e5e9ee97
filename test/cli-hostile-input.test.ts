// Hostile input through the real CLI (issue 13): values nested thousands of levels deep, a cut
// .gz, a FIFO or a stdin that never sends anything, a reader that goes away. Nothing crashes,
// nothing decoded is dropped, Ctrl-C and SIGTERM always work, and a closed pipe is no error.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants as zc, gzipSync, gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseText } from '../parser/index.js';
import { kubelogBin, runCli } from './helpers/cli.js';
import { samplePath } from './helpers/samples.js';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `kubelog-${name}-`));
const ndjson = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const K = (time: string, body: string) => `I0607 14:54:${time}    1234 kubelet.go:1] ${body}`;

/** Levels of objects/arrays, following the first child at each level. */
function depthOf(v: unknown): number {
  let d = 0;
  while (v !== null && typeof v === 'object') {
    v = Array.isArray(v) ? v[0] : Object.values(v as object)[0];
    d++;
  }
  return d;
}

/** A Go struct, a klog JSON value and a kubelet JSON line nested `go`, `json`, `kubelet` levels. */
function deepLog(go: number, json: number, kubelet: number): string {
  const lines = [
    K('46.000001', '"before" pod="default/a"'),
    K('46.000002', '"go struct" pod=' + '&{A:'.repeat(go) + '1' + '}'.repeat(go)),
    K('46.000003', '"klog json" patch=' + '{"a":'.repeat(json) + '1' + '}'.repeat(json)),
    '{"ts":1717771686000.5,"caller":"kubelet/kubelet.go:1","msg":"kubelet json","v":2,"obj":' + '['.repeat(kubelet) + '1' + ']'.repeat(kubelet) + '}',
    K('46.000005', '"after" pod="default/b"'),
  ];
  return lines.join('\n') + '\n';
}

describe('deeply nested values', () => {
  // the three: a Go struct ~700 levels (3.5 KB), a klog JSON value ~1000, a kubelet JSON line ~5000
  const text = deepLog(700, 1000, 5000);

  it('kubelog parse prints every record, keeps the value as text beyond the limit, and says so', async () => {
    const dir = tmp('deep');
    const file = path.join(dir, 'deep.log');
    writeFileSync(file, text);
    const r = await runCli(['parse', '--year', '2024', file]);
    expect(r.code).toBe(0);
    const recs = ndjson(r.stdout);
    expect(recs.map((x) => x.msg)).toEqual(['before', 'go struct', 'klog json', 'kubelet json', 'after']);
    const kv = recs.map((x) => x.kv as Record<string, unknown>);
    // 64 levels of structure, then the exact text of the rest
    expect(depthOf(kv[1]!.pod)).toBe(64);
    expect(depthOf(kv[2]!.patch)).toBe(64);
    expect(depthOf(kv[3]!.obj)).toBe(64);
    let inner: unknown = kv[1]!.pod;
    while (typeof inner === 'object') inner = Object.values(inner as object)[0];
    expect(inner).toBe('&{A:'.repeat(700 - 64) + '1' + '}'.repeat(700 - 64));
    expect(r.stderr).toContain(`${file}:2: warning: value nested too deep to read as structure: kept as text from level 64 on`);
    expect(r.stderr).toContain(`${file}:3: warning: value nested too deep`);
    expect(r.stderr).toContain(`${file}:4: warning: value nested too deep`);
    expect(r.stderr).toMatch(/^5 lines read: 5 records in 5 lines, 0 foreign, 0 rejected; 3 diagnostics/m);
  });

  it('kubelog ingest stores every record, builds the lifecycles, and a rerun adds nothing', async () => {
    const dir = tmp('deep-ingest');
    const file = path.join(dir, 'deep.log');
    // ten times deeper: the ingest parses in worker threads, whose stacks are larger
    writeFileSync(file, deepLog(7000, 10000, 50000));
    const db = path.join(dir, 'k.db');
    const first = await runCli(['ingest', '--json', '--db', db, '--year', '2024', file]);
    expect(first.code).toBe(0);
    const res = JSON.parse(first.stdout) as { sources: Array<{ status: string; added: { records: number; linesRead: number } }>; lifecycle?: unknown };
    expect(res.sources[0]).toMatchObject({ status: 'new', added: { records: 5, linesRead: 5 } });
    expect(res.lifecycle).toBeDefined();
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare('SELECT records, lines_read, complete FROM sources').get()).toEqual({ records: 5, lines_read: 5, complete: 1 });
    } finally {
      d.close();
    }
    const again = await runCli(['ingest', '--json', '--db', db, '--year', '2024', file]);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { sources: Array<{ status: string }> }).sources[0]!.status).toBe('unchanged');
  });
});

interface Stored {
  sources: number;
  lines_read: number | null;
  records: number | null;
  complete: number | null;
}

/** The database opens, passes its integrity check, and holds these sources. */
function stored(db: string): Stored {
  const d = new Database(db, { readonly: true });
  try {
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    return d.prepare('SELECT count(*) AS sources, sum(lines_read) AS lines_read, sum(records) AS records, min(complete) AS complete FROM sources').get() as Stored;
  } finally {
    d.close();
  }
}

describe('a truncated .gz', () => {
  const full = Buffer.from(readFileSync(samplePath('01'), 'utf8').repeat(200));
  const gz = gzipSync(full);
  const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
  // what a cut gzip holds: every byte zlib can decode before the cut (as `zcat` prints it)
  const decoded = gunzipSync(cut, { finishFlush: zc.Z_SYNC_FLUSH });
  const want = parseText(decoded, { year: 2024 });

  it('kubelog parse prints every record decoded, then names the file, the byte and the truncation', async () => {
    const dir = tmp('cut-parse');
    const file = path.join(dir, 'kubelet.log-20240607.gz');
    writeFileSync(file, cut);
    const r = await runCli(['parse', '-q', '--year', '2024', file]);
    expect(r.code).toBe(2);
    const recs = ndjson(r.stdout);
    expect(recs).toHaveLength(want.records.length);
    expect(recs.at(-1)).toMatchObject({ line: want.records.at(-1)!.line, msg: want.records.at(-1)!.msg });
    expect(r.stderr).toBe(
      `error: ${file}: gzip data is truncated: the file ends at byte ${cut.length} (after ${decoded.length} bytes of content) before the end of its gzip stream; ` +
        `the records of the ${want.counts.linesRead} lines before it were printed\n`,
    );
  });

  it('kubelog ingest stores every complete record, says the file is truncated without advising a rerun, and continues a complete copy later', async () => {
    const dir = tmp('cut-ingest');
    const file = path.join(dir, 'kubelet.log-20240607.gz');
    const db = path.join(dir, 'k.db');
    writeFileSync(file, cut);
    const first = await runCli(['ingest', '--db', db, '--year', '2024', file]);
    expect(first.code).toBe(1);
    const damage = `error: ${file}: gzip data is truncated: the file ends at byte ${cut.length} (after ${decoded.length} bytes of content) before the end of its gzip stream; its ${want.counts.linesRead} lines before that are stored`;
    expect(first.stderr).toContain(damage);
    expect(first.stderr).not.toMatch(/run the same command again/);
    expect(stored(db)).toEqual({ sources: 1, lines_read: want.counts.linesRead, records: want.counts.records, complete: 1 });
    // the same cut file again: nothing to add, and still the same truth about it
    const again = await runCli(['ingest', '--json', '--db', db, '--year', '2024', file]);
    expect(again.code).toBe(1);
    const res = JSON.parse(again.stdout) as { sources: Array<{ status: string; error?: string; added: { linesRead: number } }> };
    expect(res.sources[0]).toMatchObject({ status: 'unchanged', added: { linesRead: 0 } });
    expect(res.sources[0]!.error).toContain('gzip data is truncated');
    // a complete copy of the same file: continued where the cut one ended, as if read whole at once
    writeFileSync(file, gz);
    const grown = await runCli(['ingest', '--json', '--db', db, '--year', '2024', file]);
    expect(grown.code).toBe(0);
    expect((JSON.parse(grown.stdout) as { sources: Array<{ status: string }> }).sources[0]!.status).toBe('grown');
    const whole = parseText(full, { year: 2024 });
    expect(stored(db)).toEqual({ sources: 1, lines_read: whole.counts.linesRead, records: whole.counts.records, complete: 1 });
  });
});

describe('a closed pipe is not an error', () => {
  const big = Buffer.from(readFileSync(samplePath('01'), 'utf8').repeat(200));

  it('kubelog parse FILE | wc -l: no MaxListenersExceededWarning', () => {
    const dir = tmp('wc');
    const file = path.join(dir, 'kubelet.log');
    // one wait for the pipe per 1 MiB read at most: more than 10 of them need a file over 10 MiB
    const huge = Buffer.from(readFileSync(samplePath('01'), 'utf8').repeat(500));
    writeFileSync(file, huge);
    const out = execFileSync('sh', ['-c', `"${process.execPath}" "${kubelogBin}" parse -q --year 2024 "${file}" 2>"${dir}/err" | wc -l`], { encoding: 'utf8' });
    expect(Number(out.trim())).toBe(parseText(huge, { year: 2024 }).records.length);
    expect(readFileSync(path.join(dir, 'err'), 'utf8')).toBe('');
  });

  it('kubelog parse | head -1: stops quietly with exit 0, no warning about the line the pipe cut', async () => {
    const child = spawn(process.execPath, [kubelogBin, 'parse', '--year', '2024'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const first = new Promise<string>((resolve) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl < 0) return;
        child.stdout!.off('data', onData);
        child.stdout!.destroy(); // the reader goes away, as `head -1` does
        resolve(out.slice(0, nl));
      };
      child.stdout!.on('data', onData);
    });
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(big);
    expect(JSON.parse(await first)).toMatchObject({ line: 1 });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});

/** Start `kubelog ARGS` with its stdin open and silent; resolves with its exit once it ends (or after 20 s, killed). */
function startSilent(args: string[]): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> } {
  const child = spawn(process.execPath, [kubelogBin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout!.resume();
  child.stderr!.resume();
  let sent = 0;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) => {
    const hang = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(hang);
      resolve({ code, signal, ms: Date.now() - sent });
    });
  });
  const kill = child.kill.bind(child);
  child.kill = (s?: NodeJS.Signals | number) => {
    sent = Date.now();
    return kill(s);
  };
  return { child, exit };
}

/** Wait until the ingest has its database open (it then waits for its input). */
async function dbCreated(db: string): Promise<void> {
  for (let i = 0; i < 400 && !existsSync(db); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
}

describe('an input that never sends anything can be interrupted', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`kubelog ingest FIFO with no writer: ${signal} stops it with ${code}, the database clean`, async () => {
      const dir = tmp('fifo');
      const fifo = path.join(dir, 'kubelet.fifo');
      execFileSync('mkfifo', [fifo]);
      const db = path.join(dir, 'k.db');
      const { child, exit } = startSilent(['ingest', '--db', db, fifo]);
      await dbCreated(db);
      child.kill(signal);
      const r = await exit;
      expect(r.signal).toBeNull();
      expect(r.code).toBe(code);
      expect(r.ms).toBeLessThan(10_000);
      expect(stored(db)).toEqual({ sources: 0, lines_read: null, records: null, complete: null });
    });

    it(`kubelog ingest from a silent stdin: ${signal} stops it with ${code}, the database clean`, async () => {
      const dir = tmp('silent');
      const db = path.join(dir, 'k.db');
      const { child, exit } = startSilent(['ingest', '--db', db]);
      await dbCreated(db);
      child.kill(signal);
      const r = await exit;
      expect(r.code).toBe(code);
      expect(r.ms).toBeLessThan(10_000);
      expect(stored(db).sources).toBe(0);
    });
  }

  it('kubelog parse FIFO with no writer: SIGINT stops it', async () => {
    const dir = tmp('fifo-parse');
    const fifo = path.join(dir, 'kubelet.fifo');
    execFileSync('mkfifo', [fifo]);
    const { child, exit } = startSilent(['parse', fifo]);
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGINT');
    const r = await exit;
    expect(r.code === 130 || r.signal === 'SIGINT').toBe(true);
    expect(r.ms).toBeLessThan(10_000);
  });
});

describe('a FIFO path is read like stdin', () => {
  const sample = readFileSync(samplePath('05'));
  const want = parseText(sample, { year: 2024 });

  /** Write `data` into the FIFO once a reader has opened it. */
  const feed = (fifo: string, data: Buffer) =>
    new Promise<void>((resolve) => {
      const w = createWriteStream(fifo);
      w.on('error', () => resolve()); // the reader went away: the command's result says why
      w.end(data, resolve);
    });

  it('kubelog ingest FIFO stores it (no seeking, no ESPIPE), and the same bytes again add nothing', async () => {
    const dir = tmp('fifo-read');
    const fifo = path.join(dir, 'kubelet.fifo');
    execFileSync('mkfifo', [fifo]);
    const db = path.join(dir, 'k.db');
    for (const status of ['new', 'unchanged']) {
      const run = runCli(['ingest', '--json', '--db', db, '--year', '2024', fifo]);
      await feed(fifo, sample);
      const r = await run;
      expect(r.code).toBe(0);
      const res = JSON.parse(r.stdout) as { sources: Array<{ path: string; status: string }> };
      expect(res.sources).toMatchObject([{ path: fifo, status }]);
    }
    expect(stored(db)).toEqual({ sources: 1, lines_read: want.counts.linesRead, records: want.counts.records, complete: 1 });
  });

  it('kubelog parse FIFO prints what the file gives', async () => {
    const dir = tmp('fifo-parse-read');
    const fifo = path.join(dir, 'kubelet.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = runCli(['parse', '-q', '--year', '2024', fifo]);
    await feed(fifo, sample);
    const r = await run;
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)).toHaveLength(want.records.length);
  });
});
