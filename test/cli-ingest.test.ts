// `kubelog ingest` over real SQLite files: the real samples stored exactly as the parser reads them,
// idempotent re-ingest, grown files, rotated sets, stdin, --json, errors. The real CLI runs as a
// subprocess wherever the command line matters (stdin, --json, exit codes, messages); the rest calls
// the same pipeline in process (ingest/ingest.ts), which is faster.
import { appendFileSync, mkdtempSync, readFileSync, renameSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseText, type ParseOptions, type ParseResult } from '../parser/index.js';
import { sourceOtherLines, sourceRecords } from '../store/queries.js';
import { ingest } from '../ingest/ingest.js';
import { openDatabase } from '../store/db.js';
import { StoreError } from '../store/errors.js';
import { generateLog, type GeneratorOptions } from '../samples/generator/index.js';
import { runCli } from './helpers/cli.js';
import { realDir, realSamples, samplePath } from './helpers/samples.js';
import { validateSchema } from './helpers/json-schema.js';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `kubelog-${name}-`));

interface SourceRow {
  id: number;
  path: string;
  node: string | null;
  lines_read: number;
  records: number;
  record_lines: number;
  foreign_lines: number;
  rejected_lines: number;
  complete: number;
  lines_done: number;
  parse_options: string;
  first_time_us: number | null;
}

function sources(db: string): SourceRow[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT * FROM sources ORDER BY id').all() as SourceRow[];
  } finally {
    d.close();
  }
}

/** The database holds exactly what the parser reads from `text` for this source. */
function expectStoredAsParsed(db: string, sourceId: number, text: string | Buffer, opts: ParseOptions): ParseResult {
  const want = parseText(text, opts);
  const d = new Database(db, { readonly: true });
  try {
    const row = d.prepare('SELECT * FROM sources WHERE id = ?').get(sourceId) as SourceRow;
    expect({ lines: row.lines_read, records: row.records, recordLines: row.record_lines, foreign: row.foreign_lines, rejected: row.rejected_lines }).toEqual({
      lines: want.counts.linesRead,
      records: want.counts.records,
      recordLines: want.counts.recordLines,
      foreign: want.counts.foreign,
      rejected: want.counts.rejected,
    });
    expect(row.lines_read).toBe(row.record_lines + row.foreign_lines + row.rejected_lines);
    expect(sourceRecords(d, sourceId).map((r) => r.record)).toEqual(want.records);
    const other = sourceOtherLines(d, sourceId);
    expect(other.foreign).toEqual([...want.foreign].sort((a, b) => a.line - b.line));
    expect(other.rejected).toEqual([...want.rejected].sort((a, b) => a.line - b.line));
  } finally {
    d.close();
  }
  return want;
}

async function generated(opts: GeneratorOptions): Promise<string> {
  const parts: string[] = [];
  await generateLog(opts, (c) => {
    parts.push(c);
  });
  return parts.join('');
}

describe('kubelog ingest: the real samples', () => {
  let db: string;
  let json: Record<string, unknown>;
  beforeAll(async () => {
    db = path.join(tmp('samples'), 'k.db');
    const r = await runCli(['ingest', '--json', '--db', db, '--year', '2024', realDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    json = JSON.parse(r.stdout) as Record<string, unknown>;
  });

  it('stores every sample exactly as the parser reads it, with its line accounting', () => {
    const rows = sources(db);
    const logs = realSamples();
    // the directory also holds SOURCES.md, which is ingested as foreign text
    expect(rows).toHaveLength(logs.length + 1);
    for (const name of logs) {
      const row = rows.find((s) => s.path === path.join(realDir, name));
      expect(row, name).toBeDefined();
      const opts = JSON.parse(row!.parse_options) as ParseOptions;
      expect(opts.year).toBe(2024);
      expect(row!.complete).toBe(1);
      expectStoredAsParsed(db, row!.id, readFileSync(path.join(realDir, name)), opts);
    }
  });

  it('has the exact rows SQL users see (records_view)', () => {
    const d = new Database(db, { readonly: true });
    const src = (sources(db).find((s) => s.path === samplePath('00')) as SourceRow).id;
    const row = d.prepare('SELECT line, end_line, msg, severity, pod_uid FROM records_view WHERE source_id = ? AND line = 56').get(src);
    expect(row).toEqual({ line: 56, end_line: 116, msg: 'Patch status for pod', severity: null, pod_uid: '4f3761db-ee39-4974-a2cc-9bf0a48e5c13' });
    const s06 = (sources(db).find((s) => s.path === samplePath('06')) as SourceRow).id;
    const r06 = d.prepare("SELECT line, time, severity, pid, caller, msg, host, ident FROM records_view WHERE source_id = ? AND msg = 'SyncLoop ADD'").get(s06);
    expect(r06).toEqual({
      line: 1,
      time: '2024-05-16T18:34:04.558677Z',
      severity: 'I',
      pid: 4052,
      caller: 'kubelet.go:2407',
      msg: 'SyncLoop ADD',
      host: 'aks-nodepool1-29985679-vmss00000A',
      ident: 'kubelet',
    });
    // full-text search goes through blocks, then narrows to records
    const hits = d.prepare("SELECT count(*) AS n FROM blocks_fts WHERE blocks_fts MATCH 'Killing'").get() as { n: number };
    expect(hits.n).toBeGreaterThan(0);
    d.close();
  });

  it('--json returns a typed result that its JSON Schema accepts', () => {
    expect(validateSchema('ingest.schema.json', json)).toEqual([]);
    const totals = json.totals as { linesRead: number; recordLines: number; foreign: number; rejected: number; records: number };
    expect(totals.linesRead).toBe(totals.recordLines + totals.foreign + totals.rejected);
    expect(totals.records).toBe(sources(db).reduce((a, s) => a + s.records, 0));
    const src = (json.sources as Array<{ status: string; path: string }>).map((s) => s.status);
    expect(new Set(src)).toEqual(new Set(['new']));
  });

  it('--json says per source how its times were dated: --year given, the zone from the log, klog times off', () => {
    const time = (prefix: string) => (json.sources as Array<{ path: string; time?: unknown }>).find((s) => s.path === samplePath(prefix))!.time;
    const message = 'klog time 1129 16:20:18.683569 is 1h 59m 59.3s before its transport time Nov 29 18:20:18: placed at the transport time';
    expect(time('09')).toEqual({
      year: { value: 2024, from: 'option' },
      zone: { value: '+00:00', from: 'content', line: 1, evidence: '2024-11-29T18:13:11.682692569Z' },
      conflicts: { count: 0 },
      klogOff: { count: 1, toleranceSeconds: 120, first: { line: 22, message } },
    });
    // --year beats the year the log states, which is a conflict to report
    expect(time('08')).toMatchObject({ year: { value: 2024, from: 'option' }, conflicts: { count: 1, first: { line: 5 } } });
    expect(time('17')).toEqual({ klogZone: { value: '+09:00', line: 2, shiftMinutes: 540, transport: 'absolute' }, conflicts: { count: 0 }, klogOff: { count: 0, toleranceSeconds: 120 } });
  });

  it('adds nothing when the same bytes are ingested again (by path, renamed, or gzipped)', async () => {
    const again = await runCli(['ingest', '--json', '--db', db, '--year', '2024', samplePath('00'), samplePath('13')]);
    expect(again.code).toBe(0);
    const res = JSON.parse(again.stdout) as { sources: Array<{ status: string }>; totals: { linesRead: number } };
    expect(res.sources.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
    expect(res.totals.linesRead).toBe(0);
    const dir = tmp('renamed');
    const gz = path.join(dir, 'kubelet.log-2024-06-06.1717657200.gz');
    writeFileSync(gz, gzipSync(readFileSync(samplePath('05'))));
    const viaGz = await ingest({ db, args: [gz], year: 2024 });
    expect(viaGz.sources[0]).toMatchObject({ status: 'unchanged' });
    const viaStdin = await runCli(['ingest', '--json', '--db', db, '--year', '2024'], { input: readFileSync(samplePath('06')) });
    expect((JSON.parse(viaStdin.stdout) as { sources: Array<{ status: string }> }).sources[0]!.status).toBe('unchanged');
    expect(sources(db)).toHaveLength(realSamples().length + 1);
  });
});

describe('kubelog ingest: how times were dated', () => {
  it('without --year, the summary names the year and zone the log gave, and the source keeps them', async () => {
    const db = path.join(tmp('times'), 'k.db');
    const r = await runCli(['ingest', '--db', db, samplePath('08'), samplePath('09')]);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n');
    const at = (prefix: string) => lines.indexOf(lines.find((l) => l.includes(samplePath(prefix)))!);
    expect(lines[at('08') + 1]!.trim()).toBe('times: year 2025 from the log (line 5: 2025-03-16T04:31:21Z), zone +00:00 from the same time');
    expect(lines[at('09') + 1]!.trim()).toBe('times: year 2024 from the log (line 1: 2024-11-29T18:13:11.682692569Z), zone +00:00 from the same time');
    expect(lines[at('09') + 2]!.trim()).toMatch(/^1 klog time more than 120 s off the transport time, placed at it; first line 22: klog time 1129 16:20:18/);
    const stored = sources(db).map((s) => (JSON.parse(s.parse_options) as { time: { year: unknown } }).time.year);
    expect(stored).toEqual([
      { value: 2024, from: 'content', line: 1, evidence: '2024-11-29T18:13:11.682692569Z' },
      { value: 2025, from: 'content', line: 5, evidence: '2025-03-16T04:31:21Z' },
    ]);
    // ingested again: unchanged, and still says how it was dated
    const again = JSON.parse((await runCli(['ingest', '--json', '--db', db, samplePath('09')])).stdout) as { sources: Array<{ status: string; time: { klogOff: { count: number } } }> };
    expect(again.sources[0]).toMatchObject({ status: 'unchanged', time: { klogOff: { count: 1 } } });
  });

  it('--tz takes every zone the parser takes: +8, UTC+8, +08:00, Asia/Shanghai', async () => {
    const dir = tmp('tz');
    for (const [i, tz] of ['+8', 'UTC+8', '+08:00', 'Asia/Shanghai'].entries()) {
      const r = await runCli(['ingest', '--json', '--db', path.join(dir, `${i}.db`), '--year', '2024', '--tz', tz, samplePath('13')]);
      expect(r.code, `--tz ${tz}: ${r.stdout}`).toBe(0);
      const src = (JSON.parse(r.stdout) as { sources: Array<{ firstTime: string; time: { zone: unknown } }> }).sources[0]!;
      expect([tz, src.firstTime, src.time.zone]).toEqual([tz, '2024-04-17T11:46:19.298368Z', { value: tz, from: 'option' }]);
    }
  });
});

describe('kubelog ingest: growth, rotation, stdin', () => {
  let log: string;
  beforeAll(async () => {
    log = await generated({ seed: 5, targetBytes: 1_200_000, kubeletVersion: '1.28', envelope: 'journal-short', verbosity: 4 });
  });

  it('a grown file adds only its new lines, numbered from where it stopped', async () => {
    const dir = tmp('grow');
    const file = path.join(dir, 'kubelet.log');
    const db = path.join(dir, 'k.db');
    // cut mid-line: the half-written last line is re-read when the rest arrives
    const cut = log.indexOf('\n', Math.floor(log.length / 2)) + 40;
    writeFileSync(file, log.slice(0, cut));
    const first = await ingest({ db, args: [file], year: 2024 });
    const linesBefore = parseText(log.slice(0, cut), { year: 2024 }).counts.linesRead;
    expect(first.sources[0]!.added.linesRead).toBe(linesBefore);
    appendFileSync(file, log.slice(cut));
    const second = await ingest({ db, args: [file], year: 2024 });
    expect(second.failed).toBe(0);
    const full = parseText(log, { year: 2024 });
    expect(second.sources[0]).toMatchObject({ status: 'grown' });
    expect(second.sources[0]!.added.linesRead).toBe(full.counts.linesRead - linesBefore);
    expect(sources(db)).toHaveLength(1);
    const row = sources(db)[0]!;
    expectStoredAsParsed(db, row.id, log, JSON.parse(row.parse_options) as ParseOptions);
    // and once more: nothing new
    expect((await ingest({ db, args: [file], year: 2024 })).sources[0]!.status).toBe('unchanged');
  });

  it('reads a rotated set in a directory (and by glob) oldest content first, .gz transparently', async () => {
    const dir = tmp('rotated');
    const lines = log.split(/(?<=\n)/);
    const third = Math.floor(lines.length / 3);
    const parts = [lines.slice(0, third).join(''), lines.slice(third, 2 * third).join(''), lines.slice(2 * third).join('')];
    const names = ['kubelet.log-2024-06-06.1717657200.gz', 'kubelet.log-2024-06-07.1717743600', 'kubelet.log'];
    writeFileSync(path.join(dir, names[0]!), gzipSync(parts[0]!));
    writeFileSync(path.join(dir, names[1]!), parts[1]!);
    writeFileSync(path.join(dir, names[2]!), parts[2]!);
    // modification times that lie: the oldest content looks newest
    utimesSync(path.join(dir, names[0]!), new Date('2024-06-09T00:00:00Z'), new Date('2024-06-09T00:00:00Z'));
    utimesSync(path.join(dir, names[2]!), new Date('2024-06-01T00:00:00Z'), new Date('2024-06-01T00:00:00Z'));
    const db = path.join(tmp('rotated-db'), 'k.db');
    const res = await ingest({ db, args: [dir], year: 2024 });
    expect(res.failed).toBe(0);
    expect(res.sources.map((s) => path.basename(s.path))).toEqual(names);
    expect(res.sources.map((s) => s.gzip)).toEqual([true, false, false]);
    const rows = sources(db);
    expect(rows.map((s) => path.basename(s.path))).toEqual(names);
    expect(rows[0]!.first_time_us! < rows[1]!.first_time_us! && rows[1]!.first_time_us! < rows[2]!.first_time_us!).toBe(true);
    rows.forEach((row, i) => expectStoredAsParsed(db, row.id, parts[i]!, JSON.parse(row.parse_options) as ParseOptions));
    // a quoted glob is expanded by kubelog; all three are known already
    const again = await ingest({ db, args: [path.join(dir, 'kubelet.log*')], year: 2024 });
    expect(again.sources.map((s) => s.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    // logrotate renames the live file and starts a new one: the renamed file is the same source
    renameSync(path.join(dir, 'kubelet.log'), path.join(dir, 'kubelet.log-2024-06-08.1717830000'));
    writeFileSync(path.join(dir, 'kubelet.log'), '');
    const rotated = await ingest({ db, args: [path.join(dir, 'kubelet.log-2024-06-08.1717830000')], year: 2024 });
    expect(rotated.sources[0]).toMatchObject({ status: 'unchanged', id: rows[2]!.id });
  });

  it('reads stdin (plain, gzip, journalctl -o json), recognises the same bytes after the fact', async () => {
    const db = path.join(tmp('stdin'), 'k.db');
    const plain = await runCli(['ingest', '--json', '--db', db, '--year', '2024'], { input: log });
    expect(plain.code).toBe(0);
    const r1 = JSON.parse(plain.stdout) as { sources: Array<{ id: number; path: string; status: string; node: string }> };
    expect(r1.sources[0]).toMatchObject({ path: '-', status: 'new', node: 'node-1' });
    expectStoredAsParsed(db, r1.sources[0]!.id, log, { year: 2024 });
    const again = JSON.parse((await runCli(['ingest', '--json', '--db', db, '--year', '2024', '-'], { input: gzipSync(log) })).stdout) as { sources: Array<{ status: string }> };
    expect(again.sources[0]!.status).toBe('unchanged');
    expect(sources(db)).toHaveLength(1);

    const journal = await generated({ seed: 6, targetBytes: 600_000, kubeletVersion: '1.28', envelope: 'journal-json', verbosity: 4, node: 'worker-7' });
    const j = await runCli(['ingest', '--json', '--db', db], { input: journal });
    expect(j.code).toBe(0);
    const r2 = JSON.parse(j.stdout) as { sources: Array<{ id: number; status: string; envelope: string; node: string }> };
    expect(r2.sources[0]).toMatchObject({ status: 'new', envelope: 'journal-json', node: 'worker-7' });
    expectStoredAsParsed(db, r2.sources[0]!.id, journal, {});
  });

  it('--node names the node; $KUBELOG_DB chooses the database', async () => {
    const dir = tmp('env');
    const db = path.join(dir, 'from-env.db');
    const r = await runCli(['ingest', '-q', '--node', 'n-42', '--year', '2024', samplePath('13')], { env: { KUBELOG_DB: db } });
    expect(r.code).toBe(0);
    expect(sources(db)[0]).toMatchObject({ node: 'n-42' });
  });
});

describe('kubelog ingest: errors name the file and exit non-zero', () => {
  it('a corrupt .gz', async () => {
    const dir = tmp('corrupt');
    const big = Buffer.from(readFileSync(samplePath('01'), 'utf8').repeat(400));
    const gz = gzipSync(big);
    // damage the middle of the stream: the head decodes, the rest does not
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) gz[i] = gz[i]! ^ 0x5a;
    const file = path.join(dir, 'kubelet.log-2024-06-06.gz');
    writeFileSync(file, gz);
    const r = await runCli(['ingest', '--db', path.join(dir, 'k.db'), '--year', '2024', file]);
    expect(r.code).toBe(1);
    // what decodes before the damage is stored; the error says where it is
    expect(r.stderr).toMatch(new RegExp(`^new +${file} \\(source 1\\): \\d+ lines read`, 'm'));
    expect(r.stderr).toContain(`error: ${file}: corrupt gzip data near byte `);
    // a header that is not gzip at all past the magic bytes
    const bad = path.join(dir, 'bad.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 0x00, 0x01, 0x02, 0x03, 0x04]));
    const r2 = await runCli(['ingest', '--db', path.join(dir, 'k.db'), bad]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${bad}: corrupt gzip data near byte 0 (after 0 bytes of content): unknown compression method`);
  });

  it('a missing or unreadable file', async () => {
    const dir = tmp('missing');
    const missing = await runCli(['ingest', '--db', path.join(dir, 'k.db'), path.join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${path.join(dir, 'nope.log')}: no such file`);
    const dangling = path.join(dir, 'dangling.log');
    symlinkSync(path.join(dir, 'gone'), dangling);
    await expect(ingest({ db: path.join(dir, 'k.db'), args: [dangling] })).rejects.toThrow(`${dangling}: no such file`);
    // readable by name, not by content (tests run as root: file modes do not stop root)
    const unreadable = await runCli(['ingest', '--db', path.join(dir, 'k.db'), '/proc/self/mem']);
    expect(unreadable.code).not.toBe(0);
    expect(unreadable.stderr).toMatch(/\/proc\/self\/mem: cannot be read \(EIO\)/);
  });

  it('a database path that cannot be written', async () => {
    const r = await runCli(['ingest', '--db', '/proc/kubelog.db', samplePath('13')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/proc\/kubelog\.db: cannot open or create the database/);
    const dir = tmp('notdir');
    writeFileSync(path.join(dir, 'file'), 'x');
    const under = path.join(dir, 'file', 'k.db');
    expect(() => openDatabase(under)).toThrow(new StoreError(`${under}: cannot open or create the database (SQLITE_CANTOPEN: unable to open database file); check that its directory exists and is writable, or use --db.`, 'SQLITE_CANTOPEN', under));
    const notDb = path.join(dir, 'text.db');
    writeFileSync(notDb, 'this is not a database, just text that is long enough to have a header'.repeat(20));
    expect(() => openDatabase(notDb)).toThrow(`${notDb}: not a kubelog database, or damaged (SQLITE_NOTADB: file is not a database).`);
  });

  it('a database from a newer kubelog', async () => {
    const dir = tmp('future');
    const db = path.join(dir, 'k.db');
    expect((await runCli(['ingest', '-q', '--db', db, samplePath('13')])).code).toBe(0);
    const d = new Database(db);
    d.pragma('user_version = 99');
    d.close();
    const r = await runCli(['ingest', '--db', db, samplePath('06')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/written by a newer kubelog \(schema version 99; this kubelog knows up to \d+\)/);
  });
});
