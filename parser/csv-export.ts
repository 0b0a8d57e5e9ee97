// A logging platform's table export as CSV (schemas/envelopes.json csvExport: Splunk, Kibana,
// Datadog, CloudWatch Logs Insights, Azure Log Analytics). When the input's first line is a header
// that names a message column, each row after it (RFC 4180: a quoted field may hold commas, doubled
// quotes and line breaks) goes on as one logical line that carries its physical lines, as the
// pretty-JSON folder does: an Elastic Common Schema document of the row's message, time, host,
// program and pid, which the export envelope reads like any other (the message is whatever line the
// node wrote). A row whose message has several lines (a multi-line event) goes on as those lines,
// one per physical line, each with the row's other fields. Anything else goes on as it came; so does a row whose fields do not match
// the header.
import data from '../schemas/envelopes.json' with { type: 'json' };
import { foldedLine, type PhysicalLine } from './lines.js';

/** A row larger than this is not folded: its lines go on one by one. */
const MAX_ROW_BYTES = 1024 * 1024;
/** A header wider than any export's: not one. */
const MAX_COLUMNS = 256;

const { csvExport } = data;

/** The index of the first of `names` the header has (compared without case), or -1. */
function columnOf(header: readonly string[], names: readonly string[]): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * The fields of one CSV row (RFC 4180), or undefined when a quote is not closed or stray text
 * follows one. Line breaks inside quotes are kept.
 */
export function csvFields(text: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 0x22 /* " */) {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        value += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 0x22) {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? text.length : comma;
      const value = text.slice(i, end);
      if (value.includes('"')) return undefined;
      out.push(value);
      i = end;
    }
    if (i >= text.length) return out;
    if (text.charCodeAt(i) !== 0x2c /* , */) return undefined;
    i++;
  }
}

interface Columns {
  count: number;
  message: number;
  time: number;
  /** The time column's header says its times are UTC (Azure: `TimeGenerated [UTC]`). */
  timeUtc: boolean;
  host: number;
  ident: number;
  pid: number;
}

/** The columns of a header line that names a message column, else undefined. */
function headerColumns(text: string): Columns | undefined {
  // cheap: a header is short and has a comma; most first lines of a log are neither
  if (text.length > 8192 || !text.includes(',')) return undefined;
  const header = csvFields(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (!header || header.length < 2 || header.length > MAX_COLUMNS) return undefined;
  const message = columnOf(header, csvExport.messageColumns);
  if (message < 0) return undefined;
  const time = columnOf(header, csvExport.timeColumns);
  return {
    count: header.length,
    message,
    time,
    timeUtc: time >= 0 && /\[UTC\]/i.test(header[time]!),
    host: columnOf(header, csvExport.hostColumns),
    ident: columnOf(header, csvExport.identColumns),
    pid: columnOf(header, csvExport.pidColumns),
  };
}

const withoutCr = (s: string): string => (s.endsWith('\r') ? s.slice(0, -1) : s);

/** Whether `text` has an odd number of `"`: a quoted field is still open. */
function quoteOpen(text: string): boolean {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n % 2 === 1;
}

export class CsvExportFolder {
  private first = true;
  private columns: Columns | undefined;
  private row: { parts: PhysicalLine[]; bytes: number; text: string; open: boolean } | undefined;

  constructor(private readonly onLine: (line: PhysicalLine) => void) {}

  push(line: PhysicalLine): void {
    if (this.first) {
      this.first = false;
      if (!line.overlong && !line.parts) this.columns = headerColumns(withoutCr(line.text));
      this.onLine(line);
      return;
    }
    if (!this.columns || line.overlong || line.parts) {
      this.flush();
      this.onLine(line);
      return;
    }
    const text = withoutCr(line.text);
    const row = this.row;
    if (row) {
      if (row.bytes + line.bytes > MAX_ROW_BYTES) {
        this.flush();
        this.onLine(line);
        return;
      }
      row.parts.push(line);
      row.bytes += line.bytes;
      row.text += `\n${text}`;
      // a line break inside a quoted field: the row goes on until the quote closes
      if (quoteOpen(text)) row.open = !row.open;
    } else this.row = { parts: [line], bytes: line.bytes, text, open: quoteOpen(text) };
    if (!this.row!.open) this.close();
  }

  end(): void {
    this.flush();
  }

  /** The open row's lines go on as they came. */
  private flush(): void {
    const row = this.row;
    this.row = undefined;
    if (row) for (const p of row.parts) this.onLine(p);
  }

  private close(): void {
    const row = this.row!;
    const fields = csvFields(row.text);
    const message = fields?.[this.columns!.message];
    if (message !== undefined && message.includes('\n') && fields!.length === this.columns!.count) {
      // an event of several lines (a Splunk event of a `key=<` block): its lines are the row's
      // physical lines, each read as the line the node wrote
      const lines = message.split('\n');
      if (lines.length !== row.parts.length) {
        this.flush();
        return;
      }
      this.row = undefined;
      // each with the row's time, host and program (a line the node wrote without a year is dated by them)
      const c = this.columns!;
      row.parts.forEach((p, k) => this.onLine({ ...p, text: rowDocument([...fields!.slice(0, c.message), lines[k]!, ...fields!.slice(c.message + 1)], c) ?? lines[k]! }));
      return;
    }
    const text = rowDocument(fields, this.columns!);
    if (text === undefined) {
      this.flush();
      return;
    }
    this.row = undefined;
    this.onLine(foldedLine(text, row.parts, row.bytes));
  }
}

/** The row as an Elastic Common Schema document, or undefined when it is no row of the header. */
function rowDocument(fields: string[] | undefined, c: Columns): string | undefined {
  if (!fields || fields.length !== c.count) return undefined;
  const message = fields[c.message]!;
  if (message === '') return undefined;
  const at = (i: number): string | undefined => (i >= 0 && fields[i] !== '' ? fields[i] : undefined);
  const time = at(c.time);
  const doc: Record<string, unknown> = { '@timestamp': time === undefined ? '' : c.timeUtc ? (usUtcTime(time) ?? time) : time, message };
  const host = at(c.host);
  if (host !== undefined) doc.host = { name: host };
  const ident = at(c.ident)?.replace(/\.service$/, '');
  if (ident !== undefined) doc.syslog = { identifier: ident };
  const pid = at(c.pid);
  if (pid !== undefined && /^\d{1,10}$/.test(pid)) doc.process = { pid: Number(pid) };
  return JSON.stringify(doc);
}

const US_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d\d):(\d\d)(?:\.(\d{1,6}))? ([AP]M)$/;

/** `3/16/2025, 4:31:21.080 AM` in a column its header says is UTC, as RFC 3339; undefined for another form. */
function usUtcTime(text: string): string | undefined {
  const m = US_TIME.exec(text);
  if (!m) return undefined;
  const hour12 = Number(m[4]);
  if (hour12 < 1 || hour12 > 12) return undefined;
  const hour = (hour12 % 12) + (m[8] === 'PM' ? 12 : 0);
  const two = (n: number | string) => String(n).padStart(2, '0');
  return `${m[3]}-${two(m[1]!)}-${two(m[2]!)}T${two(hour)}:${m[5]}:${m[6]}${m[7] ? `.${m[7]}` : ''}Z`;
}
