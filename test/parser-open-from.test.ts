// The parser's openFrom(): where a parse can start again from scratch. Checked against what the
// emitted entries alone allow (helpers/line-accounting.ts derives it from them) at every push, on
// every real sample, on generated logs, and on generated interleavings of streams whose records
// hold each other's lines; and checked for its promise: every line before it is in an entry
// emitted with a line before it, and no such entry holds a line at or after it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeletLogParser, parseText, type ParseEvent, type ParseOptions } from '../parser/index.js';
import { generateLog, type GeneratorOptions } from '../samples/generator/index.js';
import { LineAccounting } from './helpers/line-accounting.js';
import { makeRand } from './helpers/rand.js';
import { realDir, realSamples } from './helpers/samples.js';

interface Owned {
  line: number;
  /** Every line the entry holds. */
  lines: number[];
}

/**
 * Parse `input` in pieces of random size; after each piece, openFrom() against LineAccounting and
 * against the entries emitted so far. Returns how many times the point moved.
 */
function check(input: Buffer, opts: ParseOptions, seed: number): number {
  const rand = makeRand(seed);
  const acct = new LineAccounting();
  const owned: Owned[] = [];
  const lineOfOffset = new Map<number, number>();
  // the line numbers of a record: its first line, then each later line of its raw text found by
  // offset (holey records: other streams' lines sit between)
  const starts: number[] = [0];
  for (let i = input.indexOf(10); i >= 0; i = input.indexOf(10, i + 1)) starts.push(i + 1);
  starts.forEach((o, i) => lineOfOffset.set(o, i + 1));
  const parser = new KubeletLogParser(opts, (e: ParseEvent) => {
    if (e.type === 'record') {
      const r = e.record;
      const n = r.raw.split('\n').length;
      acct.onRecord(r.line, r.endLine, n);
      const lines = n === r.endLine - r.line + 1 ? Array.from({ length: n }, (_, k) => r.line + k) : [r.line, r.endLine];
      owned.push({ line: r.line, lines });
    } else if (e.type === 'foreign') {
      acct.onLine(e.foreign.line);
      owned.push({ line: e.foreign.line, lines: [e.foreign.line] });
    } else if (e.type === 'rejected') {
      acct.onLine(e.rejected.line);
      owned.push({ line: e.rejected.line, lines: [e.rejected.line] });
    }
  });
  let at = 0;
  let last = 1;
  let moves = 0;
  while (at < input.length) {
    const size = 1 + rand(rand(4) === 0 ? 8192 : 300);
    const piece = input.subarray(at, at + size);
    acct.noteBytes(piece, at);
    parser.push(piece);
    at += piece.length;
    const want = acct.advance();
    const got = parser.openFrom();
    expect({ at, line: got.line }).toEqual({ at, line: want });
    expect({ at, offset: got.offset }).toEqual({ at, offset: acct.hasStart(want) ? acct.offsetOf(want) : at });
    // the promise, from the entries themselves: what starts before it ends before it (each entry
    // checked once, when the point first passes it: the point never goes back)
    let k = 0;
    for (const o of owned) {
      if (o.line < got.line) expect(Math.max(...o.lines), `entry at line ${o.line}`).toBeLessThan(got.line);
      else owned[k++] = o;
    }
    owned.length = k;
    expect(got.line).toBeGreaterThanOrEqual(last);
    if (got.line !== last) moves++;
    last = got.line;
  }
  parser.end();
  return moves;
}

/** Records of several kubelet streams interleaved, some with `key=<` blocks held open across the others. */
function interleaved(seed: number, lines: number): string {
  const rand = makeRand(seed);
  const out: string[] = [];
  const open = new Map<number, number>(); // pid → block lines still to write
  let sec = 0;
  for (let i = 0; i < lines; i++) {
    if (rand(7) === 0) sec++;
    const t = `10:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}`;
    const pid = [100, 200, 300][rand(3)]!;
    const pre = `Jun  7 ${t} n kubelet[${pid}]: `;
    const left = open.get(pid);
    const k = rand(20);
    if (k === 0) out.push(`Jun  7 ${t} n dockerd[5]: other program ${i}`);
    else if (k === 1) out.push('');
    else if (left !== undefined && left > 0) {
      out.push(`${pre}#011line ${i}`);
      open.set(pid, left - 1);
    } else if (left === 0) {
      out.push(`${pre} >`);
      open.delete(pid);
    } else if (k < 5) {
      out.push(`${pre}I0607 ${t}.${String(i).padStart(6, '0')}     ${pid} m.go:${i}] "block ${i}" c=<`);
      open.set(pid, rand(4));
    } else if (k === 5) out.push(`${pre}continued text without a header ${i}`);
    else out.push(`${pre}I0607 ${t}.${String(i).padStart(6, '0')}     ${pid} m.go:${i}] "record ${i}" k="v"`);
  }
  return out.join('\n') + (rand(2) ? '\n' : '');
}

async function generated(opts: GeneratorOptions): Promise<Buffer> {
  const parts: string[] = [];
  await generateLog(opts, (c) => {
    parts.push(c);
  });
  return Buffer.from(parts.join(''));
}

describe('KubeletLogParser.openFrom', () => {
  // with the year and zone given, lines never wait for them; without, they wait until they settle
  const GIVEN: ParseOptions = { year: 2024, tz: 'UTC' };

  it('on every real sample, with and without the year and zone given', () => {
    for (const [i, file] of realSamples().entries()) {
      const input = readFileSync(path.join(realDir, file));
      check(input, GIVEN, i);
      check(input, {}, 100 + i);
    }
  });

  it('on generated logs of every envelope', async () => {
    for (const [i, envelope] of (['syslog', 'journal-short', 'journal-json', 'klog', 'rfc3339', 'json-prefixed'] as const).entries()) {
      const input = await generated({ seed: 40 + i, targetBytes: 150_000, kubeletVersion: '1.28', envelope, verbosity: 4 });
      expect(check(input, {}, i), envelope).toBeGreaterThan(10);
      check(input, GIVEN, 10 + i);
    }
  });

  it('on streams whose records hold each other’s lines (fixed seeds)', () => {
    let holey = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const text = interleaved(seed, 400);
      holey += parseText(text, GIVEN).records.filter((r) => r.raw.split('\n').length !== r.endLine - r.line + 1).length;
      const input = Buffer.from(text);
      check(input, GIVEN, seed);
      check(input, {}, seed);
    }
    // what is tested: records with other streams' lines between their own
    expect(holey).toBeGreaterThan(200);
  });
});

describe('KubeletLogParser.openFrom on hand-made logs', () => {
  /**
   * Feed a log one line at a time; after each line, the resume point R and the true first line not
   * yet accounted for (from the lines of the events emitted so far; test lines are unique).
   */
  const feed = (text: string) => {
    const lines = text.split('\n');
    const lineOf = new Map(lines.map((l, i) => [l, i + 1]));
    const done = new Set<number>();
    // year and zone given: no record waits for the log to date itself (parser/settle.ts), so what
    // is tested here is the accounting alone
    const parser = new KubeletLogParser({ year: 2024, tz: 'UTC' }, (e: ParseEvent) => {
      if (e.type === 'record') {
        for (const l of e.record.raw.split('\n')) done.add(lineOf.get(l)!);
      } else if (e.type === 'foreign') {
        done.add(e.foreign.line);
      } else if (e.type === 'rejected') {
        done.add(e.rejected.line);
      }
    });
    const seen: Array<[number, number]> = [];
    const offsets: number[] = [];
    for (const line of text.split(/(?<=\n)/)) {
      parser.push(line);
      let w = 1;
      while (done.has(w)) w++;
      const at = parser.openFrom();
      seen.push([at.line, w]);
      offsets[at.line] = at.offset;
    }
    return { offsets, seen };
  };

  /** R never passes a line not yet accounted for, and never goes back. */
  const expectSafe = (seen: Array<[number, number]>) => {
    for (const [r, w] of seen) expect(r).toBeLessThanOrEqual(w);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0]);
  };

  it('holds the resume point at a record whose continuation may still come', () => {
    const log = [
      'Jun  7 10:00:00 n kubelet[1]: I0607 10:00:00.000001       1 a.go:1] "A" x=<',
      'Jun  7 10:00:00 n dockerd[5]: other program',
      'Jun  7 10:00:00 n kubelet[1]: #011inside',
      'Jun  7 10:00:00 n kubelet[1]:  >',
      'Jun  7 10:00:01 n kubelet[1]: I0607 10:00:01.000001       1 a.go:2] "B"',
      'Jun  7 10:00:02 n kubelet[1]: I0607 10:00:02.000001       1 a.go:3] "C"',
      '',
    ].join('\n');
    const { offsets, seen } = feed(log);
    expectSafe(seen);
    // line 1 stays the resume point until "A" completes, then follows the pending record
    expect(seen.slice(0, 4).map(([r]) => r)).toEqual([1, 1, 1, 1]);
    expect(seen.at(-1)).toEqual([6, 6]);
    expect(offsets[6]).toBe(log.indexOf('Jun  7 10:00:02'));
  });

  it('resolves records of two streams that hold each other’s lines, before the end of input', () => {
    const log = [
      'Jun  7 10:00:00 n kubelet[100]: I0607 10:00:00.000001     100 m.go:1] "A" c=<',
      'Jun  7 10:00:00 n kubelet[200]: I0607 10:00:00.000002     200 m.go:1] "B" c=<',
      'Jun  7 10:00:00 n kubelet[100]: #011a',
      'Jun  7 10:00:00 n kubelet[200]: #011b',
      'Jun  7 10:00:00 n kubelet[100]:  >',
      'Jun  7 10:00:00 n kubelet[200]:  >',
      'Jun  7 10:00:01 n kubelet[100]: I0607 10:00:01.000001     100 m.go:2] "C"',
      'Jun  7 10:00:01 n kubelet[200]: I0607 10:00:01.000002     200 m.go:2] "D"',
      'Jun  7 10:00:02 n kubelet[100]: I0607 10:00:02.000001     100 m.go:3] "E"',
      '',
    ].join('\n');
    const r = parseText(log, { year: 2024 });
    expect(r.records.map((x) => [x.line, x.endLine])).toEqual([
      [1, 5],
      [2, 6],
      [7, 7],
      [8, 8],
      [9, 9],
    ]);
    const { seen } = feed(log);
    expectSafe(seen);
    // A holds 1, 3, 5 and B 2, 4, 6: once both are out, together they own 3 and 4, and R moves on
    // to the first pending record before the input ends
    expect(seen.at(-1)![0]).toBe(seen.at(-1)![1]);
    expect(seen.at(-1)![0]).toBeGreaterThanOrEqual(7);
  });
});
