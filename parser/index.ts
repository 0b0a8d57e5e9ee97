// The parser's entry points. Text or bytes in, records and diagnostics out; never throws on input.
import { LineSplitter } from './lines.js';
import { PasteMargin } from './paste-margin.js';
import { PrettyJsonFolder } from './pretty-json.js';
import { YamlEntryFolder } from './yaml-export.js';
import { JournalFieldsFolder } from './journal-fields.js';
import { CsvExportFolder } from './csv-export.js';
import { ContainerPartialJoiner } from './container-partial.js';
import { DEFAULT_MAX_LINE_LENGTH, RecordAssembler } from './assemble.js';
import type { Diagnostic, ForeignLine, LogRecord, ParseCounts, ParseEvent, ParseOptions, RejectedLine, TimeAssumptions, TimeReport } from './types.js';

export * from './types.js';
export { matchPrintf, printfCatalogue } from './printf.js';
export { parseValueText } from './body/index.js';

/** Streaming parser: push chunks of bytes (or text) as they arrive, then `end()`. */
export class KubeletLogParser {
  private readonly assembler: RecordAssembler;
  private readonly splitter: LineSplitter;
  private readonly margin: PasteMargin;
  private readonly csv: CsvExportFolder;
  private readonly folder: PrettyJsonFolder;
  private readonly yaml: YamlEntryFolder;
  private readonly journalFields: JournalFieldsFolder;
  private readonly partials: ContainerPartialJoiner;

  // bytes → physical lines → without a paste's margin → CSV export rows folded → pretty JSON
  // entries folded → YAML entries folded → journalctl -o verbose / export entries folded → a
  // container runtime's pieces of one line joined → records
  constructor(opts: ParseOptions, onEvent: (e: ParseEvent) => void) {
    this.assembler = new RecordAssembler(opts, onEvent);
    const maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.partials = new ContainerPartialJoiner((line) => this.assembler.pushLine(line), maxLine);
    this.journalFields = new JournalFieldsFolder((line) => this.partials.push(line));
    this.yaml = new YamlEntryFolder((line) => this.journalFields.push(line));
    this.folder = new PrettyJsonFolder((line) => this.yaml.push(line));
    this.csv = new CsvExportFolder((line) => this.folder.push(line));
    this.margin = new PasteMargin((line) => this.csv.push(line));
    this.splitter = new LineSplitter(maxLine, (line) => this.margin.push(line));
  }

  push(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.first && bytes.length > 0) {
      this.first = false;
      // Windows PowerShell's `>` writes UTF-16 with a byte-order mark: every line would be rejected as binary
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        this.assembler.inputDiagnostic('error', 'utf-16', 'the input is UTF-16 (it starts with a UTF-16 byte-order mark), kubelog reads UTF-8: convert it first, e.g. `iconv -f UTF-16 -t UTF-8 FILE`', 1);
      }
    }
    this.splitter.push(bytes);
  }

  private first = true;

  end(): ParseCounts {
    this.splitter.end();
    this.margin.end();
    this.csv.end();
    this.folder.end();
    this.yaml.end();
    this.journalFields.end();
    this.partials.end();
    this.assembler.end();
    return this.counts;
  }

  get counts(): ParseCounts {
    return this.assembler.counts;
  }

  /**
   * Where a parse of this input can start again from scratch: the first line (and its offset, 0 =
   * the first byte pushed) of the earliest record still open; every entry emitted so far with a
   * line before it holds only lines before it, and every line before it is in one of them.
   */
  openFrom(): { line: number; offset: number } {
    const { line, offset } = this.assembler.openFrom();
    return { line, offset };
  }

  /** What was assumed to date the input (year, zone, the kubelet's zone) and how often it disagreed; complete after end(). */
  timeReport(): TimeReport {
    return this.assembler.timeReport();
  }

  /** The assumptions once settled (before that, undefined): stored with an input so that a later run can resume it. */
  settledTimes(): TimeAssumptions | undefined {
    return this.assembler.timeResolver.settled();
  }
}

export interface ParseResult {
  records: LogRecord[];
  foreign: ForeignLine[];
  rejected: RejectedLine[];
  diagnostics: Diagnostic[];
  counts: ParseCounts;
  time: TimeReport;
}

/** Parse a whole text (or buffer) at once; records are returned in input order. */
export function parseText(input: string | Buffer, opts: ParseOptions = {}): ParseResult {
  const out = { records: [], foreign: [], rejected: [], diagnostics: [] } as unknown as ParseResult;
  const parser = new KubeletLogParser(opts, (e) => {
    if (e.type === 'record') out.records.push(e.record);
    else if (e.type === 'foreign') out.foreign.push(e.foreign);
    else if (e.type === 'rejected') out.rejected.push(e.rejected);
    else out.diagnostics.push(e.diagnostic);
  });
  parser.push(input);
  out.counts = parser.end();
  out.time = parser.timeReport();
  out.records.sort((a, b) => a.line - b.line);
  return out;
}
