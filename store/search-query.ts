// What a full-text query will cost, read from its FTS5 text before SQLite runs it. FTS5 merges the
// index entries of every term, and of every term a prefix (`ku*`) stands for, before it answers:
// a one-letter prefix reads the entries of every word of the log that starts with it. So a query
// is refused when it has too many terms or too short a prefix; what it then costs to narrow the
// index's blocks to records is bounded by the caller (a number of blocks per answer).
//
// The reading follows FTS5's query syntax (https://sqlite.org/fts5.html#full_text_query_syntax):
// "strings" (with "" for a quote) and barewords are phrases, AND/OR/NOT and NEAR( are operators,
// `word:` and `{a b}:` name columns, `*` after a phrase makes its last token a prefix. Tokens are
// what the unicode61 tokenizer makes of a phrase: runs of letters and digits. Anything else is
// left for FTS5 to accept or refuse.

export const SEARCH_LIMITS = {
  /** Characters of query text. */
  maxLength: 1000,
  /** Tokens over all phrases. */
  maxTerms: 16,
  /** Characters of a prefix before its `*`. */
  minPrefix: 2,
} as const;

export interface QueryShape {
  /** Tokens over all phrases (`"kill container" fail*` has 3). */
  terms: number;
  /** Each prefix token (`fail` of `fail*`), as written. */
  prefixes: string[];
}

const BAREWORD = /[\p{L}\p{N}_\u001a\u0080-\u{10ffff}]/u;
const TOKEN = /[\p{L}\p{N}]+/gu;
const OPERATORS = new Set(['AND', 'OR', 'NOT']);

/** A piece of a query as FTS5 reads it, with where it is in the text. */
interface Lexeme {
  kind: 'phrase' | 'operator' | 'near' | 'column' | 'punct';
  /** A phrase's text (quotes undone), an operator's word, a punctuation character. */
  text: string;
  start: number;
  end: number;
}

function lex(query: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  const next = (): string | undefined => {
    let j = i;
    while (j < query.length && /\s/.test(query[j]!)) j++;
    return query[j];
  };
  while (i < query.length) {
    const c = query[i]!;
    const start = i;
    if (c === '"') {
      let text = '';
      i++;
      while (i < query.length) {
        if (query[i] === '"') {
          if (query[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += query[i++];
      }
      out.push({ kind: next() === ':' ? 'column' : 'phrase', text, start, end: i });
    } else if (BAREWORD.test(c)) {
      let word = '';
      while (i < query.length && BAREWORD.test(query[i]!)) word += query[i++];
      const after = next();
      // operators, NEAR(…), and column names (`col:`) are no phrases
      const kind = after === ':' ? 'column' : OPERATORS.has(word) ? 'operator' : word === 'NEAR' && after === '(' ? 'near' : 'phrase';
      out.push({ kind, text: word, start, end: i });
    } else if (c === '{') {
      // a column set {a b}: names, not phrases
      while (i < query.length && query[i] !== '}') i++;
      i++;
      out.push({ kind: 'column', text: query.slice(start, i), start, end: i });
    } else {
      i++;
      if (!/\s/.test(c)) out.push({ kind: 'punct', text: c, start, end: i });
    }
  }
  return out;
}

export function queryShape(query: string): QueryShape {
  const lexemes = lex(query);
  let terms = 0;
  const prefixes: string[] = [];
  lexemes.forEach((l, k) => {
    if (l.kind !== 'phrase') return;
    const tokens = l.text.match(TOKEN) ?? [];
    terms += tokens.length;
    if (lexemes[k + 1]?.text === '*' && lexemes[k + 1]?.kind === 'punct') prefixes.push(tokens.at(-1) ?? '');
  });
  return { terms, prefixes };
}

/** Where the operand that starts at lexeme k ends (the index after it): a phrase (+ phrase…), (…), NEAR(…), with its column filter and ^. */
function operandEnd(lexemes: readonly Lexeme[], k: number): number {
  const at = (j: number, kind: Lexeme['kind'], text?: string): boolean => lexemes[j]?.kind === kind && (text === undefined || lexemes[j]!.text === text);
  if (at(k, 'column')) k += at(k + 1, 'punct', ':') ? 2 : 1;
  if (at(k, 'punct', '^')) k++;
  if (at(k, 'near')) k++;
  if (at(k, 'punct', '(')) {
    let depth = 0;
    for (; k < lexemes.length; k++) {
      if (at(k, 'punct', '(')) depth++;
      else if (at(k, 'punct', ')') && --depth === 0) return k + 1;
    }
    return k;
  }
  if (!at(k, 'phrase')) return k;
  k++;
  if (at(k, 'punct', '*')) k++;
  // "one" + "two": one phrase
  while (at(k, 'punct', '+') && at(k + 1, 'phrase')) {
    k += 2;
    if (at(k, 'punct', '*')) k++;
  }
  return k;
}

/**
 * The query without what its NOTs exclude: `a NOT b` → `a`. The full-text index is per block of
 * records, and a block holding a record with `b` still holds the records with `a` and without
 * `b`; so the blocks are chosen by this relaxed query, and each record is then checked with the
 * whole one. Everything else FTS5 knows only matches more at block level (AND, phrases and NEAR
 * across two records of a block), never less. NOT binds tighter than AND and OR, so removing it
 * with its right operand leaves a query FTS5 reads as it read the rest.
 */
export function blockQuery(query: string): string {
  const lexemes = lex(query);
  const cut: Array<[number, number]> = [];
  for (let k = 0; k < lexemes.length; k++) {
    if (lexemes[k]!.kind !== 'operator' || lexemes[k]!.text !== 'NOT') continue;
    const end = operandEnd(lexemes, k + 1);
    if (end === k + 1) continue; // NOT with nothing after it: FTS5 says what is wrong
    cut.push([lexemes[k]!.start, lexemes[end - 1]!.end]);
    k = end - 1;
  }
  if (!cut.length) return query;
  let out = '';
  let from = 0;
  for (const [a, b] of cut) {
    out += `${query.slice(from, a)} `;
    from = b;
  }
  return out + query.slice(from);
}

/** Why a query would cost more than a search may, or undefined when it may run. */
export function searchTooCostly(query: string): string | undefined {
  const { maxLength, maxTerms, minPrefix } = SEARCH_LIMITS;
  if (query.length > maxLength) return `it is ${query.length} characters long; a search takes at most ${maxLength}`;
  const shape = queryShape(query);
  if (shape.terms > maxTerms) return `it has ${shape.terms} terms; a search takes at most ${maxTerms}`;
  const short = shape.prefixes.find((p) => [...p].length < minPrefix);
  if (short !== undefined) return `the prefix ${JSON.stringify(`${short}*`)} is shorter than ${minPrefix} characters and would read most of the index`;
  return undefined;
}
