// Physical lines → logical records. Per line: strip the envelope, then decide whether the text
// starts a record (klog header, kubelet JSON, Go crash output, a header-less `"msg" key=…`) or
// continues the previous record of the same stream (an open `key=<` block or bracket, indented
// text, any header-less line after a klog record, the rest of a goroutine dump), or is not the
// kubelet's at all (foreign). A header-less line written long after the record before it never
// continues that record.
// Every line read ends up in exactly one of: a record, a foreign line, a rejected line.
import { splitEnvelope, splitComponentPrefix, klogFileHeaderTime, isKnownForeignIdent, type EnvelopeResult } from './envelope/index.js';
import { TimeResolver, type TimeBasis } from './resolve-time.js';
import { TimeOrder, newestFirstMessage } from './time-order.js';
import { HELD_INVALID_UTF8, HELD_TOO_LONG, LineHold } from './lookahead.js';
import { abbreviationOffset, parseOffset } from './zone.js';
import { scanKlogHeader, type KlogHeader } from './klog-header.js';
import { feedLine, isOpen, newOpenState, type OpenState } from './open-state.js';
import { looksStructured, parseStructuredBody } from './body/index.js';
import { matchPrintf } from './printf.js';
import { readKubeletJson } from './kubelet-json.js';
import { CrashScanner, crashOpener, summarizeCrash, type CrashOpener } from './go-crash.js';
import { farApart } from './line-gap.js';
import type { PhysicalLine } from './lines.js';
import type {
  BodyFormat,
  Diagnostic,
  EnvelopeKind,
  ForeignKind,
  LogRecord,
  ParseCounts,
  ParseEvent,
  ParseOptions,
  RejectReason,
  TimeReport,
  Transport,
} from './types.js';
import { MAX_VALUE_DEPTH } from './depth.js';

export const DEFAULT_MAX_LINE_LENGTH = 1 << 20;
/** A record whose stream has been silent for this many lines is complete. */
const STALE_LINES = 2000;

interface Pending extends TimeBasis {
  stream: string;
  line: number;
  endLine: number;
  offset: number;
  lineCount: number;
  envelope: EnvelopeKind;
  format: BodyFormat;
  transport?: Transport;
  header?: KlogHeader;
  bodyLines: string[];
  rawLines: string[];
  /** A `"msg" key=…` body: may expect more lines (see `openState`). */
  structured: boolean;
  /** Whether the body expects more lines; computed only once a header-less line asks. */
  open?: OpenState;
  /** The envelope of the record's last line: its transport time decides whether a line can join. */
  lastEnv: EnvelopeLine;
  /** A Go crash record (format `crash`): which lines still belong to it. */
  crash?: CrashScanner;
}

/** rsyslog's escape for the TAB that starts `key=<` block lines: `#011` (or `\011`), possibly repeated. */
const ESCAPED_TABS = /^(?:#011|\\011)+/;

type EnvelopeLine = Extract<EnvelopeResult, { kind: 'line' }>;

/** Lines `line`…`endLine` of a record, the first at byte `offset` (0 = the first byte parsed). */
export interface OpenSpan {
  line: number;
  endLine: number;
  offset: number;
}

/** One physical line after its envelope was read: what every record constructor needs. */
interface LineCtx {
  env: EnvelopeLine;
  /** The whole physical line, envelope included. */
  raw: string;
  streamId: string;
  lineNo: number;
  offset: number;
}

export class RecordAssembler {
  readonly counts: ParseCounts = {
    linesRead: 0,
    bytesRead: 0,
    records: 0,
    recordLines: 0,
    foreign: 0,
    rejected: 0,
    foreignByKind: {},
    rejectedByReason: {},
    diagnostics: 0,
  };
  private readonly pending = new Map<string, Pending>();
  /** Streams (host + ident) that have written klog or JSON records: their plain lines are the kubelet's. */
  private readonly kubeletStreams = new Set<string>();
  /** Streams whose records are header-less: each `"msg" …` or plain line there is a record. */
  private readonly headerlessStreams = new Set<string>();
  private readonly times: TimeResolver;
  private readonly order = new TimeOrder();
  /** Lines waiting for the year or zone to be settled (bounded lookahead). */
  private readonly hold = new LineHold();
  private readonly keys = new StreamKeys();
  private readonly maxLineLength: number;
  /** The line after the last one pushed, and its offset. */
  private nextLine = 1;
  private nextOffset = 0;
  /** Emitted records with other streams' lines between their own, while they may reach past {@link openFrom}. */
  private spanning: OpenSpan[] = [];
  private spanningCap = 1024;

  constructor(
    opts: ParseOptions,
    private readonly emit: (e: ParseEvent) => void,
  ) {
    this.maxLineLength = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.times = new TimeResolver(opts, { diagnose: (level, code, message, line) => this.diagnose(level, code, message, line) });
  }

  /** What was assumed to date the input, and how often it disagreed (complete after end()). */
  timeReport(): TimeReport {
    const report = this.times.report();
    const order = this.order.newestFirst();
    if (order) report.newestFirst = { line: order.line, message: newestFirstMessage(order) };
    return report;
  }

  /** The resolver, for a caller that stores the settled assumptions (ingest). */
  get timeResolver(): TimeResolver {
    return this.times;
  }

  /**
   * The earliest line not yet in an emitted entry whose record is still open: where a parse can
   * start again from scratch (after a kill, or when the input grows) so that, with the entries
   * emitted before this line, nothing is lost or emitted twice. It is the first line of the
   * earliest pending record or of a line waiting for the time to settle, else the next line; and
   * below an emitted record that has another stream's lines between its own and reaches here (its
   * lines would be read again), that record's first line. Never goes back.
   */
  openFrom(): OpenSpan {
    let at: OpenSpan = { line: this.nextLine, endLine: this.nextLine, offset: this.nextOffset };
    const held = this.hold.first();
    if (held && held.line < at.line) at = { line: held.line, endLine: held.line, offset: held.offset };
    for (const p of this.pending.values()) if (p.line < at.line) at = p;
    for (let lowered = true; lowered; ) {
      lowered = false;
      for (const s of this.spanning) {
        if (s.line < at.line && s.endLine >= at.line) {
          at = s;
          lowered = true;
        }
      }
    }
    const line = at.line;
    if (this.spanning.length) this.spanning = this.spanning.filter((s) => s.endLine >= line);
    return { line, endLine: at.endLine, offset: at.offset };
  }

  /** One physical line (or a folded entry of several, `line.parts`), without its line terminator. */
  pushLine(line: PhysicalLine): void {
    const { lineNo, offset, bytes, parts } = line;
    const last = parts ? parts[parts.length - 1]! : line;
    this.nextLine = last.lineNo + 1;
    this.nextOffset = last.offset + last.bytes;
    let text = line.text;
    const tooLong = line.overlong || text.length > this.maxLineLength;
    if (!tooLong && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    const env = tooLong ? undefined : splitEnvelope(text);
    // every line is observed for time once, in order; one that needs the year or zone before it
    // is settled waits, with every line after it
    const waits = env !== undefined && this.observe(env, text, lineNo, bytes);
    if (waits || this.hold.size > 0) {
      const flags = (tooLong ? HELD_TOO_LONG : 0) | (line.invalidUtf8 ? HELD_INVALID_UTF8 : 0);
      this.hold.add(text, lineNo, offset, bytes, flags, this.times.lineYear, this.times.lineState, parts);
      if (this.times.decided) this.release();
      return;
    }
    this.process(text, lineNo, offset, bytes, line.invalidUtf8, tooLong, env, parts);
  }

  private observe(env: EnvelopeResult, text: string, lineNo: number, bytes: number): boolean {
    if (env.kind === 'line') return this.times.observe(env, lineNo, bytes);
    if (env.kind === 'foreign') this.anchorTime(env.foreignKind, text, lineNo);
    return false;
  }

  /** The year and zone are settled: parse the lines that waited, as they were observed. */
  private release(): void {
    this.hold.drain((text, lineNo, offset, bytes, flags, year, state, parts) => {
      const tooLong = (flags & HELD_TOO_LONG) !== 0;
      const env = tooLong ? undefined : splitEnvelope(text);
      if (env?.kind === 'line') this.times.restore(env.clock, year, state);
      this.process(text, lineNo, offset, bytes, (flags & HELD_INVALID_UTF8) !== 0, tooLong, env, parts);
    });
  }

  private process(text: string, lineNo: number, offset: number, bytes: number, invalidUtf8: boolean, tooLong: boolean, env: EnvelopeResult | undefined, parts?: PhysicalLine[]): void {
    if (parts) {
      // a folded entry is one line of a record, or else the physical lines it was
      if (env?.kind !== 'line' || tooLong) {
        for (const p of parts) this.processPart(p);
        return;
      }
      this.span = parts;
      try {
        this.process(text, lineNo, offset, bytes, invalidUtf8, tooLong, env);
      } finally {
        this.span = undefined;
      }
      return;
    }
    this.counts.linesRead += this.linesOf(lineNo);
    this.counts.bytesRead += bytes;
    if ((lineNo & 1023) === 0 && this.pending.size > 1) this.flushStale(lineNo);
    if (tooLong || env === undefined) {
      this.reject(lineNo, offset, 'too-long', text, `line is ${bytes} bytes, over the limit of ${this.maxLineLength}`);
      return;
    }
    if (env.kind === 'reject') {
      this.reject(lineNo, offset, env.reason, text, env.message);
      return;
    }
    if (invalidUtf8) this.diagnose('warning', 'invalid-utf8', 'invalid UTF-8 bytes replaced by U+FFFD', lineNo);
    if (env.kind === 'foreign') {
      this.foreignMarker(env.foreignKind, text, lineNo, offset, env.transport);
      return;
    }
    this.classify(env, text, lineNo, offset);
  }

  /** One physical line of a folded entry that is no record line, as it would have come unfolded. */
  private processPart(p: PhysicalLine): void {
    const tooLong = p.overlong || p.text.length > this.maxLineLength;
    const text = tooLong ? p.text : withoutCr(p.text);
    this.process(text, p.lineNo, p.offset, p.bytes, p.invalidUtf8, tooLong, tooLong ? undefined : splitEnvelope(text));
  }

  /** The physical lines of the folded entry being processed (parser/pretty-json.ts), if it is one. */
  private span: PhysicalLine[] | undefined;

  /** The last physical line of the line being processed, and how many it spans. */
  private lastLineOf(lineNo: number): number {
    return this.foldedAt(lineNo) ? this.span![this.span!.length - 1]!.lineNo : lineNo;
  }

  private linesOf(lineNo: number): number {
    return this.foldedAt(lineNo) ? this.span!.length : 1;
  }

  private foldedAt(lineNo: number): boolean {
    return this.span !== undefined && this.span[0]!.lineNo === lineNo;
  }

  /** The input ended: settle the year and zone with what was seen, parse what waited, complete every pending record. */
  end(): void {
    this.times.decide();
    this.release();
    this.completeAll();
    const order = this.order.newestFirst();
    if (order) this.diagnose('warning', 'newest-first', newestFirstMessage(order), order.line);
  }

  private completeAll(): void {
    for (const p of [...this.pending.values()]) this.finish(p);
    this.pending.clear();
  }

  // ---- classification -------------------------------------------------------------------

  private classify(env: EnvelopeLine, text: string, lineNo: number, offset: number): void {
    const payload = env.payload;
    const streamId = this.keys.streamOf(env.transport);
    // a folded entry's raw text is its physical lines, as they were written
    const raw = this.foldedAt(lineNo) ? this.span!.map((p) => withoutCr(p.text)).join('\n') : text;
    const ctx: LineCtx = { env, raw, streamId, lineNo, offset };
    // k0s's other components (and dockerd) write logrus lines into the kubelet's stream: never a
    // record of it, nor the rest of one
    if (env.otherProgram) {
      this.foreignLine('other-program', text, lineNo, offset, env.transport);
      return;
    }

    // 1. a klog header starts a record (after a component word in one-binary distributions:
    //    MicroShift writes `microshift[779521]: kubelet I0128 …`)
    let scan = scanKlogHeader(payload);
    if (!scan.ok && !scan.impossible && payload.charCodeAt(0) >= 0x61) {
      const comp = splitComponentPrefix(payload);
      if (comp) {
        const inner = scanKlogHeader(payload, comp.start);
        if (inner.ok) scan = inner;
      }
    }
    if (scan.ok) {
      this.startKlog(ctx, scan.header);
      return;
    }
    if (scan.impossible) {
      this.reject(lineNo, offset, 'bad-header', text, 'klog header with an impossible date or time');
      return;
    }
    // 2. kubelet JSON (`--logging-format=json`)
    if (payload.charCodeAt(0) === 123 && payload.startsWith('{"ts":')) {
      this.startJson(ctx);
      return;
    }
    // the lines of one record are written together: a header-less line long after is new output
    const pending = this.pending.get(streamId);
    const prev = pending && !farApart(pending.lastEnv, env) ? pending : undefined;
    if (!prev && env.envelope === 'none' && this.continuesWrapped(lineNo)) {
      this.continueRecord(this.lastTaken!, ctx);
      return;
    }
    // 3. Go runtime crash output (panic, fatal error, signal, goroutine dump): one record of its
    //    own, except the stack a klog error or fatal record prints after itself
    if (prev?.crash?.accepts(payload)) {
      this.continueRecord(prev, ctx);
      return;
    }
    const opener = crashOpener(payload);
    if (opener !== undefined && !(opener === 'goroutine' && logsOwnStack(prev))) {
      if (this.isForeignText(env)) this.foreignLine('other-program', text, lineNo, offset, env.transport);
      else this.startCrash(ctx, opener);
      return;
    }
    // 4. continuation of an open structured body (block, bracket, dangling key)
    const prevOpen = prev ? this.openState(prev) : undefined;
    if (prev && prevOpen && isOpen(prevOpen)) {
      const fresh = prev.format === 'headerless' && prevOpen.depth > 0 && startsHeaderlessPair(payload);
      if (!fresh) {
        this.continueRecord(prev, ctx);
        return;
      }
    }
    // 5. a header-less structured line (`"msg" key=value`, klog header stripped)
    const trimmed = payload.trimStart();
    if (looksStructured(trimmed)) {
      this.startHeaderless(ctx, trimmed, true);
      return;
    }
    if (prev) {
      // 6. indented text, or anything header-less after a klog record, belongs to it
      const c = payload.charCodeAt(0);
      // (in header-less streams only an open record continues: authors indent whole records)
      if (prev.format === 'klog' || (prev.format === 'text' && (c === 32 || c === 9 || payload.startsWith('#011')))) {
        this.continueRecord(prev, ctx);
        return;
      }
    }
    // 7. printf text in a header-less stream is a record of its own (`Destroyed container: …`)
    if (this.headerlessStreams.has(streamId)) {
      this.startHeaderless(ctx, trimmed, false);
      return;
    }
    // 8. plain text from the kubelet's own stream (`Flag --x has been deprecated`), else foreign
    if (env.envelope !== 'none' && env.transport?.ident !== undefined) {
      if (this.isForeignText(env)) this.foreignLine('other-program', text, lineNo, offset, env.transport);
      else this.startText(ctx);
      return;
    }
    // a bare file (or timestamped container log) that has carried klog is the kubelet's; elsewhere
    // unattached text is foreign
    const untagged = env.envelope === 'none' || env.transport?.host === undefined;
    if (untagged && this.kubeletStreams.has(this.keys.identOf(env.transport))) this.startText(ctx);
    else this.foreignLine('text', text, lineNo, offset, env.transport);
  }

  /**
   * A line a terminal wrapped at its edge (copied from `journalctl --no-pager`): no envelope, right
   * below a line of a record that stops mid-structure or is a crash's stack (a frame cut in two).
   */
  private continuesWrapped(lineNo: number): boolean {
    const p = this.lastTaken;
    if (p === undefined || p.endLine !== lineNo - 1 || this.pending.get(p.stream) !== p) return false;
    if (p.crash) return true;
    if (!p.structured) {
      // printf-era text prints structs with %+v: a `{` the line leaves open was cut by the wrap
      if (p.format !== 'klog') return false;
      const text = newOpenState();
      for (const line of p.bodyLines) feedLine(text, line);
      return text.depth > 0;
    }
    const open = this.openState(p);
    return open !== undefined && isOpen(open);
  }

  /** The pending record that took the last line given to one. */
  private lastTaken: Pending | undefined;

  /** A syslog/journal line of another program (containerd, systemd): its text is not the kubelet's. */
  private isForeignText(env: EnvelopeLine): boolean {
    const ident = env.transport?.ident;
    if (env.envelope === 'none' || ident === undefined) return false;
    return isKnownForeignIdent(ident) || !(this.kubeletStreams.has(this.keys.identOf(env.transport)) || looksLikeKubeletIdent(ident));
  }

  private startKlog(ctx: LineCtx, header: KlogHeader): void {
    const body = ctx.env.payload.slice(header.bodyStart);
    const p = this.open(ctx, 'klog', body, body.charCodeAt(0) === 34);
    p.header = header;
    this.kubeletStreams.add(this.keys.identOf(ctx.env.transport));
    this.headerlessStreams.delete(ctx.streamId);
  }

  private startJson(ctx: LineCtx): void {
    const parsed = readKubeletJson(ctx.env.payload);
    if (!parsed.ok) {
      this.reject(ctx.lineNo, ctx.offset, 'bad-json', ctx.raw, parsed.error);
      return;
    }
    this.flushStream(ctx.streamId);
    this.kubeletStreams.add(this.keys.identOf(ctx.env.transport));
    const r = parsed.record;
    const record = newRecord(ctx.lineNo, this.lastLineOf(ctx.lineNo), ctx.offset, ctx.env.envelope, 'json', ctx.env.transport, ctx.raw);
    record.severity = r.severity;
    if (r.timeUs !== undefined) record.timeUs = r.timeUs;
    if (r.caller !== undefined) record.caller = r.caller;
    record.msg = r.msg;
    record.structured = r.structured;
    record.kv = r.kv;
    if (r.v !== undefined) record.v = r.v;
    if (r.tooDeep) this.diagnose('warning', 'too-deep', `${describeIssue('too-deep')}: kept as text from level ${MAX_VALUE_DEPTH} on`, ctx.lineNo);
    if (!r.structured) {
      const m = matchPrintf(r.msg);
      if (m) {
        record.printf = m.id;
        for (const k in m.kv) if (!(k in record.kv)) record.kv[k] = m.kv[k]!;
      }
    }
    this.emitRecord(record, this.linesOf(ctx.lineNo), this.times.stamp<TimeBasis>({ year: 0, yearRel: false }));
  }

  private startHeaderless(ctx: LineCtx, body: string, structured: boolean): void {
    this.open(ctx, 'headerless', body, structured);
    this.headerlessStreams.add(ctx.streamId);
  }

  private startText(ctx: LineCtx): void {
    this.open(ctx, 'text', ctx.env.payload, false);
  }

  private startCrash(ctx: LineCtx, opener: CrashOpener): void {
    this.open(ctx, 'crash', ctx.env.payload, false).crash = new CrashScanner(opener);
  }

  /** Complete the stream's previous record and start a pending one with this line. */
  private open(ctx: LineCtx, format: BodyFormat, body: string, structured: boolean): Pending {
    this.flushStream(ctx.streamId);
    const p: Pending = {
      stream: ctx.streamId,
      line: ctx.lineNo,
      endLine: this.lastLineOf(ctx.lineNo),
      offset: ctx.offset,
      lineCount: this.linesOf(ctx.lineNo),
      envelope: ctx.env.envelope,
      format,
      bodyLines: [body],
      rawLines: [ctx.raw],
      structured,
      lastEnv: ctx.env,
      clock: undefined,
      year: 0,
      yearRel: false,
    };
    this.times.stamp(p);
    const transport = ctx.env.transport;
    if (transport) p.transport = transport;
    this.pending.set(ctx.streamId, p);
    this.lastTaken = p;
    return p;
  }

  private continueRecord(p: Pending, ctx: LineCtx): void {
    // rsyslog escapes the TAB that starts each `key=<` block line as `#011`
    const env = ctx.env.envelope;
    const body = env === 'syslog' || env === 'syslog-iso' ? ctx.env.payload.replace(ESCAPED_TABS, (m) => '\t'.repeat(m.length / 4)) : ctx.env.payload;
    p.bodyLines.push(body);
    p.rawLines.push(ctx.raw);
    p.endLine = this.lastLineOf(ctx.lineNo);
    p.lineCount += this.linesOf(ctx.lineNo);
    p.lastEnv = ctx.env;
    this.lastTaken = p;
    if (p.open) feedLine(p.open, body);
    p.crash?.feed(body);
  }

  /** Most records are one line and never asked; the scan runs when a header-less line comes. */
  private openState(p: Pending): OpenState | undefined {
    if (!p.structured) return undefined;
    if (!p.open) {
      p.open = newOpenState();
      for (const line of p.bodyLines) feedLine(p.open, line);
    }
    return p.open;
  }

  // ---- completion -----------------------------------------------------------------------

  /**
   * A record starts in `streamId`: complete that stream's pending record, and every other
   * stream's too unless it is visibly open (a block or bracket awaiting lines), so that records
   * come out in input order even when a process stops mid-stream (a kubelet restart).
   */
  private flushStream(streamId: string): void {
    for (const [id, p] of this.pending) {
      if (id !== streamId) {
        const open = this.openState(p);
        if (open && isOpen(open)) continue;
      }
      this.pending.delete(id);
      this.finish(p);
    }
  }

  private flushStale(lineNo: number): void {
    for (const [id, p] of this.pending) {
      if (lineNo - p.endLine > STALE_LINES) {
        this.pending.delete(id);
        this.finish(p);
      }
    }
  }

  private finish(p: Pending): void {
    // trailing blank lines inside a header-less record were separators, not content
    while (p.lineCount > 1 && p.bodyLines[p.bodyLines.length - 1]!.trim() === '' && !this.openState(p)?.inBlock) {
      p.bodyLines.pop();
      p.rawLines.pop();
      p.lineCount--;
      p.endLine--;
      this.foreignLine('blank', '', p.endLine + 1, -1);
    }
    if (p.lineCount !== p.endLine - p.line + 1) this.noteSpanning(p);
    const single = p.bodyLines.length === 1;
    const body = single ? p.bodyLines[0]! : p.bodyLines.join('\n');
    const record = newRecord(p.line, p.endLine, p.offset, p.envelope, p.format, p.transport, single ? p.rawLines[0]! : p.rawLines.join('\n'));
    if (p.header) {
      record.severity = p.header.severity;
      record.klogTime = p.header.timeText;
      record.pid = p.header.pid;
      record.caller = p.header.caller;
    }
    if (p.structured) {
      const parsed = parseStructuredBody(body);
      record.msg = parsed.msg;
      record.kv = parsed.kv;
      record.structured = true;
      for (const issue of parsed.issues) {
        const level = issue.code === 'duplicate-key' ? 'info' : 'warning';
        this.diagnose(level, issue.code, `${describeIssue(issue.code)}: ${issue.detail}`, p.line);
      }
    } else if (p.format === 'crash') {
      const crash = summarizeCrash(p.bodyLines);
      record.severity = 'F';
      record.msg = crash.msg;
      record.kv = crash.kv;
    } else {
      record.msg = p.format === 'klog' || p.format === 'headerless' ? body.trimEnd() : body;
      if (p.format !== 'text') {
        const m = matchPrintf(record.msg);
        if (m) {
          record.printf = m.id;
          record.kv = m.kv;
        }
      }
    }
    this.emitRecord(record, p.lineCount, p);
  }

  private noteSpanning(p: Pending): void {
    this.spanning.push({ line: p.line, endLine: p.endLine, offset: p.offset });
    // bounded when nobody asks (parseText): those that can no longer reach the open line go
    if (this.spanning.length >= this.spanningCap) {
      this.openFrom();
      this.spanningCap = Math.max(1024, 2 * this.spanning.length);
    }
  }

  /** Its time is set here: a record is made only once what dates it is settled. */
  private emitRecord(record: LogRecord, lines: number, basis: TimeBasis): void {
    this.counts.records++;
    this.counts.recordLines += lines;
    this.times.place(record, basis);
    this.order.see(record.timeUs, record.line);
    this.emit({ type: 'record', record });
  }

  // ---- foreign, rejected, diagnostics -------------------------------------------------------

  private foreignMarker(kind: ForeignKind, text: string, lineNo: number, offset: number, transport?: Transport): void {
    if (kind === 'klog-file-header' || kind === 'journal-marker' || kind === 'section-marker') {
      // a new file, boot or section starts: nothing continues across it
      this.completeAll();
    }
    if (kind === 'blank') {
      // a blank line inside an open record (pretty-printed JSON, a block, a goroutine dump) is part of it
      for (const p of this.pending.values()) {
        if (p.stream !== '') continue;
        const open = this.openState(p);
        if (p.crash || (open && isOpen(open))) {
          p.bodyLines.push('');
          p.rawLines.push(text);
          p.endLine = lineNo;
          p.lineCount++;
          p.crash?.feed('');
          return;
        }
      }
    }
    this.foreignLine(kind, text, lineNo, offset, transport);
  }

  /** A klog file header or a journal marker states the year (a marker also the zone) of what follows. */
  private anchorTime(kind: ForeignKind, text: string, lineNo: number): void {
    if (kind === 'klog-file-header') {
      const t = klogFileHeaderTime(text);
      if (t?.year !== undefined) this.times.anchorYear(t.year, t.month, lineNo, 'klog-file-header');
    } else if (kind === 'journal-marker') {
      // `-- Logs begin at Wed 2020-03-25 12:12:41 UTC, end at … --` dates the short-format lines below,
      // in the zone journalctl printed them in (when it is not an ambiguous name like CST)
      const m = /(\d{4})-(\d\d)-\d\d \d\d:\d\d:\d\d(?: ([A-Za-z]+|[+-]\d\d(?::?\d\d)?)\b)?/.exec(text);
      if (m) {
        this.times.anchorYear(Number(m[1]), Number(m[2]), lineNo, 'journal-marker');
        const zone = m[3] === undefined ? undefined : (parseOffset(m[3]) ?? abbreviationOffset(m[3]));
        if (zone !== undefined) this.times.anchorZone(zone, lineNo, m[0]);
      }
    }
  }

  private foreignLine(kind: ForeignKind, text: string, lineNo: number, offset: number, transport?: Transport): void {
    if (this.foldedAt(lineNo)) {
      // a folded entry of another program: its physical lines, each foreign
      const parts = this.span!;
      this.span = undefined;
      for (const p of parts) this.foreignLine(kind, p.text, p.lineNo, p.offset, transport);
      this.span = parts;
      return;
    }
    this.counts.foreign++;
    this.counts.foreignByKind[kind] = (this.counts.foreignByKind[kind] ?? 0) + 1;
    this.emit({ type: 'foreign', foreign: { line: lineNo, offset, kind, text, ...(transport ? { transport } : {}) } });
  }

  private reject(lineNo: number, offset: number, reason: RejectReason, text: string, message: string): void {
    if (this.foldedAt(lineNo)) {
      const parts = this.span!;
      this.span = undefined;
      for (const p of parts) {
        this.counts.rejected++;
        this.counts.rejectedByReason[reason] = (this.counts.rejectedByReason[reason] ?? 0) + 1;
        this.emit({ type: 'rejected', rejected: { line: p.lineNo, offset: p.offset, reason, text: p.text.length > 512 ? p.text.slice(0, 512) : p.text } });
      }
      this.span = parts;
      this.diagnose('error', reason, `${message} (the entry of lines ${lineNo}–${parts[parts.length - 1]!.lineNo})`, lineNo);
      return;
    }
    this.counts.rejected++;
    this.counts.rejectedByReason[reason] = (this.counts.rejectedByReason[reason] ?? 0) + 1;
    this.emit({ type: 'rejected', rejected: { line: lineNo, offset, reason, text: text.length > 512 ? text.slice(0, 512) : text } });
    this.diagnose('error', reason, message, lineNo);
  }

  /** A diagnostic about the input as a whole (its encoding), from before its lines are split. */
  inputDiagnostic(level: Diagnostic['level'], code: string, message: string, line: number): void {
    this.diagnose(level, code, message, line);
  }

  private diagnose(level: Diagnostic['level'], code: string, message: string, line: number): void {
    this.counts.diagnostics++;
    this.emit({ type: 'diagnostic', diagnostic: { level, code, message, line } });
  }
}

const withoutCr = (t: string): string => (t.charCodeAt(t.length - 1) === 13 ? t.slice(0, -1) : t);

/** Every record has the same shape (same key order), which keeps V8 on its fast paths. */
function newRecord(
  line: number,
  endLine: number,
  offset: number,
  envelope: EnvelopeKind,
  format: BodyFormat,
  transport: Transport | undefined,
  raw: string,
): LogRecord {
  const r: LogRecord = { line, endLine, offset, envelope, format, msg: '', structured: false, kv: {}, raw };
  if (transport) r.transport = transport;
  return r;
}

/** Stream keys: nearly every line repeats the previous line's host/ident/pid, so keep that one. */
class StreamKeys {
  private host: string | undefined;
  private ident: string | undefined;
  private pid: number | undefined;
  private stream = '';
  private identKey = '';

  private update(t: Transport): void {
    if (t.host === this.host && t.ident === this.ident && t.pid === this.pid && this.stream !== '') return;
    this.host = t.host;
    this.ident = t.ident;
    this.pid = t.pid;
    this.identKey = `${t.host ?? ''}\u0000${t.ident ?? ''}`;
    this.stream = `${this.identKey}\u0000${t.pid ?? ''}`;
  }

  /** host + ident + pid: one kubelet process's output. */
  streamOf(t: Transport | undefined): string {
    if (!t) return '';
    this.update(t);
    return this.stream;
  }

  /** host + ident: the program, across restarts. */
  identOf(t: Transport | undefined): string {
    if (!t) return '';
    this.update(t);
    return this.identKey;
  }
}

const KUBELET_IDENT = /kube|k3s|k0s|k8s|rke2|microshift|hyperkube/i;

function looksLikeKubeletIdent(ident: string): boolean {
  return KUBELET_IDENT.test(ident);
}

/** klog.Fatal and the apimachinery panic handler (`Observed a panic`) print a goroutine stack after their record. */
function logsOwnStack(p: Pending | undefined): boolean {
  return p?.format === 'klog' && (p.header?.severity === 'E' || p.header?.severity === 'F');
}

/** `"msg" key=` at the start of a line: a new header-less record even inside an open bracket. */
function startsHeaderlessPair(payload: string): boolean {
  return /^\s*"(?:[^"\\]|\\.)*"(?: [A-Za-z_][\w.]*=|\s*$)/.test(payload);
}

function describeIssue(code: string): string {
  switch (code) {
    case 'unterminated-string':
      return 'quoted value is not closed (line cut?)';
    case 'unclosed-block':
      return 'key=< block has no closing " >"';
    case 'unclosed-composite':
      return 'bracketed value is not closed';
    case 'duplicate-key':
      return 'key appears twice, later value kept as key#2';
    case 'too-deep':
      return 'value nested too deep to read as structure';
    case 'unreadable':
      return 'body could not be read, kept whole as the message';
    default:
      return 'unexpected text after a value';
  }
}
