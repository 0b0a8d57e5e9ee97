// Key/values for printf-style lines (klog.Infof & co.), from the catalogue of kubelet format strings
// in schemas/printf-messages.json. Each Go format is compiled to an anchored regex; its verbs say
// how to read each value.
import catalogue from '../schemas/printf-messages.json' with { type: 'json' };
import { unquoteGo } from './body/go-string.js';
import { typedScalar } from './body/scalar.js';
import { parseValueText } from './body/index.js';
import type { KvMap, KvValue } from './types.js';

export interface PrintfMessage {
  id: string;
  format: string;
  keys: string[];
  versions?: string;
  sample: string;
}

interface Compiled {
  entry: PrintfMessage;
  regex: RegExp;
  verbs: string[];
}

// %q of a string, or of a struct (Go quotes each field: `{"docker" "dc18…"}`)
const QUOTED = '("(?:[^"\\\\]|\\\\.)*"|\\{[^}]*\\})';

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileFormat(format: string): { regex: RegExp; verbs: string[] } {
  const verbs: string[] = [];
  let src = '^';
  const re = /%([#+]?[a-z%])/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const parts: string[] = [];
  while ((m = re.exec(format))) {
    parts.push(escapeRegex(format.slice(last, m.index)));
    const verb = m[1]!;
    if (verb === '%') parts.push('%');
    else {
      verbs.push(verb);
      parts.push(verb === 'q' ? QUOTED : verb === 'd' ? '(-?\\d+)' : '(.*?)');
    }
    last = re.lastIndex;
  }
  parts.push(escapeRegex(format.slice(last)));
  src += parts.join('') + '\\s*$';
  return { regex: new RegExp(src, 's'), verbs };
}

function readVerb(verb: string, text: string): KvValue {
  if (verb === 'q') return text.startsWith('"') ? unquoteGo(text).value : text;
  if (verb === 'd') return Number(text);
  if (verb === 's') return text;
  // %v %+v %#v: a Go value when it looks like one (`&pkg.T{…}`, `{…}`, `[…]`, `map[…]`)
  if (/^(?:&?[\w.]*\{|\[|map\[)/.test(text)) return parseValueText(text);
  return typedScalar(text);
}

const compiled: Compiled[] = (catalogue.messages as PrintfMessage[]).map((entry) => ({ entry, ...compileFormat(entry.format) }));

// Candidates by the first word of the format; formats that start with a verb are always tried.
const byFirstWord = new Map<string, Compiled[]>();
const verbFirst: Compiled[] = [];
for (const c of compiled) {
  if (c.entry.format.startsWith('%')) {
    verbFirst.push(c);
    continue;
  }
  const w = firstWord(c.entry.format);
  const list = byFirstWord.get(w) ?? [];
  list.push(c);
  byFirstWord.set(w, list);
}

function firstWord(s: string): string {
  const sp = s.indexOf(' ');
  return sp < 0 ? s : s.slice(0, sp);
}

export interface PrintfMatch {
  id: string;
  format: string;
  kv: KvMap;
}

/** Match a printf message against the catalogue; undefined when no format fits. */
export function matchPrintf(text: string): PrintfMatch | undefined {
  const candidates = byFirstWord.get(firstWord(text));
  const tryList = candidates ? [...candidates, ...verbFirst] : verbFirst;
  for (const c of tryList) {
    const m = c.regex.exec(text);
    if (!m) continue;
    const kv: KvMap = {};
    c.entry.keys.forEach((key, i) => {
      const raw = m[i + 1];
      if (raw !== undefined) kv[key] = readVerb(c.verbs[i]!, raw);
    });
    return { id: c.entry.id, format: c.entry.format, kv };
  }
  return undefined;
}

export const printfCatalogue: readonly PrintfMessage[] = catalogue.messages as PrintfMessage[];
