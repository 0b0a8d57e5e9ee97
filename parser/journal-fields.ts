// `journalctl -o verbose` and `-o export` print one journal entry over several lines, a field a
// line. An entry that holds a MESSAGE goes on as one logical line that carries its physical lines
// (`parts`), as the pretty-JSON folder does, so that every line is still counted once:
//
//   verbose:  `Sat 2024-03-16 04:31:21.080650 UTC [s=…;i=…;b=…;m=…;t=…;x=…]`, then `    KEY=value`
//             lines (a value's further lines indented under its first) → the entry as journal
//             JSON when the header's zone names one offset (UTC, CEST, MSK, …), else (CST, IST:
//             ambiguous) the short-full line `Sat 2024-03-16 04:31:21.080650 CST host ident[pid]:
//             MESSAGE`, whose wall clock the log's other evidence places;
//   export:   `KEY=value` lines from `__CURSOR=` (or `__REALTIME_TIMESTAMP=`) to a blank line → the
//             entry as journal JSON (`-o json`).
//
// An entry without a MESSAGE, or with a field the folder cannot read (a binary field of the export
// format, a blob), goes on as it came.
import { foldedLine, type PhysicalLine } from './lines.js';
import { abbreviationOffset, parseOffset } from './zone.js';

/** An entry larger than this is not folded: its lines go on one by one. */
const MAX_ENTRY_BYTES = 1024 * 1024;

/** systemd's `%a %Y-%m-%d %H:%M:%S.%06u %Z` and the entry's cursor. */
const VERBOSE_HEADER = /^([A-Za-z]{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} [^ ]+) \[s=[0-9a-f]+;i=[0-9a-f]+;b=[0-9a-f]+;m=[0-9a-f]+;t=[0-9a-f]+;x=[0-9a-f]+\]$/;
const VERBOSE_FIELD = /^ {4}([A-Z0-9_]{1,64})=(.*)$/;
const EXPORT_FIELD = /^([A-Z0-9_]{1,64})=(.*)$/;
/** How verbose shows a value it does not print. */
const BLOB = /^\[[\d.]+[A-Z]? blob data\]$/;

interface Entry {
  kind: 'verbose' | 'export';
  /** verbose: the header's time and zone. */
  time?: string;
  fields: Map<string, string>;
  /** The field whose value a verbose continuation line extends. */
  last?: string;
  parts: PhysicalLine[];
  bytes: number;
}

const withoutCr = (s: string): string => (s.endsWith('\r') ? s.slice(0, -1) : s);

export class JournalFieldsFolder {
  private entry: Entry | undefined;

  constructor(private readonly onLine: (line: PhysicalLine) => void) {}

  push(line: PhysicalLine): void {
    const e = this.entry;
    if (e) {
      if (line.overlong || line.parts || e.bytes + line.bytes > MAX_ENTRY_BYTES) {
        this.flush();
        this.push(line);
        return;
      }
      const text = withoutCr(line.text);
      if (e.kind === 'export') {
        if (text === '') {
          // the blank line that ends an entry is the entry's
          this.add(e, line);
          this.close();
        } else if (exportField(e, text)) this.add(e, line);
        else {
          // not the export format after all (or a binary field): everything goes on as it came
          this.flush();
          this.onLine(line);
        }
        return;
      }
      if (verboseLine(e, text)) this.add(e, line);
      else {
        this.close();
        this.push(line);
      }
      return;
    }
    if (line.overlong || line.parts) {
      this.onLine(line);
      return;
    }
    const c0 = line.text.charCodeAt(0);
    // most lines start with neither a weekday nor `__`: no regex runs for them
    if (c0 === 0x5f /* _ */ && (line.text.startsWith('__CURSOR=') || line.text.startsWith('__REALTIME_TIMESTAMP='))) {
      const entry: Entry = { kind: 'export', fields: new Map(), parts: [], bytes: 0 };
      exportField(entry, withoutCr(line.text));
      this.add((this.entry = entry), line);
      return;
    }
    // `Sat 2024-…`: a weekday, a space and a year's dash where a syslog line has its day and clock
    const header = c0 >= 0x41 && c0 <= 0x5a && line.text.charCodeAt(3) === 0x20 && line.text.charCodeAt(8) === 0x2d && line.text.length < 200 ? VERBOSE_HEADER.exec(withoutCr(line.text)) : null;
    if (header) {
      this.add((this.entry = { kind: 'verbose', time: header[1]!, fields: new Map(), parts: [], bytes: 0 }), line);
      return;
    }
    this.onLine(line);
  }

  end(): void {
    this.close();
  }

  private add(e: Entry, line: PhysicalLine): void {
    e.parts.push(line);
    e.bytes += line.bytes;
  }

  /** The open entry's lines go on as they came. */
  private flush(): void {
    const e = this.entry;
    this.entry = undefined;
    if (e) for (const p of e.parts) this.onLine(p);
  }

  private close(): void {
    const e = this.entry;
    if (!e) return;
    const text = e.kind === 'verbose' ? verboseText(e) : exportText(e);
    if (text === undefined) {
      this.flush();
      return;
    }
    this.entry = undefined;
    this.onLine(foldedLine(text, e.parts, e.bytes));
  }
}

/** A field line, or a further line of the last field's value; false: the entry has ended. */
function verboseLine(e: Entry, text: string): boolean {
  const m = VERBOSE_FIELD.exec(text);
  if (m) {
    // a field the entry has twice keeps its first value, as `-o json` shows it first
    if (!e.fields.has(m[1]!)) e.fields.set(m[1]!, m[2]!);
    e.last = m[1]!;
    return true;
  }
  const indent = e.last === undefined ? 0 : 5 + e.last.length;
  if (indent > 0 && text.length > indent && text.startsWith(' '.repeat(indent))) {
    e.fields.set(e.last!, `${e.fields.get(e.last!)}\n${text.slice(indent)}`);
    return true;
  }
  return false;
}

/** A `KEY=value` line of the export format. */
function exportField(e: Entry, text: string): boolean {
  const m = EXPORT_FIELD.exec(text);
  if (!m) return false;
  if (!e.fields.has(m[1]!)) e.fields.set(m[1]!, m[2]!);
  return true;
}

/**
 * The entry as `-o json` would write it when its header's zone says the instant; else (an ambiguous
 * zone name) as journalctl's short-full line, for a one-line MESSAGE. Undefined when it can be neither.
 */
function verboseText(e: Entry): string | undefined {
  const f = e.fields;
  const message = f.get('MESSAGE');
  if (message === undefined || BLOB.test(message)) return undefined;
  const realtimeUs = headerInstant(e.time!);
  if (realtimeUs !== undefined) return JSON.stringify({ __REALTIME_TIMESTAMP: String(realtimeUs), ...Object.fromEntries(f) });
  const host = f.get('_HOSTNAME');
  const ident = f.get('SYSLOG_IDENTIFIER') ?? f.get('_COMM');
  if (message.includes('\n') || host === undefined || ident === undefined || /\s/.test(host + ident)) return undefined;
  const pid = f.get('_PID') ?? f.get('SYSLOG_PID');
  return `${e.time} ${host} ${ident}${pid !== undefined && /^\d{1,10}$/.test(pid) ? `[${pid}]` : ''}: ${message}`;
}

const HEADER_TIME = /^[A-Za-z]{3} (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) (\S+)$/;

/** Epoch µs of a verbose header's time when its zone names one offset (UTC, `+01:00`, CEST, MSK, …). */
function headerInstant(time: string): number | undefined {
  const m = HEADER_TIME.exec(time);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, us, zone] = m as unknown as [string, string, string, string, string, string, string, string, string];
  const offsetMin = parseOffset(zone) ?? abbreviationOffset(zone);
  if (offsetMin === undefined) return undefined;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return Number.isNaN(ms) ? undefined : (ms - offsetMin * 60_000) * 1000 + Number(us);
}

/** The entry as `-o json` writes it, or undefined without a MESSAGE. */
function exportText(e: Entry): string | undefined {
  if (!e.fields.has('MESSAGE')) return undefined;
  return JSON.stringify(Object.fromEntries(e.fields));
}
