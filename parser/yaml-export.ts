// `gcloud logging read` prints YAML unless told otherwise: one document per LogEntry, each opened
// by a `---` line, its keys in alphabetical order (`insertId:`, `jsonPayload:`, `logName:`, …,
// `textPayload:`, `timestamp:`), nested fields indented. A document that parses as a LogEntry goes
// on as one logical line, its JSON, carrying its physical lines (`parts`) as the pretty-JSON folder
// does, so that the export envelope reads it and every line is still counted once. The `---` lines
// and anything that is not such a document go on as they came.
import { parse } from 'yaml';
import { foldedLine, type PhysicalLine } from './lines.js';
import { isLogExportEntry } from './pretty-json.js';
import { deeperThan, MAX_VALUE_DEPTH } from './depth.js';
import type { KvValue } from './types.js';

/** A document larger than this is not folded: its lines go on one by one. */
const MAX_ENTRY_BYTES = 1024 * 1024;

/** The top-level keys a LogEntry document can begin with (gcloud sorts them). */
const FIRST_KEY = /^(?:httpRequest|insertId|jsonPayload|labels|logName|operation|protoPayload|receiveTimestamp|resource|severity|sourceLocation|spanId|split|textPayload|timestamp|trace|traceSampled):(?: |$)/;
/** A line of a YAML mapping document: a top-level `key:`, or indented (a nested field, a continued scalar). */
const YAML_LINE = /^(?:[A-Za-z_][\w.-]*:(?: |$)|[ \t]+\S)/;

const isSeparator = (text: string): boolean => text === '---' || text === '---\r';

export class YamlEntryFolder {
  /** The lines of the document being read (after its `---`), once its first line looked like a LogEntry's. */
  private doc: PhysicalLine[] | undefined;
  private bytes = 0;
  /** The last line was a `---`: the next one says whether a LogEntry document begins. */
  private afterSeparator = false;

  constructor(private readonly onLine: (line: PhysicalLine) => void) {}

  push(line: PhysicalLine): void {
    const text = line.text;
    if (this.doc) {
      if (this.bytes + line.bytes > MAX_ENTRY_BYTES) {
        // no LogEntry is this large: not parsed, its lines go on as they came
        this.flush();
        this.push(line);
        return;
      }
      if (isSeparator(text) || line.overlong || !YAML_LINE.test(text)) {
        this.close();
        this.push(line);
        return;
      }
      this.doc.push(line);
      this.bytes += line.bytes;
      return;
    }
    if (this.afterSeparator && !line.overlong && !line.parts && FIRST_KEY.test(text)) {
      this.afterSeparator = false;
      this.doc = [line];
      this.bytes = line.bytes;
      return;
    }
    this.afterSeparator = isSeparator(text);
    this.onLine(line);
  }

  end(): void {
    this.close();
  }

  private flush(): void {
    const parts = this.doc;
    this.doc = undefined;
    if (parts) for (const p of parts) this.onLine(p);
  }

  private close(): void {
    const parts = this.doc;
    this.doc = undefined;
    if (!parts) return;
    let text: string | undefined;
    try {
      // no aliases (a few lines of them can expand to gigabytes), no nesting deeper than a log's, and
      // no duplicate-key check (quadratic in the keys)
      const entry: unknown = parse(parts.map((p) => p.text).join('\n'), { maxAliasCount: 0, uniqueKeys: false });
      if (typeof entry === 'object' && entry !== null && !Array.isArray(entry) && isLogExportEntry(entry as Record<string, unknown>) && !deeperThan(entry as KvValue, MAX_VALUE_DEPTH)) text = JSON.stringify(entry);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      for (const p of parts) this.onLine(p);
      return;
    }
    this.onLine(foldedLine(text, parts, this.bytes));
  }
}
