// Fuzzing the grammar: random nesting (up to thousands of levels), quoting and byte soup, from a
// fixed seed with a bounded number of inputs. Whatever comes in, the grammar itself must not throw
// (parseTokens is called without the entry's safety net), every line of a log ends up as a record,
// a foreign line or a counted reject, and every value is bounded in depth, so that what comes after
// the parser (JSON.stringify, structuredClone to another thread, the lifecycle) cannot overflow.
import { describe, expect, it } from 'vitest';
import { parseText, parseValueText, type KvValue, type LogRecord } from '../parser/index.js';
import { parseStructuredBody, parseTokens } from '../parser/body/index.js';
import { bodyLexer } from '../parser/body/tokens.js';
import { deeperThan, MAX_VALUE_DEPTH } from '../parser/depth.js';
import { buildLifecycles } from '../lifecycle/model.js';
import { makeRand } from './helpers/rand.js';

const SEED = 20240607;
/** Inputs per property: the budget that keeps this file at a few seconds on the 2-core machine. */
const BUDGET = 250;

type Rand = (n: number) => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[rand(xs.length)]!;

const OPEN = ['{', '[', '&{', 'map[', '&pkg.T{'];
const CLOSE = ['}', ']'];
const KEYS = ['pod', 'podUID', 'err', 'containerID', 'patch', 'pods', 'x.y', '_k'];
const WORDS = ['30', '<nil>', 'true', '-9.2e+09', '4f3761db-7f0b-4b51-9c5b-0d2e2f0c9a11', 'docker://abc', 'Name:', 'a:b', 'x=y', '12:00:01'];
const SOUP = ['"', '\\', '\\"', '"\\x', '\t', '\n', '\r', ' ', '=', '=<', '\n >', ':', ',', '#011', '\u0000', '\u001b[31m', '\uFFFD', '😀', '\ud800'];

/** A value: nested brackets (sometimes very deep, sometimes cut or unbalanced), quotes, words. */
function value(rand: Rand, budget: { n: number }): string {
  const r = rand(10);
  if (r < 2 && budget.n > 0) {
    // a deep run: up to 3000 levels, closed, half-closed or not at all
    const depth = 1 + rand(rand(2) ? 3000 : 80);
    budget.n -= depth;
    const opens = Array.from({ length: depth }, () => pick(rand, OPEN));
    const inner = rand(2) ? `"${pick(rand, WORDS)}"` : pick(rand, WORDS);
    const closes = Array.from({ length: rand(3) === 0 ? rand(depth + 1) : depth }, () => pick(rand, CLOSE));
    return opens.join(rand(2) ? '' : ' A:') + inner + closes.join('');
  }
  if (r < 5 && budget.n > 0) {
    budget.n--;
    const open = pick(rand, OPEN);
    const parts = Array.from({ length: rand(5) }, () => (rand(3) === 0 ? `"${pick(rand, KEYS)}":` : pick(rand, ['', 'Name:', 'k:'])) + value(rand, budget));
    return open + parts.join(pick(rand, [' ', ',', ', '])) + (rand(5) ? pick(rand, CLOSE) : '');
  }
  if (r < 7) return `"${soup(rand, 6)}${rand(4) ? '"' : ''}`;
  if (r < 9) return pick(rand, WORDS);
  return soup(rand, 8);
}

function soup(rand: Rand, n: number): string {
  let s = '';
  for (let i = rand(n); i > 0; i--) s += rand(3) ? pick(rand, SOUP) : String.fromCharCode(rand(0x3000));
  return s;
}

/** A structured klog body: a message, then pairs whose values are any of the above. */
function body(rand: Rand): string {
  const budget = { n: 6000 };
  let s = `"${soup(rand, 4)}msg${rand(8) ? '"' : ''}`;
  for (let i = rand(6); i > 0; i--) {
    s += rand(6) ? ` ${pick(rand, KEYS)}=` : pick(rand, SOUP);
    s += rand(8) ? value(rand, budget) : '<\n\tblock line\n >';
  }
  return s;
}

/** A JSON value nested `depth` levels (kubelet `--logging-format=json`). */
function deepJson(rand: Rand, depth: number): string {
  let s = JSON.stringify(soup(rand, 4));
  for (let i = 0; i < depth; i++) s = rand(2) ? `{"k${i % 3}":${s}}` : `[${s},${rand(100)}]`;
  return s;
}

/** `levels`: MAX_VALUE_DEPTH for a value, one more for a record's key/value map. */
function expectBounded(kv: KvValue, levels: number, what: string): void {
  expect(deeperThan(kv, levels), what).toBe(false);
  // what the store and the worker threads do with a value must work on it
  expect(() => structuredClone(kv), what).not.toThrow();
  expect(() => JSON.stringify(kv), what).not.toThrow();
}

describe('fuzz: the body grammar', () => {
  it(`never throws and bounds every value (${BUDGET} bodies, seed ${SEED})`, () => {
    const rand = makeRand(SEED);
    let deepSeen = 0;
    for (let i = 0; i < BUDGET; i++) {
      const text = body(rand);
      const got = parseTokens(text, bodyLexer.tokenize(text)); // no safety net
      expectBounded(got.kv, MAX_VALUE_DEPTH + 1, text.slice(0, 200));
      if (got.issues.some((x) => x.code === 'too-deep')) deepSeen++;
      const entry = parseStructuredBody(text);
      expect(entry.issues.filter((x) => x.code === 'unreadable'), text.slice(0, 200)).toEqual([]);
    }
    // the generator did reach past the limit, or the test proves little
    expect(deepSeen).toBeGreaterThan(BUDGET / 20);
  });

  it(`printf %v values (${BUDGET} values)`, () => {
    const rand = makeRand(SEED + 1);
    for (let i = 0; i < BUDGET; i++) {
      const text = value(rand, { n: 6000 });
      expectBounded(parseValueText(text), MAX_VALUE_DEPTH, text.slice(0, 200));
    }
  });
});

describe('fuzz: whole logs', () => {
  it('every line is accounted for, deep lines in every reading give records, the lifecycle builds', () => {
    const rand = makeRand(SEED + 2);
    const lines: string[] = [];
    for (let i = 0; i < BUDGET; i++) {
      const k = rand(6);
      const time = `0607 14:${String(10 + (i % 50)).padStart(2, '0')}:00.${String(i).padStart(6, '0')}`;
      if (k === 0) lines.push(`{"ts":1717771686000.5,"caller":"x/y.go:1","msg":"m","v":${rand(5)},"pod":{"name":"a","namespace":"n"},"deep":${deepJson(rand, rand(2) ? rand(6000) : rand(80))}}`);
      else if (k === 1) lines.push(soup(rand, 40));
      else if (k === 2) lines.push(`Jun  7 14:54:46 node1 kubelet[1234]: I${time}    1234 kubelet.go:1] ${body(rand)}`);
      else if (k === 3) lines.push(body(rand));
      else lines.push(`I${time}    1234 kubelet.go:1] ${body(rand)}`);
    }
    const r = parseText(lines.join('\n') + '\n', { year: 2024 });
    expect(r.counts.linesRead).toBe(r.counts.recordLines + r.counts.foreign + r.counts.rejected);
    expect(r.diagnostics.filter((d) => d.code === 'unreadable')).toEqual([]);
    const jsonDeep = r.records.filter((x: LogRecord) => x.format === 'json' && deeperThan(JSON.parse(JSON.stringify(x.kv)) as KvValue, MAX_VALUE_DEPTH));
    expect(jsonDeep.length).toBeGreaterThan(0); // values at the limit exist, none beyond it:
    for (const rec of r.records) expectBounded(rec.kv, MAX_VALUE_DEPTH + 1, rec.raw.slice(0, 200));
    expect(() => buildLifecycles(r.records)).not.toThrow();
  });
});
