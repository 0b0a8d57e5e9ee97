// Go runtime crash output (schemas/go-runtime-crash.json): which lines open a crash (panic, fatal
// error, fatal signal, a goroutine dump), which lines a crash record goes on with, and what the
// record says (signal, panic text, goroutine count, the first goroutine's header). The assembler
// asks; this module knows the runtime's shapes and nothing about envelopes or streams.
import data from '../schemas/go-runtime-crash.json' with { type: 'json' };
import type { KvMap } from './types.js';

export type CrashOpener = 'panic' | 'fatal-error' | 'signal' | 'signal-number' | 'exception' | 'fault' | 'runtime-message' | 'goroutine';

interface Shape {
  id: string;
  re: RegExp;
}

const OPENER_IDS: ReadonlySet<string> = new Set<CrashOpener>(['panic', 'fatal-error', 'signal', 'signal-number', 'exception', 'fault', 'runtime-message', 'goroutine']);

function compile(list: { id: string; regex: string }[]): Shape[] {
  return list.map((e) => ({ id: e.id, re: new RegExp(e.regex) }));
}

const OPENERS = compile(data.openers);
const LINES = compile(data.lines);
for (const o of OPENERS) if (!OPENER_IDS.has(o.id)) throw new Error(`schemas/go-runtime-crash.json: unknown opener "${o.id}"`);

/** First characters of the openers' fixed text: a cheap gate before any regex. */
const OPENER_FIRST = new Set([...'pfSEurg']);
/** rsyslog's escape for a TAB at the start of the line. */
const ESCAPED_TAB = /^(?:#011|\\011)/;

/** The opener a line is, if it starts Go crash output. */
export function crashOpener(text: string): CrashOpener | undefined {
  if (!OPENER_FIRST.has(text.charAt(0))) return undefined;
  for (const o of OPENERS) if (o.re.test(text)) return o.id as CrashOpener;
  return undefined;
}

/** Every dump shape in one regex (group names dropped): one test per line where speed matters. */
const ANY_DUMP_LINE = new RegExp(data.lines.map((l) => `(?:${l.regex.replace(/\(\?<[A-Za-z]+>/g, '(?:')})`).join('|'));

/** A line of a goroutine dump (not counting openers, blank and indented lines). */
const isDumpLine = (text: string): boolean => ANY_DUMP_LINE.test(text);

const isIndented = (text: string): boolean => {
  const c = text.charCodeAt(0);
  return c === 32 || c === 9 || ESCAPED_TAB.test(text);
};

const isBlank = (text: string): boolean => text.trim() === '';

/** Any line the Go runtime prints in a crash: used where a transport prefix must not be guessed. */
export function isGoRuntimeLine(text: string): boolean {
  return crashOpener(text) !== undefined || isDumpLine(text);
}

/**
 * Follows one crash record's lines. The text after `panic: ` may span lines (a panic value with
 * newlines) until the first blank line; after that only the runtime's own shapes continue it, so
 * that the next process's first words (`Flag --x has been deprecated`) start a record of their own.
 */
export class CrashScanner {
  private inMessage: boolean;

  constructor(opener: CrashOpener) {
    this.inMessage = opener === 'panic' || opener === 'fatal-error' || opener === 'runtime-message';
  }

  /** Does this line (the text after the envelope) belong to the crash? Call before feed(). */
  accepts(text: string): boolean {
    if (this.inMessage || isBlank(text) || isIndented(text)) return true;
    return crashOpener(text) !== undefined || isDumpLine(text);
  }

  feed(text: string): void {
    if (this.inMessage && (isBlank(text) || crashOpener(text) === 'goroutine' || isDumpLine(text))) this.inMessage = false;
  }
}

/** What a crash record says: its headline and key/values, from its body lines (envelopes stripped). */
export function summarizeCrash(lines: readonly string[]): { msg: string; kv: KvMap } {
  const kv: KvMap = {};
  let goroutines = 0;
  let kind: CrashOpener | undefined;
  for (const raw of lines) {
    // a nested panic is TAB-indented (`\tpanic: …`); frames' file lines keep their indent
    const text = raw.charCodeAt(0) === 9 ? raw.trimStart() : raw;
    const opener = crashOpener(text);
    if (opener === 'goroutine') {
      if (goroutines++ === 0) kv.firstGoroutine = text;
      continue;
    }
    if (opener !== undefined && (kind === undefined || weight(opener) > weight(kind))) kind = opener;
    for (const s of opener !== undefined ? OPENERS : LINES) {
      const m = s.re.exec(opener !== undefined ? text : raw);
      if (!m) continue;
      for (const [k, v] of Object.entries(m.groups ?? {})) {
        if (v === undefined || k in kv || !CRASH_KEYS.has(k)) continue;
        kv[k] = NUMERIC.has(k) ? Number(v) : v;
      }
      break;
    }
  }
  kv.crash = kind ?? 'goroutine';
  kv.goroutines = goroutines;
  const headline = lines.find((l) => !isBlank(l)) ?? '';
  return { msg: headline.trim(), kv };
}

/** The first value of each is kept (a nested panic's or a later goroutine's are not the crash's). */
const CRASH_KEYS = new Set(['panic', 'fatalError', 'signal', 'signalText', 'signalNumber', 'exception', 'faultAddr', 'runtime', 'code', 'addr', 'pc', 'm', 'sigcode', 'exitStatus']);
/** sigcode stays text: it can exceed 2^53 (`18446744073709551610`). */
const NUMERIC = new Set(['m', 'exitStatus', 'signalNumber']);

/** Which opener names the crash when several appear (`runtime: …` then `fatal error: …`). */
function weight(o: CrashOpener): number {
  switch (o) {
    case 'panic':
    case 'fatal-error':
    case 'signal':
    case 'signal-number':
    case 'exception':
      return 2;
    case 'fault':
    case 'runtime-message':
      return 1;
    default:
      return 0;
  }
}
