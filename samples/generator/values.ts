// Key/value rendering for the three klog text eras and the JSON (zap) format.
// Each method returns the fragment that follows the message: ` key=value` for klog text,
// `,"key":value` for JSON. See kubelet-log-formats.md §1.3 (text) and §2 (JSON).

import { fmtFloatF } from './timefmt.js';

/**
 * Value era:
 * - `A`: klog ≤ v2.30 (Kubernetes ≤ 1.23): %q strings (newlines escaped), %+v for everything else.
 * - `B`: klog v2.60-v2.90 (Kubernetes 1.24, 1.25, 1.27): `key=<` blocks for multi-line strings,
 *   %+v fallback, KObjs/KObjSlice as `pods=[ns/a ns/b]`.
 * - `B26`: klog v2.80.1 (Kubernetes 1.26): as B, but KObjSlice rendered through String() → `pods="[ns/a]"`.
 * - `C`: klog ≥ v2.100 (Kubernetes 1.28+): JSON for non-string values.
 * - `J`: `--logging-format=json` (zap).
 */
export type Era = 'A' | 'B' | 'B26' | 'C' | 'J';

export interface FmtOptions {
  /** JSON 1.21/1.22: klog.KObj is a fmt.Stringer to zap (no MarshalLog yet) → `"pod":"ns/name"`. */
  kobjString?: boolean;
  /** 1.21: SyncLoop's `pods` is format.Pods(…) → `pods="name_ns(uid), …"`. */
  podsDesc?: boolean;
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\x00-\x1f\x7f]/;

/** Go strconv.Quote for the ASCII/printable-Unicode text the generator produces. */
export function goQuote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    switch (ch) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x0b:
        out += '\\v';
        break;
      default:
        if (ch < 0x20 || ch === 0x7f) out += '\\x' + ch.toString(16).padStart(2, '0');
        else out += s[i];
    }
  }
  return out + '"';
}

/** Go fmt %v for a float64: strconv 'g' with shortest digits; exponent form when exp < -4 || exp >= 6. */
export function goFloatV(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  const e = x.toExponential(); // shortest round-trip digits, e.g. "-9.223372029479458e+9"
  const m = /^(-?)([\d.]+)e([+-])(\d+)$/.exec(e);
  if (!m) return String(x);
  const exp = Number(m[4]) * (m[3] === '-' ? -1 : 1);
  if (exp < -4 || exp >= 6) {
    return `${m[1]}${m[2]}e${m[3]}${String(m[4]).padStart(2, '0')}`;
  }
  return fmtFloatF(x);
}

/**
 * klog's writeStringValue for a string that contains a newline (eras B and C):
 * `<` NL, each line prefixed with TAB, closing ` >` (a final line without NL gets one added).
 */
export function klogBlock(v: string): string {
  let out = '<\n';
  let start = 0;
  let idx = v.indexOf('\n');
  while (idx !== -1) {
    out += '\t' + v.slice(start, idx + 1);
    start = idx + 1;
    idx = v.indexOf('\n', start);
  }
  if (start >= v.length) out += ' >';
  else out += '\t' + v.slice(start) + '\n >';
  return out;
}

export class Fmt {
  readonly json: boolean;
  constructor(
    readonly era: Era,
    private readonly o: FmtOptions = {},
  ) {
    this.json = era === 'J';
  }

  /** The record message, quoted. */
  q(msg: string): string {
    return this.json ? JSON.stringify(msg) : goQuote(msg);
  }

  /** string, error, fmt.Stringer */
  s(k: string, v: string): string {
    if (this.json) return `,"${k}":${JSON.stringify(v)}`;
    if (this.era !== 'A' && v.includes('\n')) return ` ${k}=${klogBlock(v)}`;
    return ` ${k}=${goQuote(v)}`;
  }

  /** Named string type without String() (types.UID, v1.PodPhase, probe.Result, …). */
  u(k: string, v: string): string {
    if (this.json) return `,"${k}":${JSON.stringify(v)}`;
    if (this.era === 'C') return ` ${k}=${goQuote(v)}`;
    return ` ${k}=${v}`;
  }

  /** int / int64 (also a named int without String()). */
  n(k: string, v: number): string {
    return this.json ? `,"${k}":${v}` : ` ${k}=${v}`;
  }

  b(k: string, v: boolean): string {
    return this.json ? `,"${k}":${v}` : ` ${k}=${v}`;
  }

  /** A nil pointer / nil interface. */
  nil(k: string): string {
    if (this.json) return `,"${k}":null`;
    return this.era === 'C' ? ` ${k}=null` : ` ${k}=<nil>`;
  }

  /** float64 */
  f(k: string, v: number): string {
    if (this.json) return `,"${k}":${fmtFloatF(v)}`;
    return this.era === 'C' ? ` ${k}=${String(v)}` : ` ${k}=${goFloatV(v)}`;
  }

  /** klog.KObj / klog.KRef */
  kobj(k: string, ns: string, name: string): string {
    if (this.json) {
      if (this.o.kobjString) return `,"${k}":${JSON.stringify(ns ? `${ns}/${name}` : name)}`;
      return ns ? `,"${k}":{"name":${JSON.stringify(name)},"namespace":${JSON.stringify(ns)}}` : `,"${k}":{"name":${JSON.stringify(name)}}`;
    }
    return ` ${k}=${goQuote(ns ? `${ns}/${name}` : name)}`;
  }

  /** klog.KObjs (1.22-1.25) / klog.KObjSlice (1.26+) of pods; format.Pods(…) in 1.21. Entries: [namespace, name, uid]. */
  pods(k: string, list: ReadonlyArray<readonly [string, string, string]>): string {
    if (this.o.podsDesc) return this.s(k, list.map(([ns, name, uid]) => `${name}_${ns}(${uid})`).join(', '));
    switch (this.era) {
      case 'J':
        return `,"${k}":[${list.map(([ns, name]) => `{"name":${JSON.stringify(name)},"namespace":${JSON.stringify(ns)}}`).join(',')}]`;
      case 'C':
        return ` ${k}=[${list.map(([ns, name]) => JSON.stringify(`${ns}/${name}`)).join(',')}]`;
      case 'B26':
        return ` ${k}=${goQuote(`[${list.map(([ns, name]) => `${ns}/${name}`).join(' ')}]`)}`;
      case 'A':
      case 'B':
        return ` ${k}=[${list.map(([ns, name]) => `${ns}/${name}`).join(' ')}]`;
    }
  }

  /** []string */
  strs(k: string, list: readonly string[]): string {
    if (this.json || this.era === 'C') {
      const j = list.length === 0 ? 'null' : JSON.stringify(list);
      return this.json ? `,"${k}":${j}` : ` ${k}=${j}`;
    }
    return ` ${k}=[${list.join(' ')}]`;
  }

  /**
   * A struct, pointer to struct, map or slice: `plusV` is Go's %+v text (eras A/B), `json` the
   * encoding/json text (era C and JSON format).
   */
  obj(k: string, plusV: string, json: string): string {
    if (this.json) return `,"${k}":${json}`;
    if (this.era === 'C') return ` ${k}=${json}`;
    if ((this.era === 'B' || this.era === 'B26') && plusV.includes('\n')) return ` ${k}=${klogBlock(plusV)}`;
    return ` ${k}=${plusV}`;
  }

  /** time.Time: String() in text (Stringer), epoch-ms float in JSON (zap time encoder). */
  time(k: string, goString: string, jsonMillis: string): string {
    return this.json ? `,"${k}":${jsonMillis}` : ` ${k}=${goQuote(goString)}`;
  }

  /** A pre-rendered raw fragment (already including the leading separator). */
  raw(text: string, json: string): string {
    return this.json ? json : text;
  }
}
