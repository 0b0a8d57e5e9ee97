// A log pasted with a margin: every line indented (a Markdown code block, a web page's <pre>) or
// quoted (`> ` in an issue or a mail). No kubelet log line starts with blanks or `>`, only the
// continuation lines of a record do, so a margin that the head of the input shares and that stands
// in front of a line start is the paste's, and it comes off every line that carries it. The
// physical lines keep their numbers, offsets and byte counts: only their text loses the margin.
import type { PhysicalLine } from './lines.js';

/** Lines looked at before deciding, and the byte budget of that look. */
const HEAD_LINES = 32;
const HEAD_BYTES = 64 * 1024;
/** Share of the head's non-blank lines that must carry the margin. */
const QUORUM = 0.8;

/** What may stand in front of a paste: blanks and quote marks. */
const MARGIN = /^(?:[ \t]*>)*[ \t]*/;
/** The start of a line of some envelope: klog, syslog, journal, ISO time, epoch seconds, JSON, a marker. */
const LINE_START = /^(?:[IWEF]\d{4} \d\d:\d\d:\d\d|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[T ]\d\d:\d\d|\d{9,10}\.\d|\{"|[[{]\s*$|-- |==> |\[ *\d+\.\d+\] )/;

/** The margin of a paste whose head lines these are, or '' when it has none. */
export function pasteMargin(head: readonly string[]): string {
  const lines = head.filter((t) => t.trim() !== '');
  const votes = new Map<string, number>();
  for (const t of lines) {
    const m = MARGIN.exec(t)![0];
    if (m !== '' && LINE_START.test(t.slice(m.length))) votes.set(m, (votes.get(m) ?? 0) + 1);
  }
  // the margin most line starts stand behind (a continuation line's deeper indent is not one)
  const best = [...votes].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)[0]?.[0];
  if (best === undefined) return '';
  const bare = best.trimEnd();
  const carrying = lines.filter((t) => t.startsWith(best) || t.trimEnd() === bare).length;
  return carrying >= QUORUM * lines.length ? best : '';
}

/** Holds the head of an input until its margin is known, then passes every line on without it. */
export class PasteMargin {
  private head: PhysicalLine[] = [];
  private headBytes = 0;
  private nonBlank = 0;
  private margin: string | undefined;

  constructor(private readonly onLine: (line: PhysicalLine) => void) {}

  push(line: PhysicalLine): void {
    if (this.margin !== undefined) {
      this.onLine(this.strip(line));
      return;
    }
    this.head.push(line);
    this.headBytes += line.bytes;
    if (line.text.trim() !== '') {
      // an ordinary log starts with a line start: nothing to hold
      if (this.nonBlank++ === 0 && LINE_START.test(line.text)) this.margin = '';
    }
    if (this.margin === '' || this.nonBlank >= HEAD_LINES || this.headBytes >= HEAD_BYTES) this.decide();
  }

  end(): void {
    if (this.margin === undefined) this.decide();
  }

  private decide(): void {
    this.margin ??= pasteMargin(this.head.filter((l) => !l.overlong).map((l) => l.text));
    const head = this.head;
    this.head = [];
    for (const l of head) this.onLine(this.strip(l));
  }

  private strip(line: PhysicalLine): PhysicalLine {
    const m = this.margin!;
    if (m === '' || line.overlong) return line;
    const t = line.text;
    if (t.startsWith(m)) return { ...line, text: t.slice(m.length) };
    // an empty quoted line (`>`), or one whose trailing blanks an editor took
    if (t.trimEnd() === m.trimEnd()) return { ...line, text: '' };
    return line;
  }
}
