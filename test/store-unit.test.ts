// The store's parts on their own: block codec, line accounting, migrations, index deferral, error
// messages (disk full), the ingest pipeline in-process on hostile input, search, the progress bar.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseText, type ForeignLine, type LogRecord, type RejectedLine } from '../parser/index.js';
import { decodeEntries, encodeForeign, encodeRecord, encodeRejected, newDeltaState, podUidOf, SEP } from '../store/codec.js';
import { openDatabase } from '../store/db.js';
import { loadMigrations, migrate } from '../store/migrations.js';
import { deferRecordIndexes } from '../store/indexes.js';
import { StoreError } from '../store/errors.js';
import { StoreWriter } from '../store/writer.js';
import { IdBitmap } from '../store/id-bitmap.js';
import { Batcher } from '../ingest/batcher.js';
import { createSource } from '../store/sources.js';
import { ingest } from '../ingest/ingest.js';
import { searchPage, sourceOtherLines, sourceRecords } from '../store/queries.js';
import { zeroCounts } from '../store/batch.js';
import { RowBatch } from '../store/row-batch.js';
import { ProgressBar } from '../cli/lib/progress.js';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `kubelog-${name}-`));

describe('block codec', () => {
  it('round-trips records, foreign and rejected lines exactly, hostile strings included', () => {
    const rec: LogRecord = {
      line: 7,
      endLine: 9,
      offset: 1234,
      envelope: 'syslog',
      format: 'klog',
      msg: '\u0002looks like a marker\u0000with a NUL',
      structured: true,
      kv: { a: 'x\u0000y', b: [1, null, { c: true }], '\u0003': 'esc' },
      raw: 'Jun  7 10:00:00 h kubelet[1]: I0607 10:00:00.000001       1 a.go:1] "m"\nline two\n\u0003three',
      transport: { host: 'h', ident: 'kubelet', pid: 1, timeText: 'Jun  7 10:00:00', timeUs: 1717754400000000 },
      severity: 'I',
      klogTime: '0607 10:00:00.000001',
      pid: 1,
      caller: 'a.go:1',
      timeUs: 1717754400000001,
      printf: 'some-format',
      v: 4,
    };
    const bare: LogRecord = { line: 12, endLine: 12, offset: 2000, envelope: 'none', format: 'text', msg: '', structured: false, kv: {}, raw: '' };
    const foreign: ForeignLine = { line: 10, offset: -1, kind: 'blank', text: '' };
    const other: ForeignLine = { line: 11, offset: 1900, kind: 'other-program', text: 'x', transport: { host: 'h', ident: 'dockerd', timeText: 'Jun  7 10:00:00', timeUs: 1717754400000000 } };
    const rejected: RejectedLine = { line: 13, offset: 2001, reason: 'binary', text: 'a\u0000b\u0002' };
    const st = newDeltaState();
    const payload = [
      encodeRecord(st, rec, rec.line, rec.offset, 'uid-12345678'),
      encodeForeign(st, foreign, 10, -1),
      encodeForeign(st, other, 11, 1900),
      encodeRecord(st, bare, 12, 2000, undefined),
      encodeRejected(st, rejected, 13, 2001),
    ].join(SEP);
    expect(decodeEntries(payload)).toEqual([
      { kind: 'record', record: rec, podUid: 'uid-12345678' },
      { kind: 'foreign', foreign },
      { kind: 'foreign', foreign: other },
      { kind: 'record', record: bare },
      { kind: 'rejected', rejected },
    ]);
  });

  it('finds the pod UID a record states itself', () => {
    expect(podUidOf({ podUID: 'd054e76b-1d9b-4788-9fc7-b35165ab02fb' })).toBe('d054e76b-1d9b-4788-9fc7-b35165ab02fb');
    expect(podUidOf({ event: { ID: 'd054e76b-1d9b-4788-9fc7-b35165ab02fb', Type: 'ContainerStarted' } })).toBe('d054e76b-1d9b-4788-9fc7-b35165ab02fb');
    expect(podUidOf({ patch: { metadata: { uid: '4f3761db-ee39-4974-a2cc-9bf0a48e5c13' } } })).toBe('4f3761db-ee39-4974-a2cc-9bf0a48e5c13');
    expect(podUidOf({ pods: 'web-0_default(57f42639-a88d-4174-8fc1-58f56d572891)' })).toBe('57f42639-a88d-4174-8fc1-58f56d572891');
    expect(podUidOf({ pods: 'a_x(57f42639-a88d-4174-8fc1-58f56d572891), b_y(47f42639-a88d-4174-8fc1-58f56d572891)' })).toBeUndefined();
    expect(podUidOf({ pod: 'default/nginx' })).toBeUndefined();
  });
});

describe('migrations and indexes', () => {
  it('applies the schema with user_version in one transaction, and refuses a future database', () => {
    const db = openDatabase(path.join(tmp('mig'), 'k.db'));
    const newest = loadMigrations().length;
    expect(db.pragma('user_version', { simple: true })).toBe(newest);
    expect(migrate(db, 'k.db')).toEqual([]);
    db.pragma(`user_version = ${newest + 1}`);
    expect(() => migrate(db, 'k.db')).toThrow(/written by a newer kubelog \(schema version \d+; this kubelog knows up to \d+\)/);
    db.close();
  });

  it('a failing migration leaves the database as it was', () => {
    const file = path.join(tmp('mig2'), 'k.db');
    const good = loadMigrations();
    expect(() => openDatabase(file, { migrations: [...good, { version: good.length + 1, name: 'broken', sql: 'CREATE TABLE x (a); CREATE TABLE x (b);' }] })).toThrow();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(good.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'x'").pluck().get()).toBe(0);
    db.close();
  });

  it('0005 turns the kind and lane of each pod event into an event type; a read-only open of an older database reads it the same way', () => {
    const file = path.join(tmp('mig5'), 'k.db');
    const v4 = openDatabase(file, { migrations: loadMigrations().slice(0, 4) });
    const ins = v4.prepare('INSERT INTO pod_events (pod_id, record_id, lane, kind) VALUES (?, ?, ?, ?)');
    const rows: Array<[number, number, string | null, string]> = [
      [1, 4294967297, 'api', 'api.add'],
      [1, 4294967300, 'worker', 'worker.sync-enter'],
      [1, 4294967310, null, 'other'],
      [2, 4294967301, 'errors', 'other'],
      [2, 4294967302, 'api', 'api.add'],
    ];
    for (const r of rows) ins.run(...r);
    v4.close();
    const view = (db: ReturnType<typeof openDatabase>) => db.prepare('SELECT pod_id, record_id, lane, kind FROM pod_events_view ORDER BY pod_id, record_id').raw(true).all();
    const ro = openDatabase(file, { readonly: true });
    expect(ro.pragma('user_version', { simple: true })).toBe(4);
    expect(view(ro)).toEqual(rows);
    ro.close();
    // to 0005 only: 0007 rebuilds the lifecycle tables (their rows come back from the records)
    const db = openDatabase(file, { migrations: loadMigrations().slice(0, 5) });
    expect(view(db)).toEqual(rows);
    // four distinct (kind, lane) pairs, numbered in that order (a null lane first): 'other' without a lane and in the errors lane are two
    expect(db.prepare('SELECT count(*) FROM event_types').pluck().get()).toBe(4);
    expect(db.prepare('SELECT type FROM pod_events ORDER BY pod_id, record_id').pluck().all()).toEqual([1, 4, 2, 3, 1]);
    db.close();
  });

  it('indexes dropped for a large ingest are rebuilt by the next write-open', () => {
    const file = path.join(tmp('idx'), 'k.db');
    const db = openDatabase(file);
    const names = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name").pluck().all();
    const before = names();
    expect(before).toEqual(['records_printf_time', 'records_severe_time', 'records_time']);
    expect(deferRecordIndexes(db)).toBe(1);
    expect(names()).toEqual(['records_severe_time', 'records_time']);
    db.close();
    const again = openDatabase(file);
    expect(again.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name").pluck().all()).toEqual(before);
    expect(again.prepare('SELECT count(*) FROM deferred_indexes').pluck().get()).toBe(0);
    again.close();
  });

  it('0014 drops the index by message, also one an interrupted ingest left to build again', () => {
    const file = path.join(tmp('msgidx'), 'k.db');
    const old = openDatabase(file, { migrations: loadMigrations().slice(0, 13) });
    expect(deferRecordIndexes(old)).toBe(2);
    expect(old.prepare("SELECT name FROM deferred_indexes ORDER BY name").pluck().all()).toEqual(['records_msg', 'records_printf_time']);
    old.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(14);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name").pluck().all()).toEqual(['records_printf_time', 'records_severe_time', 'records_time']);
    expect(db.prepare('SELECT count(*) FROM deferred_indexes').pluck().get()).toBe(0);
    db.close();
  });
});

describe('multi-row inserts', () => {
  it('writes every row once, in order: whole statements of `rows`, the rest by flush; OR IGNORE as one row a statement would', () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)');
    const batch = new RowBatch(db, 'INSERT OR IGNORE INTO t (a, b) VALUES', 2, 3);
    for (const a of [1, 2, 3, 4, 2, 5, 6]) batch.add(a, `v${a}`);
    // two statements of three rows ran; 6 waits for flush
    expect(db.prepare('SELECT a FROM t ORDER BY a').pluck().all()).toEqual([1, 2, 3, 4, 5]);
    batch.flush();
    batch.flush();
    expect(db.prepare('SELECT a, b FROM t ORDER BY a').raw().all()).toEqual([[1, 'v1'], [2, 'v2'], [3, 'v3'], [4, 'v4'], [5, 'v5'], [6, 'v6']]);
    expect(() => batch.add(7)).toThrow('a row of 2 values, not 1');
    db.close();
  });
});

describe('errors', () => {
  it('a full disk (SQLITE_FULL) is a clear error naming the database', () => {
    const file = path.join(tmp('full'), 'k.db');
    const db = openDatabase(file);
    const id = createSource(db, { path: 'x.log', gzip: false, head: Buffer.from('x'), parseOptions: {} });
    // a disk with room for only a few more pages
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 8}`);
    const log = Array.from({ length: 3000 }, (_, i) => `I0607 10:00:00.${String(i).padStart(6, '0')}       1 a.go:${i}] "msg ${i}" k="${'v'.repeat(80)}${i}"`).join('\n');
    const b = new Batcher(0, 0, 256);
    for (const r of parseText(log, { year: 2024 }).records) b.addRecord(r, 1);
    b.release(1e9, 1e9);
    const batch = { type: 'batch' as const, ...b.take(), progress: { line: 3001, offset: log.length, verifyLen: 0, verifyHash: '', counts: zeroCounts() }, read: { bytes: 0, content: 0, lines: 0 } };
    const writer = new StoreWriter(db, file);
    let err: unknown;
    try {
      writer.writeBatch({ id, base: zeroCounts(), pods: new IdBitmap() }, batch);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('SQLITE_FULL');
    expect((err as Error).message).toBe(
      `${file}: disk full while writing (SQLITE_FULL). Everything committed before is kept; free some space (or use --db on another disk) and run the same command again to continue.`,
    );
    // nothing of the failed batch is stored
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);
    db.close();
  });
});

describe('the ingest pipeline, in process', () => {
  it('stores interleaved multi-line records, rejected and foreign lines exactly, and finds them', async () => {
    const dir = tmp('pipe');
    const file = path.join(dir, 'messages');
    const log = [
      'Jun  7 10:00:00 n kubelet[100]: I0607 10:00:00.000001     100 m.go:1] "Creating container" podUID="11111111-2222-3333-4444-555555555555" c=<',
      'Jun  7 10:00:00 n kubelet[200]: I0607 10:00:00.000002     200 m.go:1] "Creating container" c=<',
      'Jun  7 10:00:00 n kubelet[100]: #011metadata: {name: alpha}',
      'Jun  7 10:00:00 n kubelet[200]: #011metadata: {name: beta}',
      'Jun  7 10:00:00 n dockerd[50]: level=info msg="unrelated"',
      'Jun  7 10:00:00 n kubelet[100]:  >',
      'Jun  7 10:00:00 n kubelet[200]:  >',
      'Jun  7 10:00:01 n kubelet[100]: I0607 10:00:01.000001     100 kubelet.go:2] "Killing container with a grace period" podUID="11111111-2222-3333-4444-555555555555"',
      'bin\u0000ary',
      'Jun 31 10:00:01 n kubelet[100]: I0631 10:00:01.000001     100 kubelet.go:2] "impossible date"',
      'Jun  7 10:00:02 n kubelet[200]: E0607 10:00:02.000002     200 kubelet.go:3] "Kill container failed" err="rpc error"',
      '',
    ].join('\n');
    writeFileSync(file, log);
    const db = path.join(dir, 'k.db');
    const res = await ingest({ db, args: [file], year: 2024, batchEntries: 2, blockEntries: 3 });
    expect(res.failed).toBe(0);
    const s = res.sources[0]!;
    const want = parseText(log, { year: 2024, fallbackYear: new Date().getFullYear() });
    expect(s.added).toMatchObject({ linesRead: 11, records: want.counts.records, foreign: want.counts.foreign, rejected: want.counts.rejected });
    expect(s.added.linesRead).toBe(s.added.recordLines + s.added.foreign + s.added.rejected);
    expect(res.rejectedSamples.map((x) => [x.line, x.code])).toEqual(want.rejected.map((x) => [x.line, x.reason]));
    const d = openDatabase(db, { readonly: true });
    expect(sourceRecords(d, s.id!).map((r) => r.record)).toEqual(want.records);
    expect(sourceOtherLines(d, s.id!)).toEqual({ foreign: want.foreign, rejected: want.rejected });
    // the pod UID a record names, as SQL users see it
    expect(d.prepare('SELECT msg FROM records_view WHERE pod_uid = ? ORDER BY time_us, id').pluck().all('11111111-2222-3333-4444-555555555555')).toEqual(['Creating container', 'Killing container with a grace period']);
    // search: the index names blocks, the answer is exactly the matching records
    const searchRecords = (q: string) => searchPage(d, q, { limit: 1000, maxBlocks: Infinity }).hits;
    expect(searchRecords('"Kill container failed"').map((r) => r.record.line)).toEqual([11]);
    expect(searchRecords('beta').map((r) => r.record.line)).toEqual([2]);
    expect(searchRecords('container NOT creating').map((r) => r.record.line)).toEqual([8, 11]);
    d.close();
  });
});

describe('the parse worker starting its string dictionaries over', () => {
  it('stores every message, caller, pod and stream exactly when the dictionaries reset every few batches', async () => {
    const dir = tmp('dict');
    const file = path.join(dir, 'messages');
    const uid = (i: number) => `${String(i % 9).repeat(8)}-2222-3333-4444-${String(i).padStart(12, '0')}`;
    // 3 kubelet processes (streams), 40 callers, a message per 3 lines, 25 pods: far beyond a cap of 4
    const lines = Array.from({ length: 600 }, (_, i) => {
      const pid = 100 + (i % 3);
      return `Jun  7 10:00:${String(Math.floor(i / 10)).padStart(2, '0')} n kubelet[${pid}]: I0607 10:00:${String(Math.floor(i / 10)).padStart(2, '0')}.${String(i).padStart(6, '0')}     ${pid} f${i % 40}.go:${i % 7}] "message ${Math.floor(i / 3)}" podUID="${uid(i % 25)}"`;
    });
    const log = lines.join('\n') + '\n';
    writeFileSync(file, log);
    const db = path.join(dir, 'k.db');
    const res = await ingest({ db, args: [file], year: 2024, batchEntries: 16, blockEntries: 5, dictCap: 4 });
    expect(res.sources[0]!.added).toMatchObject({ linesRead: 600, records: 600, foreign: 0, rejected: 0 });
    const want = parseText(log, { year: 2024 }).records;
    const d = openDatabase(db, { readonly: true });
    expect(sourceRecords(d, res.sources[0]!.id!).map((r) => r.record)).toEqual(want);
    // the columns the writer filled from the dictionaries' ids, against the records they came from
    const rows = d
      .prepare(
        `SELECT m.msg, c.caller, u.uid, s.pid FROM records r JOIN messages m ON m.id = r.msg_id JOIN callers c ON c.id = r.caller_id
         JOIN pod_uids u ON u.id = r.pod_uid_id JOIN streams s ON s.id = r.stream_id ORDER BY r.id`,
      )
      .all();
    expect(rows).toEqual(want.map((r) => ({ msg: r.msg, caller: r.caller, uid: r.kv.podUID, pid: r.transport!.pid })));
    expect(d.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(200);
    expect(d.prepare('SELECT count(*) FROM pod_uids').pluck().get()).toBe(25);
    expect(d.prepare('SELECT count(*) FROM streams').pluck().get()).toBe(3);
    d.close();
  });
});

describe('progress bar', () => {
  const fake = (tty: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY: tty, columns: 160, write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WriteStream };
  };
  it('draws on a terminal after its delay, at most ten times a second, and clears itself', () => {
    // the bar reads the clock: a fake one, so that a loaded machine cannot put 100 ms between two calls
    vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date'] });
    try {
      const { out, stream } = fake(true);
      const bar = new ProgressBar(stream, 0);
      vi.advanceTimersByTime(10_000);
      bar.update({ bytes: 50e6, totalBytes: 200e6, lines: 250_000, inputs: 2, inputsDone: 0, current: ['kubelet.log'] });
      vi.advanceTimersByTime(99);
      bar.update({ bytes: 60e6, totalBytes: 200e6, lines: 300_000, inputs: 2, inputsDone: 0, current: ['kubelet.log'] });
      expect(out).toHaveLength(1);
      expect(out[0]).toMatch(/^\r\[#+-+\]  25%  50\.0\/200\.0 MB  250,000 lines  5\.0 MB\/s  ETA 0:30  file 1\/2  kubelet\.log\x1b\[K$/);
      vi.advanceTimersByTime(1);
      bar.update({ bytes: 60e6, totalBytes: 200e6, lines: 300_000, inputs: 2, inputsDone: 0, current: ['kubelet.log'] });
      expect(out).toHaveLength(2);
      expect(out[1]).toMatch(/  30%  60\.0\/200\.0 MB  300,000 lines /);
      bar.done();
      expect(out[2]).toBe('\r\x1b[K');
    } finally {
      vi.useRealTimers();
    }
  });
  it('stays silent when stderr is not a terminal', () => {
    const { out, stream } = fake(false);
    const bar = new ProgressBar(stream, 0);
    bar.update({ bytes: 1, lines: 1, inputs: 1, inputsDone: 0, current: [] });
    bar.done();
    expect(out).toEqual([]);
  });
});
