// What an FTS5 query matches, as terms to mark in the hits' text: its words, "phrases" and
// prefix* terms; the operators (AND, OR, NOT, NEAR), parentheses, column filters and terms after a
// NOT match nothing to mark. FTS5 tokenizes on letters and digits, so words match whole tokens.
import type { Term } from '../components/Highlight.js';

const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);

export function queryTerms(q: string): Term[] {
  const terms: Term[] = [];
  const re = /"((?:[^"]|"")*)"(\*)?|([^\s()"]+)/g;
  let negated = false;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    const [, phrase, phraseStar, word] = m;
    if (word !== undefined && OPERATORS.has(word)) {
      negated = word === 'NOT';
      continue;
    }
    if (negated) {
      negated = false;
      continue;
    }
    if (phrase !== undefined) {
      const text = phrase.replace(/""/g, '"').trim();
      if (text) terms.push({ text, wholeToken: true, prefix: phraseStar === '*' });
      continue;
    }
    // `column:word` and `^word`: the word is what matches
    const bare = word!.replace(/^[^:]*:/, '').replace(/^\^/, '');
    const prefix = bare.endsWith('*');
    const text = prefix ? bare.slice(0, -1) : bare;
    if (text) terms.push({ text, wholeToken: true, prefix });
  }
  return terms;
}
