// Pretty-printed JSON log exports, folded back into one line per entry: `journalctl -o json-pretty`,
// `gcloud logging read --format=json` (an array of LogEntry), `aws logs filter-log-events` (an
// object whose `events` array holds the entries), `jq .` over kubelet JSON logs. An entry is an
// object that begins a line and sits at the top level or directly in an array; once it closes and
// parses as a log entry of a known shape it goes on as one logical line that carries its physical
// lines (`parts`), so that every line is still counted once. Anything else (the brackets around
// the entries, a wrapper's other fields, an object that is no log entry, text) goes on as it came.
import { foldedLine, type PhysicalLine } from './lines.js';

/** An entry larger than this is not folded: its lines go on one by one. */
const MAX_ENTRY_BYTES = 1024 * 1024;
/** Nesting deeper than any log export's: the document is not one (and its stack stays small). */
const MAX_DEPTH = 64;

/** What a line inside a pretty JSON document starts with (after blanks). */
const JSON_LINE = /^\s*(?:[{}[\]",\d-]|true|false|null|$)/;

/** A line of `[` or `{` alone (blanks and a CR around it): how a pretty-printed document begins. */
function opensDocument(text: string): boolean {
  const t = text.trim();
  return t === '[' || t === '{';
}

const isUpperKey = (k: string): boolean => /^[A-Z_][A-Z0-9_]*$/.test(k);

/**
 * The one-line text of a parsed object if it is a log entry the envelopes know, else undefined:
 * a journal entry, a kubelet JSON record (`ts` first, as the kubelet writes it), a Cloud Logging
 * LogEntry or a CloudWatch Logs event.
 */
export function entryLine(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const first = Object.keys(o)[0];
  if (first !== undefined && isUpperKey(first) && ('MESSAGE' in o || '__REALTIME_TIMESTAMP' in o)) return JSON.stringify(o);
  if (typeof o.ts === 'number' && typeof o.msg === 'string') return JSON.stringify({ ts: o.ts, ...o });
  if (isLogExportEntry(o)) return JSON.stringify(o);
  return undefined;
}

/** A Cloud Logging LogEntry (a text or JSON payload) or a CloudWatch Logs event (`message` and `timestamp`). */
export function isLogExportEntry(o: Record<string, unknown>): boolean {
  if (typeof o.textPayload === 'string') return true;
  if (typeof o.jsonPayload === 'object' && o.jsonPayload !== null && !Array.isArray(o.jsonPayload)) return true;
  return typeof o.message === 'string' && (typeof o.timestamp === 'number' || typeof o.timestamp === 'string');
}

interface Entry {
  /** Containers open around the entry's `{`. */
  depth: number;
  parts: PhysicalLine[];
  bytes: number;
}

export class PrettyJsonFolder {
  /** Inside a document that began with a line of `[` or `{` alone. */
  private inDoc = false;
  /** The document's open containers. */
  private stack: number[] = [];
  private inString = false;
  private escaped = false;
  private tooDeep = false;
  private entry: Entry | undefined;

  constructor(private readonly onLine: (line: PhysicalLine) => void) {}

  push(line: PhysicalLine): void {
    const text = line.text;
    if (!this.inDoc) {
      // most lines are not a document's opening bracket: no string is made to tell
      if (text.length > 16 || !opensDocument(text)) {
        this.onLine(line);
        return;
      }
      this.inDoc = true;
      this.stack = [];
      this.inString = false;
      this.escaped = false;
    } else if (line.overlong || (!this.inString && !JSON_LINE.test(text))) {
      // not JSON after all (or not any more): the document ends here
      this.abandon();
      this.onLine(line);
      return;
    }
    const startsEntry = !this.inString && text.trimStart().startsWith('{') && (this.stack.length === 0 || this.stack[this.stack.length - 1] === 0x5b);
    if (startsEntry) {
      // an entry inside what looked like one (CloudWatch's `events` inside its answer): the outer is a wrapper
      this.flushEntry();
      this.entry = { depth: this.stack.length, parts: [], bytes: 0 };
    }
    this.scan(text);
    if (this.tooDeep) {
      this.tooDeep = false;
      this.abandon();
      this.onLine(line);
      return;
    }
    const e = this.entry;
    if (e) {
      e.parts.push(line);
      e.bytes += line.bytes;
      if (this.stack.length <= e.depth) this.closeEntry(e);
      else if (e.bytes > MAX_ENTRY_BYTES) this.flushEntry();
    } else this.onLine(line);
    if (this.stack.length === 0 && !this.inString) this.inDoc = false;
  }

  end(): void {
    this.abandon();
  }

  private abandon(): void {
    this.flushEntry();
    this.inDoc = false;
    this.stack = [];
    this.inString = false;
  }

  /** The open entry's lines go on as they came. */
  private flushEntry(): void {
    const e = this.entry;
    this.entry = undefined;
    if (e) for (const p of e.parts) this.onLine(p);
  }

  private closeEntry(e: Entry): void {
    this.entry = undefined;
    let text = e.parts.map((p) => p.text).join('\n').trim();
    if (text.endsWith(',')) text = text.slice(0, -1);
    let folded: string | undefined;
    try {
      folded = entryLine(JSON.parse(text));
    } catch {
      folded = undefined;
    }
    if (folded === undefined || e.parts.length === 1) {
      for (const p of e.parts) this.onLine(p);
      return;
    }
    this.onLine(foldedLine(folded, e.parts, e.bytes));
  }

  /** Brackets and strings of one line, as JSON counts them. */
  private scan(text: string): void {
    const stack = this.stack;
    let inString = this.inString;
    let escaped = this.escaped;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c /* \ */) escaped = true;
        else if (c === 0x22 /* " */) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (stack.push(c) > MAX_DEPTH) {
          this.tooDeep = true;
          break;
        }
      }
      else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    }
    this.inString = inString;
    this.escaped = escaped;
  }
}
