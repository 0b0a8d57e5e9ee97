// A container runtime cuts a long line of the kubelet's output at 16 KiB: CRI log files mark the
// pieces `P` (partial) until the `F` (full) one, Docker's json-file leaves the newline off all but
// the last. The pieces of one line are folded back into one logical line (carrying its physical
// lines, as parser/pretty-json.ts does), so that a long record is parsed whole, not cut mid-value.
import { foldedLine, type PhysicalLine } from './lines.js';

const CRI = /^(\S+) (stdout|stderr) ([PF]) /;
const DOCKER = '{"log":';

interface Piece {
  /** stdout or stderr: pieces of one line come from one stream. */
  stream: string;
  /** The text the piece carries. */
  text: string;
  last: boolean;
  kind: 'cri' | 'docker';
  /** CRI: the timestamp of the line; Docker: its `time`. */
  time: string;
}

function pieceOf(line: PhysicalLine): Piece | undefined {
  const t = line.text;
  if (t.startsWith(DOCKER)) {
    try {
      const o = JSON.parse(t) as { log?: unknown; stream?: unknown; time?: unknown };
      if (typeof o.log !== 'string') return undefined;
      return { kind: 'docker', stream: String(o.stream ?? ''), text: o.log, last: o.log.endsWith('\n'), time: String(o.time ?? '') };
    } catch {
      return undefined;
    }
  }
  const m = CRI.exec(t);
  if (m === null) return undefined;
  return { kind: 'cri', stream: m[2]!, text: t.slice(m[0].length), last: m[3] === 'F', time: m[1]! };
}

export class ContainerPartialJoiner {
  private held: { lines: PhysicalLine[]; pieces: Piece[]; bytes: number } | undefined;

  constructor(
    private readonly onLine: (line: PhysicalLine) => void,
    private readonly maxBytes: number,
  ) {}

  push(line: PhysicalLine): void {
    const c = line.text.charCodeAt(0);
    // only a CRI line (a digit) or a json-file entry (`{`) can be a piece
    const piece = line.overlong || line.parts || !((c >= 0x30 && c <= 0x39) || c === 0x7b) ? undefined : pieceOf(line);
    const h = this.held;
    if (h && (!piece || piece.kind !== h.pieces[0]!.kind || piece.stream !== h.pieces[0]!.stream || h.bytes + line.bytes > this.maxBytes)) this.flush();
    if (!piece || (piece.last && !this.held)) {
      this.onLine(line);
      return;
    }
    const into = (this.held ??= { lines: [], pieces: [], bytes: 0 });
    into.lines.push(line);
    into.pieces.push(piece);
    into.bytes += line.bytes;
    if (piece.last) this.emit();
  }

  end(): void {
    this.flush();
  }

  /** Pieces that never got their last one go on as they came. */
  private flush(): void {
    const h = this.held;
    this.held = undefined;
    if (h) for (const l of h.lines) this.onLine(l);
  }

  private emit(): void {
    const h = this.held!;
    this.held = undefined;
    if (h.lines.length === 1) {
      this.onLine(h.lines[0]!);
      return;
    }
    const first = h.pieces[0]!;
    const whole = h.pieces.map((p) => p.text).join('');
    const text = first.kind === 'cri' ? `${first.time} ${first.stream} F ${whole}` : JSON.stringify({ log: whole, stream: first.stream, time: first.time });
    this.onLine(foldedLine(text, h.lines, h.bytes));
  }
}
