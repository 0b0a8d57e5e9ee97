// Rows of the reference call tables (kubelet-messages/all-klog-calls-pkg-kubelet-<ver>.tsv: release,
// path, line, severity, V, printf|structured, message, keys) with the text a log line of that call
// starts with. Messages are Go source text: string concatenations (`"+\n\t\t"`) are joined and
// escapes resolved; messages built by an expression keep only what the expression shows.
import { unquoteGo } from '../../../parser/body/go-string.js';
import type { SiteShape, TruncatedResolution } from '../../../lifecycle/kubelet-knowledge-types.js';

export interface RefRow {
  release: string;
  path: string;
  /** Basename, as the klog header shows it. */
  file: string;
  line: number;
  sev: string;
  v: number;
  style: 'printf' | 'structured';
  /** undefined: the message is an expression whose text the table does not show. */
  shape?: SiteShape;
  text: string;
}

/** Parse one TSV file; a malformed row is an error naming the file and line. */
export function parseReferenceTsv(text: string, fileName: string, truncated: TruncatedResolution[]): RefRow[] {
  const rows: RefRow[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const f = raw.split('\t');
    const [release, path, line, sev, v, style, message] = f;
    if (f.length !== 8 || !release || !path || !line || !sev || !v || message === undefined || !/^\d+$/.test(line) || !/^[IWEF]$/.test(sev) || !/^V\d+$/.test(v) || (style !== 'printf' && style !== 'structured')) {
      throw new Error(`${fileName}:${i + 1}: not a call-table row (release, path, line, sev, V, printf|structured, message, keys): ${raw.slice(0, 120)}`);
    }
    const row: RefRow = { release, path, file: path.slice(path.lastIndexOf('/') + 1), line: Number(line), sev, v: Number(v.slice(1)), style, text: '' };
    Object.assign(row, messageShape(message, style, row.v, truncated));
    rows.push(row);
  });
  return rows;
}

const DETAILED = /^<expr:\w+\.Generate(Msg|Error)Detailed\((?:fmt\.Sprintf\()?"((?:[^"\\]|\\.)*)(")?/;

function messageShape(message: string, style: 'printf' | 'structured', v: number, truncated: TruncatedResolution[]): { shape?: SiteShape; text: string } {
  if (!message.startsWith('<expr:')) return { shape: style === 'printf' ? 'p' : 's', text: goText(message) };
  const m = DETAILED.exec(message.replace(/>$/, ''));
  if (!m) return { text: message };
  // GenerateMsgDetailed / GenerateErrorDetailed render `<literal> for volume %q …`
  const literal = goText(m[2]!);
  const verb = literal.search(/%[#+]?[a-z]/);
  if (verb >= 0) return { shape: 't', text: literal.slice(0, verb) };
  if (m[3]) return { shape: 'd', text: literal + ' for volume ' };
  const resolved = truncated.find((t) => t.literal === literal && t.v === v);
  if (resolved) return { shape: 'd', text: resolved.message + ' for volume ' };
  return { shape: 't', text: literal };
}

/** Go source text of a (possibly concatenated) string literal's body, escapes resolved. */
function goText(source: string): string {
  const joined = source.replace(/"\s*\+(?:\\[nt]|\s)*"/g, '');
  return unquoteGo(`"${joined}"`).value;
}
