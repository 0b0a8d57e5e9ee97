// Transport envelopes around kubelet lines (kubelet-log-formats.md §3) and the chunked output buffer.

import type { Envelope } from './types.js';
import type { Rng } from './rng.js';
import { TransportClock, type Tz, type TransportStyle } from './timefmt.js';

export type Sink = (chunk: string) => void | Promise<void>;

/** Buffers output and hands it to the sink in chunks of about `chunkSize` characters. */
export class Output {
  private buf = '';
  bytesFlushed = 0;
  lines = 0;
  constructor(
    private readonly sink: Sink,
    readonly chunkSize: number,
  ) {}

  push(s: string): void {
    this.buf += s;
  }

  get full(): boolean {
    return this.buf.length >= this.chunkSize;
  }

  /** Bytes written so far, counting the unflushed buffer as one byte per character. */
  get approxBytes(): number {
    return this.bytesFlushed + this.buf.length;
  }

  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = this.buf;
    this.buf = '';
    this.bytesFlushed += Buffer.byteLength(chunk, 'utf8');
    await this.sink(chunk);
  }
}

const ENVELOPE_STYLE: Partial<Record<Envelope, TransportStyle>> = {
  syslog: 'rfc3164',
  'journal-short': 'short',
  'journal-short-precise': 'short-precise',
  'journal-short-iso': 'iso',
  'journal-short-iso-precise': 'iso-precise',
  rfc3339: 'rfc3339',
};

const EIGHT_SPACES = '        ';

export interface EnvelopeConfig {
  kind: Envelope;
  host: string;
  ident: string;
  pid: number;
  tz: Tz;
  isoColon: boolean;
  jsonPrefix: string;
  rng: Rng;
  /** Whether the kubelet's stderr (Go crash reports) reaches this log; a klog log file (--log-file) has only klog's own lines. */
  stderrInLog: boolean;
}

/** Writes kubelet records, kubelet plain-text lines and foreign (systemd) lines in one envelope. */
export class EnvelopeWriter {
  readonly kind: Envelope;
  private readonly clock: TransportClock | null;
  private readonly tab: 'raw' | '#011' | 'spaces';
  private readonly hostJ: string;
  private readonly identJ: string;
  private mid = '';
  private midJson = '';
  private pid = 0;
  private lastTT = 0;
  continuationLines = 0;
  foreignLines = 0;
  crashLines = 0;

  constructor(
    private readonly cfg: EnvelopeConfig,
    private readonly out: Output,
  ) {
    this.kind = cfg.kind;
    const style = ENVELOPE_STYLE[cfg.kind];
    this.clock = style ? new TransportClock(style, cfg.tz, cfg.isoColon) : null;
    this.tab = cfg.kind === 'syslog' || cfg.kind === 'rfc3339' ? '#011' : cfg.kind.startsWith('journal-short') ? 'spaces' : 'raw';
    this.hostJ = JSON.stringify(cfg.host);
    this.identJ = JSON.stringify(cfg.ident);
    this.setPid(cfg.pid);
  }

  /** Whether this envelope can carry lines of other programs (systemd). */
  get carriesForeign(): boolean {
    return this.clock !== null || this.kind === 'journal-json';
  }

  setPid(pid: number): void {
    this.pid = pid;
    this.mid = ` ${this.cfg.host} ${this.cfg.ident}[${pid}]: `;
    this.midJson = `{"__REALTIME_TIMESTAMP":"`;
  }

  private transportTime(t: number): number {
    const tt = Math.max(this.lastTT, t + 20 + (this.cfg.rng.u32() % 900));
    this.lastTT = tt;
    return tt;
  }

  private journalEntry(tt: number, identJ: string, pid: number, unit: string, msg: string): string {
    return `${this.midJson}${tt}","_HOSTNAME":${this.hostJ},"SYSLOG_IDENTIFIER":${identJ},"_PID":"${pid}","_COMM":${identJ},"_SYSTEMD_UNIT":"${unit}","PRIORITY":"6","MESSAGE":${JSON.stringify(msg)}}\n`;
  }

  private prefix(tt: number): string {
    if (this.clock) return this.clock.at(tt) + this.mid;
    if (this.kind === 'json-prefixed') return this.cfg.jsonPrefix + ': ';
    return '';
  }

  private fixTab(line: string): string {
    if (this.tab === 'raw' || line.indexOf('\t') === -1) return line;
    return line.replaceAll('\t', this.tab === '#011' ? '#011' : EIGHT_SPACES);
  }

  /** A kubelet record (klog text or JSON line), possibly spanning several physical lines. */
  record(line: string, t: number): void {
    const tt = this.transportTime(t);
    const multi = line.indexOf('\n') !== -1;
    if (this.kind === 'journal-json') {
      if (!multi) {
        this.out.push(this.journalEntry(tt, this.identJ, this.pid, 'kubelet.service', line));
        this.out.lines++;
        return;
      }
      const parts = line.split('\n');
      for (const p of parts) this.out.push(this.journalEntry(tt, this.identJ, this.pid, 'kubelet.service', p));
      this.out.lines += parts.length;
      this.continuationLines += parts.length - 1;
      return;
    }
    const pre = this.prefix(tt);
    if (!multi) {
      this.out.push(pre + line + '\n');
      this.out.lines++;
      return;
    }
    const parts = line.split('\n');
    let s = '';
    for (const p of parts) s += pre + this.fixTab(p) + '\n';
    this.out.push(s);
    this.out.lines += parts.length;
    this.continuationLines += parts.length - 1;
  }

  /** A kubelet stderr line without a klog header (e.g. `Flag --x has been deprecated, …`). */
  kubeletText(text: string, t: number): void {
    const tt = this.transportTime(t);
    if (this.kind === 'journal-json') this.out.push(this.journalEntry(tt, this.identJ, this.pid, 'kubelet.service', text));
    else this.out.push(this.prefix(tt) + text + '\n');
    this.out.lines++;
    this.foreignLines++;
  }

  /** Header-less lines of a Go crash report on the kubelet's stderr; returns how many were written. */
  crash(lines: readonly string[], t: number): number {
    if (!this.cfg.stderrInLog) return 0;
    const tt = this.transportTime(t);
    for (const l of lines) {
      if (this.kind === 'journal-json') this.out.push(this.journalEntry(tt, this.identJ, this.pid, 'kubelet.service', l));
      else this.out.push(this.prefix(tt) + this.fixTab(l) + '\n');
    }
    this.out.lines += lines.length;
    this.crashLines += lines.length;
    return lines.length;
  }

  /** A line of another program (systemd[1]); dropped by envelopes that only carry kubelet output. */
  foreign(ident: string, pid: number, unit: string, text: string, t: number): boolean {
    if (!this.carriesForeign) return false;
    const tt = this.transportTime(t);
    if (this.kind === 'journal-json') {
      this.out.push(this.journalEntry(tt, JSON.stringify(ident), pid, unit, text));
    } else {
      this.out.push((this.clock as TransportClock).at(tt) + ` ${this.cfg.host} ${ident}[${pid}]: ` + text + '\n');
    }
    this.out.lines++;
    this.foreignLines++;
    return true;
  }

  /** Lines written verbatim (klog file header). */
  verbatim(lines: readonly string[]): void {
    for (const l of lines) this.out.push(l + '\n');
    this.out.lines += lines.length;
    this.foreignLines += lines.length;
  }
}
