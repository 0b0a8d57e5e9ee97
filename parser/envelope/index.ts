// Envelope detection: what wraps the kubelet's own text on one physical line.
//
// Pure and total: splitEnvelope() never throws and never scans a line more than a few times. The
// candidate shape is picked by the first character, cheap charCode checks gate every regex, and
// the regexes themselves come from schemas/envelopes.json (formats as data, with sample lines that
// test/envelope.test.ts replays).

import data from '../../schemas/envelopes.json' with { type: 'json' };
import type { EnvelopeKind, ForeignKind, RejectReason, Transport } from '../types.js';
import { isValidWallClock, monthAt, wallToEpochUs, type WallClock } from '../time.js';
import { abbreviationOffset, parseOffset } from '../zone.js';
import { isGoRuntimeLine } from '../go-crash.js';

export type { WallClock };

export type EnvelopeResult =
  | {
      kind: 'line';
      envelope: EnvelopeKind;
      transport?: Transport;
      payload: string;
      payloadStart: number;
      /** wall-clock transport time when the envelope has no absolute time (RFC 3164: no year, no zone) */
      clock?: WallClock;
      /** UTC offset in minutes that the transport states (short-iso `+0800`/`+08:00`, RFC 3339), if any */
      offsetMinutes?: number;
      /**
       * The payload is another program's logrus line (`time="…" level=… msg="…"`) in the kubelet's
       * stream: a one-binary distribution's other components (k0s), or dockerd. Never kubelet text.
       */
      otherProgram?: true;
    }
  | { kind: 'foreign'; foreignKind: ForeignKind; transport?: Transport }
  | { kind: 'reject'; reason: RejectReason; message: string };

type LineResult = Extract<EnvelopeResult, { kind: 'line' }>;

// ---------------------------------------------------------------------------------------------
// Patterns, built from schemas/envelopes.json

const ENVELOPE_KINDS: ReadonlySet<string> = new Set<EnvelopeKind>(['syslog', 'syslog-iso', 'syslog-unix', 'journal-json', 'log-export', 'container', 'prefix', 'none']);

function envelopeOf(name: string): EnvelopeKind {
  if (!ENVELOPE_KINDS.has(name)) throw new Error(`schemas/envelopes.json: unknown envelope kind "${name}"`);
  return name as EnvelopeKind;
}

const { shapes, markers } = data;

/** Capture-group names the schema's regexes may use. */
type GroupName =
  | 'year' | 'month' | 'mon' | 'day' | 'hour' | 'minute' | 'second' | 'frac'
  | 'offset' | 'zone' | 'seconds' | 'weekday' | 'host' | 'tag' | 'pid' | 'name';
const GROUP_NAMES: readonly GroupName[] = [
  'year', 'month', 'mon', 'day', 'hour', 'minute', 'second', 'frac',
  'offset', 'zone', 'seconds', 'weekday', 'host', 'tag', 'pid', 'name',
];

interface Pattern {
  re: RegExp;
  /** Index of each named group in a match array; -1 when the pattern lacks it (`m[-1]` is undefined). */
  g: Record<GroupName, number>;
}

/**
 * Compile a schema regex with its `(?<name>…)` groups turned into plain numbered groups: the schema
 * stays readable, and a match does not build a `groups` object (≈120 ns per match on V8).
 */
function pattern(source: string, required: readonly GroupName[], flags = ''): Pattern {
  const g = Object.fromEntries(GROUP_NAMES.map((n) => [n, -1])) as Record<GroupName, number>;
  let out = '';
  let group = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '(' && source[i + 1] !== '?') {
      group++;
      out += c;
    } else if (c === '(' && source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
      const close = source.indexOf('>', i);
      const name = source.slice(i + 3, close);
      if (!(GROUP_NAMES as readonly string[]).includes(name)) throw new Error(`schemas/envelopes.json: unknown group name "${name}" in ${source}`);
      g[name as GroupName] = ++group;
      out += '(';
      i = close;
    } else {
      out += c;
    }
  }
  for (const n of required) if (g[n] < 0) throw new Error(`schemas/envelopes.json: group "${n}" missing in ${source}`);
  return { re: new RegExp(out, flags), g };
}

const TIME_GROUPS: readonly GroupName[] = ['day', 'hour', 'minute', 'second', 'frac'];
const P_RFC3164 = pattern(shapes.rfc3164.regex, [...TIME_GROUPS, 'mon', 'month']);
const P_RFC3339 = pattern(shapes.rfc3339.regex, [...TIME_GROUPS, 'year', 'month', 'offset']);
const P_RFC5424 = pattern(shapes.rfc5424.regex, [...TIME_GROUPS, 'year', 'month', 'offset', 'host', 'tag', 'pid']);
const RE_SYSLOG_PRI = new RegExp(shapes.rfc5424.priRegex);
const P_SHORT_FULL = pattern(shapes.shortFull.regex, [...TIME_GROUPS, 'year', 'month', 'zone']);
const P_UNIX = pattern(shapes.unix.regex, ['seconds', 'frac']);
const RE_MONOTONIC = new RegExp(shapes.monotonic.regex);
const RE_JOURNAL_START = new RegExp(shapes.journalJson.regex);
const RE_EXPORT = new RegExp(shapes.logExport.regex);
const P_PREFIX = pattern(shapes.prefix.regex, ['name', 'pid']);
const RE_PREFIX_IDENT = new RegExp(shapes.prefix.identRegex, 'i');
const RE_PREFIX_FIELD = new RegExp(shapes.prefix.fieldRegex);
/** Sticky: applied at the end of a timestamp. */
const P_HOST_TAG = pattern(data.hostTag.regex, ['host', 'tag', 'pid'], 'y');
const P_NO_HOST_TAG = pattern(data.hostTag.noHostRegex, ['tag', 'pid'], 'y');
const RE_CRI = new RegExp(data.notEnvelopes.cri.regex, 'y');
const RE_SECTION = new RegExp(markers.section.regex);
const P_CREATED_AT = pattern(markers.klogFileHeader.createdAtRegex, ['year', 'month', 'day', 'hour', 'minute', 'second']);
const RE_COMPONENT = new RegExp(data.componentWord.regex);
const RE_WRAPPER = new RegExp(data.componentWrapper.regex);
const RE_WRAPPED_KUBELET = new RegExp(data.componentWrapper.componentRegex);

const ENV_RFC3164 = envelopeOf(shapes.rfc3164.envelope);
const ENV_RFC3339 = envelopeOf(shapes.rfc3339.envelope);
const ENV_RFC5424 = envelopeOf(shapes.rfc5424.envelope);
const ENV_SHORT_FULL = envelopeOf(shapes.shortFull.envelope);
const ENV_UNIX = envelopeOf(shapes.unix.envelope);
const ENV_MONOTONIC = envelopeOf(shapes.monotonic.envelope);
const ENV_JOURNAL = envelopeOf(shapes.journalJson.envelope);
const ENV_EXPORT = envelopeOf(shapes.logExport.envelope);
const ENV_CONTAINER = envelopeOf(shapes.containerLog.envelope);
const RE_DOCKER_JSON = new RegExp(shapes.containerLog.dockerJsonRegex);
const RE_LOKI_LABELS = new RegExp(shapes.lokiLine.labelsRegex, 'y');
const RE_LOKI_LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const LOKI_HOST_LABELS: readonly string[] = shapes.lokiLine.hostLabels;
const LOKI_IDENT_LABELS: readonly string[] = shapes.lokiLine.identLabels;
const ENV_PREFIX = envelopeOf(shapes.prefix.envelope);

const JOURNAL_MARKERS: readonly string[] = markers.journal.prefixes;
const KLOG_FILE_HEADERS: readonly string[] = markers.klogFileHeader.prefixes;

/** C0 control characters except TAB. */
const RE_CONTROL = /[\x00-\x08\x0a-\x1f]/;
const RE_NOT_BLANK = /[^ \t]/;

// ---------------------------------------------------------------------------------------------
// Entry point

/**
 * Split one physical line (no newline, CR already stripped) into its transport envelope and the
 * text the kubelet (or another program) wrote. Never throws.
 */
export function splitEnvelope(line: string): EnvelopeResult {
  // A byte-order mark (first line of a file) or json-seq's record separator before `{`: skipped once.
  const c0 = line.charCodeAt(0);
  if (c0 === 0xfeff || (c0 === 0x1e && line.charCodeAt(1) === 0x7b)) {
    const r = detect(line.slice(1));
    if (r.kind === 'line' && r.payloadStart >= 0) r.payloadStart += 1;
    return unwrapComponent(r);
  }
  return unwrapComponent(detect(line));
}

/**
 * A kubelet line a one-binary distribution logged through logrus (k0s: `time="…" level=info
 * msg="I0607 …" component=kubelet`): the kubelet's own text. Any other logrus line is marked as
 * another program's (`otherProgram`), its envelope as it came.
 */
function unwrapComponent(r: EnvelopeResult): EnvelopeResult {
  if (r.kind !== 'line' || !r.payload.startsWith('time="')) return r;
  const m = RE_WRAPPER.exec(r.payload);
  if (m === null) return r;
  // the distribution itself, or another of its components (containerd, the API server): not the
  // kubelet, and never the rest of a kubelet record although it shares the kubelet's stream
  if (!RE_WRAPPED_KUBELET.test(m.groups!.fields!)) return { ...r, otherProgram: true };
  const text = goUnquote(m.groups!.msg!);
  return text === undefined ? r : { ...r, payload: text, payloadStart: -1 };
}

const GO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** The text of a Go-quoted string's inside (strconv.Quote, logrus's `%q`), or undefined when an escape is malformed. */
export function goUnquote(s: string): string | undefined {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    if (e === undefined) return undefined;
    const simple = GO_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : e >= '0' && e <= '7' ? 3 : 0;
    if (width === 0) return undefined;
    const digits = e >= '0' && e <= '7' ? s.slice(i, i + 3) : s.slice(i + 1, i + 1 + width);
    const code = e >= '0' && e <= '7' ? (/^[0-7]{3}$/.test(digits) ? parseInt(digits, 8) : NaN) : /^[0-9a-fA-F]+$/.test(digits) && digits.length === width ? parseInt(digits, 16) : NaN;
    if (Number.isNaN(code) || code > 0x10ffff) return undefined;
    out += String.fromCodePoint(code);
    i += e >= '0' && e <= '7' ? 2 : width;
  }
  return out;
}

function detect(line: string): EnvelopeResult {
  const len = line.length;
  if (len === 0) return { kind: 'foreign', foreignKind: 'blank' };
  const c0 = line.charCodeAt(0);

  if (RE_CONTROL.test(line)) return binary(line);

  if (c0 === 0x20 || c0 === 0x09) {
    // Blank, or indented text (continuation lines, `key=<` block lines): never an envelope; but a
    // journal marker pasted with an indent still dates what follows
    if (!RE_NOT_BLANK.test(line)) return { kind: 'foreign', foreignKind: 'blank' };
    const t = line.trimStart();
    if (t.startsWith('-- ')) for (const p of JOURNAL_MARKERS) if (t.startsWith(p)) return { kind: 'foreign', foreignKind: 'journal-marker' };
    return none(line);
  }

  if (isDigit(c0)) {
    const c9 = line.charCodeAt(9);
    const c10 = line.charCodeAt(10);
    if (len > 20 && line.charCodeAt(4) === 0x2d /* - */ && (c10 === 0x54 /* T */ || c10 === 0x74 /* t */)) {
      const r = tryRfc3339(line);
      if (r !== undefined) return r;
    } else if (len > 18 && (c10 === 0x2e || c9 === 0x2e) /* . */) {
      const r = tryUnix(line);
      if (r !== undefined) return r;
    } else if (isCjkMonth(line.charCodeAt(1)) || isCjkMonth(line.charCodeAt(2))) {
      // CJK numeric month: `1月 28 …` (zh, ja), `1월 28 …` (ko)
      const r = tryRfc3164(line);
      if (r !== undefined) return r;
    }
    return tryPrefix(line) ?? none(line);
  }

  if (isLetter(c0)) {
    if (len > 15 && line.charCodeAt(3) === 0x20) {
      const c4 = line.charCodeAt(4);
      if (isDigit(c4) && line.charCodeAt(8) === 0x2d /* - */) {
        const r = tryShortFull(line);
        if (r !== undefined) return r;
      } else if (isLetter(line.charCodeAt(1)) && isLetter(line.charCodeAt(2))) {
        const r = tryRfc3164(line);
        if (r !== undefined) return r;
      }
    }
    if (c0 === 0x4c /* L */ || c0 === 0x52 /* R */ || c0 === 0x42 /* B */) {
      for (const p of KLOG_FILE_HEADERS) {
        if (line.startsWith(p)) return { kind: 'foreign', foreignKind: 'klog-file-header' };
      }
    }
    return tryPrefix(line) ?? none(line);
  }

  switch (c0) {
    case 0x7b /* { */:
      return tryJournalJson(line) ?? tryDockerJson(line) ?? tryLogExport(line) ?? none(line);
    case 0x2d /* - */:
      if (line.charCodeAt(1) === 0x2d && line.charCodeAt(2) === 0x20) {
        for (const p of JOURNAL_MARKERS) {
          if (line.startsWith(p)) return { kind: 'foreign', foreignKind: 'journal-marker' };
        }
      }
      return none(line);
    case 0x3d /* = */:
      return line.startsWith('==> ') && RE_SECTION.test(line) ? { kind: 'foreign', foreignKind: 'section-marker' } : none(line);
    case 0x5b /* [ */:
      return tryMonotonic(line) ?? none(line);
    case 0x3c /* < */:
      return trySyslogPri(line) ?? none(line);
    default:
      return none(line);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** 月 (zh, ja) or 월 (ko). */
function isCjkMonth(c: number): boolean {
  return c === 0x6708 || c === 0xc6d4;
}

function isLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

function none(line: string): LineResult {
  return { kind: 'line', envelope: 'none', payload: line, payloadStart: 0 };
}

function binary(line: string): EnvelopeResult {
  const at = line.search(RE_CONTROL);
  const code = line.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
  return { kind: 'reject', reason: 'binary', message: `control character U+${code} at column ${at + 1}: not a text log line` };
}

function reject(reason: RejectReason, message: string): EnvelopeResult {
  return { kind: 'reject', reason, message };
}

/** Integer value of a run of ASCII digits (a regex group), or -1 when absent. */
function int(s: string | undefined): number {
  if (s === undefined) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) v = v * 10 + (s.charCodeAt(i) - 0x30);
  return v;
}

/** `"5"` → 500000, `"123456789"` → 123456 (truncated to µs). */
function micros(frac: string | undefined): number {
  if (frac === undefined) return 0;
  let v = 0;
  for (let i = 0; i < 6; i++) v = v * 10 + (i < frac.length ? frac.charCodeAt(i) - 0x30 : 0);
  return v;
}

/** The wall clock a dated timestamp regex captured (groups year, month, day, hour, minute, second, frac). */
function datedClock(m: RegExpExecArray, g: Record<GroupName, number>): WallClock & { year: number } {
  return {
    year: int(m[g.year]),
    month: int(m[g.month]),
    day: int(m[g.day]),
    hour: int(m[g.hour]),
    minute: int(m[g.minute]),
    second: int(m[g.second]),
    micros: micros(m[g.frac]),
  };
}

interface TransportTime {
  timeText: string;
  timeUs?: number;
  clock?: WallClock;
  offsetMinutes?: number;
}

/**
 * The `host tag[pid]: ` part after a timestamp ending at `tsEnd` (just past its trailing space).
 * `valid`: the timestamp's values are possible; an impossible one rejects the line only when the
 * host/tag part matches too (then the shape is unmistakable). `allowNoTag`: with a valid timestamp
 * but no `tag: `, keep host = the first word and the rest as payload.
 */
function afterTimestamp(
  line: string,
  tsEnd: number,
  envelope: EnvelopeKind,
  valid: boolean,
  allowNoTag: boolean,
  time: TransportTime,
): EnvelopeResult | undefined {
  // A klog header or JSON right after the timestamp (`docker logs -t`, `kubectl logs --timestamps`):
  // no host, no tag, payload from here.
  if (isKlogHeaderAt(line, tsEnd) || line.charCodeAt(tsEnd) === 0x7b /* { */) return untagged(line, envelope, valid, tsEnd, time);
  // The first word after the timestamp ends with `:` when there is no host (`<ts> kubelet[1]: `).
  const limit = Math.min(line.length, tsEnd + 257);
  let wordEnd = tsEnd;
  while (wordEnd < limit && line.charCodeAt(wordEnd) !== 0x20) wordEnd++;
  const p = wordEnd > tsEnd && line.charCodeAt(wordEnd - 1) === 0x3a ? P_NO_HOST_TAG : P_HOST_TAG;
  p.re.lastIndex = tsEnd;
  const h = p.re.exec(line);
  // Neither has the kubelet's plain stderr in a timestamped container log: Go crash output
  // (`goroutine 1 [running]:`, `main.main()`, a blank line; `fatal error: x` reads as host `fatal`,
  // tag `error`) and pflag's `Flag --x has been deprecated`
  if ((h === null || h[p.g.pid] === undefined) && (tsEnd === line.length || line.startsWith('Flag --', tsEnd) || isGoRuntimeLine(line.slice(tsEnd)))) {
    return untagged(line, envelope, valid, tsEnd, time);
  }
  if (!valid) {
    return h === null ? undefined : reject('bad-envelope', `impossible timestamp "${time.timeText}" in a ${envelope} envelope`);
  }
  const transport: Transport = {};
  let payloadStart: number;
  if (h !== null) {
    const host = h[p.g.host];
    if (host !== undefined) transport.host = host;
    transport.ident = h[p.g.tag];
    const pid = h[p.g.pid];
    if (pid !== undefined) transport.pid = int(pid);
    payloadStart = tsEnd + h[0].length;
  } else {
    if (!allowNoTag) return undefined;
    const sp = line.indexOf(' ', tsEnd);
    const hostEnd = sp < 0 ? line.length : sp;
    if (hostEnd === tsEnd) return undefined;
    transport.host = line.slice(tsEnd, hostEnd);
    payloadStart = sp < 0 ? line.length : sp + 1;
  }
  if (time.timeUs !== undefined) transport.timeUs = time.timeUs;
  transport.timeText = time.timeText;
  return lineResult(line, envelope, transport, payloadStart, time);
}

/** The payload starts right after the timestamp: no host, no tag. */
function untagged(line: string, envelope: EnvelopeKind, valid: boolean, tsEnd: number, time: TransportTime): LineResult | undefined {
  if (!valid) return undefined;
  const transport: Transport = {};
  if (time.timeUs !== undefined) transport.timeUs = time.timeUs;
  transport.timeText = time.timeText;
  return lineResult(line, envelope, transport, tsEnd, time);
}

function lineResult(line: string, envelope: EnvelopeKind, transport: Transport, payloadStart: number, time: TransportTime): LineResult {
  const r: LineResult = { kind: 'line', envelope, transport, payload: line.slice(payloadStart), payloadStart };
  if (time.clock !== undefined) r.clock = time.clock;
  if (time.offsetMinutes !== undefined) r.offsetMinutes = time.offsetMinutes;
  return r;
}

/** `[IWEF]mmdd hh:` at `i`: the start of a klog header. */
function isKlogHeaderAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return (
    (c === 0x49 || c === 0x57 || c === 0x45 || c === 0x46) &&
    isDigit(s.charCodeAt(i + 1)) && isDigit(s.charCodeAt(i + 2)) && isDigit(s.charCodeAt(i + 3)) && isDigit(s.charCodeAt(i + 4)) &&
    s.charCodeAt(i + 5) === 0x20 && isDigit(s.charCodeAt(i + 6)) && s.charCodeAt(i + 8) === 0x3a
  );
}

// ---------------------------------------------------------------------------------------------
// Timestamp shapes

function tryRfc3164(line: string): EnvelopeResult | undefined {
  const m = P_RFC3164.re.exec(line);
  if (m === null) return undefined;
  const g = P_RFC3164.g;
  const clock: WallClock = {
    month: m[g.mon] !== undefined ? monthAt(line, 0) : int(m[g.month]),
    day: int(m[g.day]),
    hour: int(m[g.hour]),
    minute: int(m[g.minute]),
    second: int(m[g.second]),
    micros: micros(m[g.frac]),
  };
  const tsEnd = m[0].length;
  return afterTimestamp(line, tsEnd, ENV_RFC3164, isValidWallClock(clock), true, { timeText: line.slice(0, tsEnd - 1), clock });
}

function tryRfc3339(line: string): EnvelopeResult | undefined {
  const m = P_RFC3339.re.exec(line);
  if (m === null) return undefined;
  const tsEnd = m[0].length;
  RE_CRI.lastIndex = tsEnd;
  const cri = RE_CRI.exec(line);
  if (cri !== null) {
    // a container runtime's log of the kubelet's output (the kubelet in a container): payload after `stderr F `
    const r = datedTimestamp(line, tsEnd, ENV_CONTAINER, m, P_RFC3339.g, m[P_RFC3339.g.offset], true, tsEnd + cri[0].length);
    return r?.kind === 'line' ? r : undefined;
  }
  if (line.charCodeAt(tsEnd) === 0x7b /* { */) {
    RE_LOKI_LABELS.lastIndex = tsEnd;
    const labels = RE_LOKI_LABELS.exec(line);
    if (labels !== null) {
      // Loki's logcli: the entry's time and labels, then the line as the node wrote it
      const r = datedTimestamp(line, tsEnd, ENV_EXPORT, m, P_RFC3339.g, m[P_RFC3339.g.offset], true, tsEnd + labels[0].length);
      if (r?.kind !== 'line') return undefined;
      const transport = { ...r.transport, ...lokiNames(lokiLabels(labels[0])) };
      return inner(r.payload, transport, 1);
    }
  }
  return datedTimestamp(line, tsEnd, ENV_RFC3339, m, P_RFC3339.g, m[P_RFC3339.g.offset], true);
}

/** A Loki label set as logcli prints it (`{host="a", unit="kubelet.service"} `). */
function lokiLabels(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of text.matchAll(RE_LOKI_LABEL)) {
    try {
      out[m[1]!] = JSON.parse(`"${m[2]!}"`);
    } catch {
      out[m[1]!] = m[2]!;
    }
  }
  return out;
}

/** The node and program Loki's labels name. */
function lokiNames(labels: Record<string, unknown>): Transport {
  const t: Transport = {};
  const host = LOKI_HOST_LABELS.map((k) => str(labels[k])).find((v) => v !== undefined);
  if (host !== undefined) t.host = host;
  const ident = LOKI_IDENT_LABELS.map((k) => str(labels[k])).find((v) => v !== undefined);
  if (ident !== undefined) t.ident = ident.replace(/\.service$/, '');
  return t;
}

/**
 * `<PRI>`: syslog as it travels (RFC 5424, or RFC 3164 as a collector received it). An RFC 5424
 * header is read whole; before any other shape, the priority is skipped and the rest read as usual.
 */
function trySyslogPri(line: string): EnvelopeResult | undefined {
  const pri = RE_SYSLOG_PRI.exec(line);
  if (pri === null) return undefined;
  const at = pri[0].length;
  if (line.charCodeAt(at) === 0x31 /* 1 */ && line.charCodeAt(at + 1) === 0x20) return tryRfc5424(line, at + 2);
  const r = detect(line.slice(at));
  if (r.kind === 'reject') return r;
  // only a recognised shape after it: `<b>bold</b>` is text
  if (r.kind !== 'line' || r.envelope === 'none' || r.envelope === 'prefix') return undefined;
  if (r.payloadStart >= 0) r.payloadStart += at;
  return r;
}

/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG`; `tsStart`: where TIMESTAMP begins. */
function tryRfc5424(line: string, tsStart: number): EnvelopeResult | undefined {
  const m = P_RFC5424.re.exec(line);
  if (m === null) return undefined;
  const g = P_RFC5424.g;
  const given = (v: string | undefined): string | undefined => (v === undefined || v === '-' ? undefined : v);
  const transport: Transport = {};
  const host = given(m[g.host]);
  if (host !== undefined) transport.host = host;
  const ident = given(m[g.tag]);
  if (ident !== undefined) transport.ident = ident;
  const pid = given(m[g.pid]);
  if (pid !== undefined && pid.length <= 10 && [...pid].every((c) => isDigit(c.charCodeAt(0)))) transport.pid = int(pid);
  // rsyslog's %msg% keeps the space that followed the tag; more is the text's own indentation
  let payloadStart = m[0].length;
  if (line.charCodeAt(payloadStart) === 0x20) payloadStart++;
  if (m[g.year] === undefined) return lineResult(line, ENV_RFC5424, transport, payloadStart, { timeText: '-' });
  const timeText = line.slice(tsStart, line.indexOf(' ', tsStart));
  const clock = datedClock(m, g);
  const offset = parseOffset(m[g.offset]!);
  if (!isValidWallClock(clock) || offset === undefined || !Number.isSafeInteger(wallToEpochUs(clock, offset))) {
    return reject('bad-envelope', `impossible timestamp "${timeText}" in an RFC 5424 syslog header`);
  }
  const timeUs = wallToEpochUs(clock, offset);
  transport.timeUs = timeUs;
  transport.timeText = timeText;
  return lineResult(line, ENV_RFC5424, transport, payloadStart, { timeText, timeUs, offsetMinutes: offset });
}

function tryShortFull(line: string): EnvelopeResult | undefined {
  const m = P_SHORT_FULL.re.exec(line);
  if (m === null) return undefined;
  return datedTimestamp(line, m[0].length, ENV_SHORT_FULL, m, P_SHORT_FULL.g, m[P_SHORT_FULL.g.zone], false);
}

/**
 * A timestamp with year. `zone` is the offset or zone text; `strictZone`: an unparseable zone makes
 * the timestamp impossible (RFC 3339 `+99:00`) instead of unknown (short-full `CEST`).
 */
function datedTimestamp(
  line: string,
  tsEnd: number,
  envelope: EnvelopeKind,
  m: RegExpExecArray,
  g: Record<GroupName, number>,
  zone: string | undefined,
  strictZone: boolean,
  /** Where the payload starts when the line's shape says so (a CRI log line): no host or tag is read. */
  payloadAt?: number,
): EnvelopeResult | undefined {
  const clock = datedClock(m, g);
  // short-full's zone is the tz abbreviation journalctl prints: one that names a single offset is as good
  const offset = zone === undefined ? undefined : (parseOffset(zone) ?? (strictZone ? undefined : abbreviationOffset(zone)));
  // Possible values, a known offset when one is required, and an instant whose µs are exact (years ≈1685–2255).
  const valid =
    isValidWallClock(clock) &&
    !(offset === undefined && zone !== undefined && strictZone) &&
    Number.isSafeInteger(wallToEpochUs(clock, offset ?? 0));
  const time: TransportTime = { timeText: line.slice(0, tsEnd - 1) };
  if (offset !== undefined) {
    time.offsetMinutes = offset;
    if (valid) time.timeUs = wallToEpochUs(clock, offset);
  } else {
    time.clock = clock;
  }
  if (payloadAt !== undefined) return untagged(line, envelope, valid, payloadAt, time);
  return afterTimestamp(line, tsEnd, envelope, valid, true, time);
}

function tryUnix(line: string): EnvelopeResult | undefined {
  const m = P_UNIX.re.exec(line);
  if (m === null) return undefined;
  const tsEnd = m[0].length;
  const timeUs = int(m[P_UNIX.g.seconds]) * 1_000_000 + micros(m[P_UNIX.g.frac]);
  return afterTimestamp(line, tsEnd, ENV_UNIX, Number.isSafeInteger(timeUs), false, { timeText: line.slice(0, tsEnd - 1), timeUs });
}

function tryMonotonic(line: string): EnvelopeResult | undefined {
  const m = RE_MONOTONIC.exec(line);
  if (m === null) return undefined;
  const tsEnd = m[0].length;
  return afterTimestamp(line, tsEnd, ENV_MONOTONIC, true, false, { timeText: line.slice(0, tsEnd - 1) });
}

// ---------------------------------------------------------------------------------------------
// `name: ` prefix

function isNameChar(c: number): boolean {
  return isDigit(c) || isLetter(c) || c === 0x2e || c === 0x2d || c === 0x5f; // . - _
}

function tryPrefix(line: string): EnvelopeResult | undefined {
  // Cheap gate: a name, then `: `, `[pid]: ` or compose's blanks and `| `. Bare klog lines
  // (`I0607 14:…`) fail at the first character after their first space.
  const max = Math.min(line.length, 254);
  let i = 0;
  while (i < max && isNameChar(line.charCodeAt(i))) i++;
  if (i === 0) return undefined;
  let after = line.charCodeAt(i);
  if (after === 0x20) {
    while (after === 0x20) after = line.charCodeAt(++i);
    if (after !== 0x7c /* | */) return undefined;
  } else if (after === 0x3a ? line.charCodeAt(i + 1) !== 0x20 : after !== 0x5b) return undefined;
  const m = P_PREFIX.re.exec(line);
  if (m === null) return undefined;
  const payloadStart = m[0].length;
  const name = m[P_PREFIX.g.name]!;
  const pid = m[P_PREFIX.g.pid];
  // a syslog tag left in front (its timestamp and host cut off) names the program, not the node
  // an export's field name (`textPayload: …`) names nothing
  const transport = pid !== undefined ? { ident: name, pid: Number(pid) } : RE_PREFIX_IDENT.test(name) ? { ident: name } : RE_PREFIX_FIELD.test(name) ? {} : { host: name };
  return {
    kind: 'line',
    envelope: ENV_PREFIX,
    transport,
    payload: line.slice(payloadStart),
    payloadStart,
  };
}

// ---------------------------------------------------------------------------------------------
// journalctl -o json

const utf8 = new TextDecoder('utf-8');

function isByteArray(v: unknown[]): v is number[] {
  for (const b of v) if (typeof b !== 'number') return false;
  return true;
}

/** A journal field's text: a string, an array of byte numbers, or (field repeated) the first of several values. */
function fieldText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v) || v.length === 0) return undefined;
  if (isByteArray(v)) return utf8.decode(Uint8Array.from(v));
  return fieldText(v[0]);
}

function fieldInt(v: unknown): number | undefined {
  const s = fieldText(v);
  if (s === undefined || s.length === 0 || s.length > 16) return undefined;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

function tryJournalJson(line: string): EnvelopeResult | undefined {
  if (line.charCodeAt(1) !== 0x22 /* " */ || !RE_JOURNAL_START.test(line)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    return reject('bad-json', `journal JSON entry does not parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return reject('bad-json', 'journal JSON entry is not an object');
  }
  const o = parsed as Record<string, unknown>;
  const realtime = o.__REALTIME_TIMESTAMP;
  if (o.MESSAGE === undefined && realtime === undefined) return undefined; // upper-case keys, but not a journal entry

  const transport: Transport = {};
  const host = fieldText(o._HOSTNAME);
  if (host !== undefined) transport.host = host;
  const ident = fieldText(o.SYSLOG_IDENTIFIER) ?? fieldText(o._COMM);
  if (ident !== undefined) transport.ident = ident;
  const pid = fieldInt(o._PID) ?? fieldInt(o.SYSLOG_PID);
  if (pid !== undefined) transport.pid = pid;
  const timeUs = fieldInt(realtime);
  if (timeUs !== undefined) transport.timeUs = timeUs;
  const timeText = fieldText(realtime);
  if (timeText !== undefined) transport.timeText = timeText;

  // `journalctl -o json` prints null for a field over 4096 bytes unless run with --all: the
  // kubelet wrote a line here whose text the export left out.
  if (o.MESSAGE === null) {
    return reject('omitted-by-journal', 'journalctl left this MESSAGE out (over 4096 bytes): export with `journalctl -o json --all`');
  }
  const payload = fieldText(o.MESSAGE);
  if (payload === undefined) return { kind: 'foreign', foreignKind: 'blank', transport };
  return { kind: 'line', envelope: ENV_JOURNAL, transport, payload, payloadStart: -1 };
}

// ---------------------------------------------------------------------------------------------
// Docker's json-file log of the kubelet's output (the kubelet in a container: RKE1, kubelet-in-docker)

function tryDockerJson(line: string): EnvelopeResult | undefined {
  if (!RE_DOCKER_JSON.test(line)) return undefined;
  const o = parsedObject(line);
  if (o === undefined || typeof o.log !== 'string') return undefined;
  const transport: Transport = {};
  stampTime(transport, str(o.time));
  let payload = o.log;
  if (payload.endsWith('\n')) payload = payload.slice(0, -1);
  if (payload.endsWith('\r')) payload = payload.slice(0, -1);
  if (payload.trim() === '') return { kind: 'foreign', foreignKind: 'blank', transport };
  return { kind: 'line', envelope: ENV_CONTAINER, transport, payload, payloadStart: -1 };
}

// ---------------------------------------------------------------------------------------------
// Log platforms' exports: Cloud Logging LogEntry, CloudWatch Logs event

const RE_RFC3339_TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?([Zz]|[+-]\d\d:?\d\d)$/;

/** An export entry's RFC 3339 time with its zone, as the transport time (left out when it is none). */
function stampTime(t: Transport, text: string | undefined): void {
  const us = text === undefined ? undefined : rfc3339Us(text);
  if (us === undefined) return;
  t.timeUs = us;
  t.timeText = text;
}

/** An RFC 3339 time with its zone (Cloud Logging's `timestamp`) as epoch µs. */
function rfc3339Us(text: string): number | undefined {
  const m = RE_RFC3339_TIME.exec(text);
  if (m === null) return undefined;
  const clock = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), micros: Number((m[7] ?? '').padEnd(6, '0').slice(0, 6)) };
  if (!isValidWallClock(clock)) return undefined;
  const offset = parseOffset(m[8]!);
  return offset === undefined ? undefined : wallToEpochUs(clock, offset);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * One entry of a logging platform's export: the text the node wrote (a klog line, a kubelet JSON
 * record, or a whole syslog/journal line, whose own envelope is then read), with the entry's time
 * (it states its year and zone) and the node the platform names.
 */
function tryLogExport(line: string): EnvelopeResult | undefined {
  if (!RE_EXPORT.test(line)) return undefined;
  const parsed = parsedObject(line);
  if (parsed === undefined) return undefined;
  // an Elasticsearch search hit: the document is its _source; a Splunk export row: its result
  const o = isRecord(parsed._source) ? parsed._source : isRecord(parsed.result) && 'preview' in parsed ? parsed.result : parsed;
  if (typeof o['@timestamp'] === 'string' && typeof o.message === 'string') return ecsDocument(o);
  if (typeof o._raw === 'string') return splunkEvent(o);
  const transport: Transport = {};
  const labels = isRecord(o.resource) && isRecord(o.resource.labels) ? o.resource.labels : {};
  const host = str(labels.node_name) ?? (isRecord(o.labels) ? str(o.labels['compute.googleapis.com/resource_name']) : undefined);
  if (host !== undefined) transport.host = host;
  const logName = str(o.logName);
  if (logName !== undefined) transport.ident = decodeURIComponent(logName.slice(logName.lastIndexOf('/') + 1));
  const t = o.timestamp;
  const timeUs = typeof t === 'number' && Number.isFinite(t) ? Math.round(t * 1000) : typeof t === 'string' ? rfc3339Us(t) : undefined;
  if (timeUs !== undefined) {
    transport.timeUs = timeUs;
    transport.timeText = String(t);
  }
  let text: string | null | undefined;
  const jp = o.jsonPayload;
  if (typeof o.textPayload === 'string') text = o.textPayload;
  else if (isRecord(jp)) text = agentRecordText(jp, transport);
  else if (typeof o.message === 'string') text = o.message;
  else if (typeof o.line === 'string' && isRecord(o.labels)) {
    // logcli -o jsonl
    text = o.line;
    Object.assign(transport, lokiNames(o.labels));
  } else return undefined;
  return inner(text, transport, 1);
}

/** A Splunk event as its exports write it: `_raw` (the line as the forwarder read it), `_time`, `host`. */
function splunkEvent(o: Record<string, unknown>): EnvelopeResult {
  const transport: Transport = {};
  const host = str(o.host);
  if (host !== undefined) transport.host = host;
  stampTime(transport, str(o._time));
  return inner(o._raw as string, transport, 1);
}

/** A Filebeat / Elastic Agent document (Elastic Common Schema): `@timestamp`, `message`, host, unit, pid. */
function ecsDocument(o: Record<string, unknown>): EnvelopeResult {
  const field = (a: string, b: string): unknown => (isRecord(o[a]) ? (o[a] as Record<string, unknown>)[b] : undefined);
  const transport: Transport = {};
  const host = str(field('host', 'name')) ?? str(field('host', 'hostname')) ?? str(field('agent', 'hostname'));
  if (host !== undefined) transport.host = host;
  const ident = str(field('syslog', 'identifier')) ?? str(field('systemd', 'unit'))?.replace(/\.service$/, '') ?? str(field('process', 'name'));
  if (ident !== undefined) transport.ident = ident;
  const pid = field('process', 'pid');
  if (typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0) transport.pid = pid;
  stampTime(transport, o['@timestamp'] as string);
  return inner(o.message as string, transport, 1);
}

/**
 * The text of a record that a node's log agent made of one line — the journal's fields, as they are
 * or renamed (`hostname`, `systemd_unit`, `message`: Container Insights), or a kubelet JSON record
 * (its JSON text, `ts` first) — filling `t` with the names it gives. null: the journal left it out.
 */
function agentRecordText(o: Record<string, unknown>, t: Transport): string | null | undefined {
  if (typeof o.ts === 'number' && typeof o.msg === 'string') return JSON.stringify({ ts: o.ts, ...o });
  const host = fieldText(o._HOSTNAME) ?? str(o.hostname) ?? str(o.host);
  if (host !== undefined && t.host === undefined) t.host = host;
  const unit = fieldText(o._SYSTEMD_UNIT) ?? str(o.systemd_unit);
  const ident = fieldText(o.SYSLOG_IDENTIFIER) ?? fieldText(o._COMM) ?? unit?.replace(/\.service$/, '');
  if (ident !== undefined) t.ident = ident;
  const pid = fieldInt(o._PID) ?? fieldInt(o.SYSLOG_PID) ?? fieldInt(o.pid);
  if (pid !== undefined) t.pid = pid;
  if (o.MESSAGE === null) return null;
  return fieldText(o.MESSAGE) ?? str(o.message) ?? str(o.log) ?? str(o.msg);
}

/**
 * The exported text, which may itself be a syslog or journal line or a log agent's JSON record:
 * its envelope's names, the entry's time. `depth`: JSON records unwrapped so far.
 */
function inner(text: string | null | undefined, outer: Transport, depth: number): EnvelopeResult {
  if (text === null) return reject('omitted-by-journal', 'the export left this MESSAGE out');
  if (text === undefined) return { kind: 'foreign', foreignKind: 'text', transport: outer };
  if (text.endsWith('\n')) text = text.slice(0, -1);
  if (text.trim() === '') return { kind: 'foreign', foreignKind: 'blank', transport: outer };
  if (text.charCodeAt(0) === 0x7b /* { */) {
    // a log agent's record as the message (a kubelet JSON line stays one)
    const o = text.startsWith('{"ts":') || depth > 1 ? undefined : parsedObject(text);
    if (o === undefined) return { kind: 'line', envelope: ENV_EXPORT, transport: outer, payload: text, payloadStart: -1 };
    const transport = { ...outer };
    return inner(agentRecordText(o, transport), transport, depth + 1);
  }
  const r = detect(text);
  if ((r.kind === 'line' && r.envelope === 'none') || r.kind === 'reject') return { kind: 'line', envelope: ENV_EXPORT, transport: outer, payload: text, payloadStart: -1 };
  const transport: Transport = { ...outer };
  const t = r.transport;
  if (t?.host !== undefined) transport.host = t.host;
  if (t?.ident !== undefined) transport.ident = t.ident;
  if (t?.pid !== undefined) transport.pid = t.pid;
  if (transport.timeUs === undefined && t?.timeUs !== undefined) {
    transport.timeUs = t.timeUs;
    if (t.timeText !== undefined) transport.timeText = t.timeText;
  }
  if (r.kind === 'foreign') return { kind: 'foreign', foreignKind: r.foreignKind, transport };
  const out: EnvelopeResult = { kind: 'line', envelope: ENV_EXPORT, transport, payload: r.payload, payloadStart: -1 };
  // a wall time without a year is left to the entry's own time, which has one
  if (outer.timeUs === undefined) {
    if (r.clock !== undefined) out.clock = r.clock;
    if (r.offsetMinutes !== undefined) out.offsetMinutes = r.offsetMinutes;
  }
  return out;
}

function parsedObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Other exports

/** The year-bearing time of a klog log file's first line (`Log file created at: 2019/08/20 20:28:26`), local to the kubelet. */
export function klogFileHeaderTime(line: string): WallClock | undefined {
  const m = P_CREATED_AT.re.exec(line);
  if (m === null) return undefined;
  const g = P_CREATED_AT.g;
  const clock = datedClock(m, g); // no fraction group: 0 µs
  return isValidWallClock(clock) ? clock : undefined;
}

const foreignExact: ReadonlySet<string> = new Set(data.knownForeignIdents.exact.map((s) => s.toLowerCase()));
const foreignPrefixes: readonly string[] = data.knownForeignIdents.prefixes.map((s) => s.toLowerCase());
const foreignCache = new Map<string, boolean>();

function computeKnownForeign(ident: string): boolean {
  const lower = ident.toLowerCase();
  if (foreignExact.has(lower)) return true;
  const slash = lower.lastIndexOf('/');
  if (slash >= 0 && foreignExact.has(lower.slice(slash + 1))) return true;
  for (const p of foreignPrefixes) if (lower.startsWith(p)) return true;
  return false;
}

/**
 * True for syslog identifiers that are never the kubelet (systemd, systemd-*, dockerd, containerd,
 * crio, kernel, sshd, CRON, kube-proxy, …; list in schemas/envelopes.json). False for `kubelet`,
 * `kubelet.sh`, and for programs that embed a kubelet (k3s, rke2, microshift, kubelite).
 */
export function isKnownForeignIdent(ident: string): boolean {
  let v = foreignCache.get(ident);
  if (v === undefined) {
    v = computeKnownForeign(ident);
    if (foreignCache.size >= 4096) foreignCache.clear();
    foreignCache.set(ident, v);
  }
  return v;
}

/**
 * A component name in front of a klog header inside a payload (MicroShift: `kubelet I0128 17:55:40…`,
 * `kube-apiserver I0128 …`): the component and the index where the klog header starts, else undefined.
 */
export function splitComponentPrefix(payload: string): { component: string; start: number } | undefined {
  const c0 = payload.charCodeAt(0);
  if (!(c0 >= 0x61 && c0 <= 0x7a)) return undefined; // lower-case letter
  const m = RE_COMPONENT.exec(payload);
  if (m === null) return undefined;
  return { component: payload.slice(0, m[0].length - 1), start: m[0].length };
}
