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

export function queryShape(query: string): QueryShape {
  const phrases: Array<{ text: string; prefix: boolean }> = [];
  let i = 0;
  const next = (): string | undefined => {
    let j = i;
    while (j < query.length && /\s/.test(query[j]!)) j++;
    return query[j];
  };
  while (i < query.length) {
    const c = query[i]!;
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
      if (next() !== ':') phrases.push({ text, prefix: false });
    } else if (BAREWORD.test(c)) {
      let word = '';
      while (i < query.length && BAREWORD.test(query[i]!)) word += query[i++];
      const after = next();
      // operators, NEAR(…), and column names (`col:`) are no phrases
      if (!OPERATORS.has(word) && !(word === 'NEAR' && after === '(') && after !== ':') phrases.push({ text: word, prefix: false });
    } else if (c === '{') {
      // a column set {a b}: names, not phrases
      while (i < query.length && query[i] !== '}') i++;
      i++;
    } else {
      if (c === '*' && phrases.length) phrases[phrases.length - 1]!.prefix = true;
      i++;
    }
  }
  let terms = 0;
  const prefixes: string[] = [];
  for (const p of phrases) {
    const tokens = p.text.match(TOKEN) ?? [];
    terms += tokens.length;
    if (p.prefix) prefixes.push(tokens.at(-1) ?? '');
  }
  return { terms, prefixes };
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
