// Which catalogue entry the lines of a call would be matched to, decided from the call's text
// alone, in the order lifecycle/catalogue.ts looks records up: exact structured msg, then the
// parser's printf format, then the longest message prefix (prefixes without a space last).
import type { Catalogue, CatalogueEntry } from '../../../lifecycle/catalogue-types.js';
import type { SiteShape } from '../../../lifecycle/kubelet-knowledge-types.js';

export interface PrintfFormat {
  id: string;
  format: string;
}

export class SiteEntryMatcher {
  private readonly byMsg = new Map<string, CatalogueEntry>();
  private readonly byFormat = new Map<string, CatalogueEntry>();
  private readonly prefixes: [string, CatalogueEntry][] = [];
  private readonly partial: [string, CatalogueEntry][] = [];

  constructor(catalogue: Catalogue, printf: readonly PrintfFormat[]) {
    const formatOf = new Map(printf.map((p) => [p.id, p.format]));
    for (const e of catalogue.entries) {
      for (const m of e.match.msg ?? []) if (!this.byMsg.has(m)) this.byMsg.set(m, e);
      for (const id of e.match.printf ?? []) {
        const f = formatOf.get(id);
        if (f === undefined) throw new Error(`catalogue entry ${e.id}: printf id ${id} is not in schemas/printf-messages.json`);
        if (!this.byFormat.has(f)) this.byFormat.set(f, e);
      }
      for (const p of e.match.prefix ?? []) (p.includes(' ') ? this.prefixes : this.partial).push([p, e]);
    }
    this.prefixes.sort((a, b) => b[0].length - a[0].length);
  }

  entryOf(shape: SiteShape, text: string): CatalogueEntry | undefined {
    if (shape === 's') {
      const e = this.byMsg.get(text);
      if (e) return e;
    }
    if (shape === 'p') {
      const e = this.byFormat.get(text);
      if (e) return e;
    }
    for (const list of [this.prefixes, this.partial]) for (const [p, e] of list) if (canStartWith(shape, text, p)) return e;
    return undefined;
  }
}

/** Can a line of this call start with `prefix`? */
export function canStartWith(shape: SiteShape, text: string, prefix: string): boolean {
  if (shape === 's') return text.startsWith(prefix);
  if (shape === 't') return text.startsWith(prefix) || prefix.startsWith(text);
  // `d` is a literal followed by %q (the volume name); `p` a format. A format that starts with a
  // value cannot be placed by its first words.
  const tokens = formatTokens(shape === 'd' ? text + '%q' : text);
  if (tokens[0]?.kind !== 'lit') return false;
  return consumes(tokens, 0, prefix, 0);
}

type Token = { kind: 'lit'; text: string } | { kind: 'q' | 'd' | 'word' | 'rest' };

function formatTokens(format: string): Token[] {
  const tokens: Token[] = [];
  const re = /%([#+]?[a-z%])/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const lit = (t: string) => {
    if (!t) return;
    const prev = tokens[tokens.length - 1];
    if (prev?.kind === 'lit') prev.text += t;
    else tokens.push({ kind: 'lit', text: t });
  };
  while ((m = re.exec(format))) {
    lit(format.slice(last, m.index));
    const verb = m[1]!;
    if (verb === '%') lit('%');
    else tokens.push({ kind: verb === 'q' ? 'q' : verb === 'd' ? 'd' : 'word' });
    last = re.lastIndex;
  }
  lit(format.slice(last));
  const end = tokens[tokens.length - 1];
  if (end && end.kind === 'word') tokens[tokens.length - 1] = { kind: 'rest' };
  return tokens;
}

/**
 * Can the tokens from `ti` produce `p` from `pi` on (up to its end)? A value in the middle of a
 * message is taken as one word (names, IDs, durations); a quoted value or the last value can hold
 * anything.
 */
function consumes(tokens: Token[], ti: number, p: string, pi: number): boolean {
  if (pi === p.length) return true;
  const t = tokens[ti];
  if (!t) return false;
  switch (t.kind) {
    case 'lit':
      for (let k = 0; k < t.text.length; k++) {
        if (pi + k === p.length) return true;
        if (p[pi + k] !== t.text[k]) return false;
      }
      return consumes(tokens, ti + 1, p, pi + t.text.length);
    case 'rest':
      return true;
    case 'q':
      if (p[pi] !== '"' && p[pi] !== '{') return false;
      for (let e = pi + 1; e <= p.length; e++) if (e === p.length || consumes(tokens, ti + 1, p, e)) return true;
      return false;
    default:
      for (let e = pi; e <= p.length; e++) {
        if (e === p.length || consumes(tokens, ti + 1, p, e)) return true;
        if (t.kind === 'd' ? !/[-\d]/.test(p[e]!) : /\s/.test(p[e]!)) return false;
      }
      return false;
  }
}
