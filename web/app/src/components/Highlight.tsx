// Text with what a search or filter matched marked. The text stays text (React escapes it): the
// marks are <mark> elements around slices of it, never markup built from it.
import type { ReactNode } from 'react';

/** The [start, end) ranges of `text` that any of `terms` matches, case-insensitively, merged. */
export function matchRanges(text: string, terms: readonly Term[]): Array<[number, number]> {
  const lower = text.toLowerCase();
  const ranges: Array<[number, number]> = [];
  for (const t of terms) {
    const needle = t.text.toLowerCase();
    if (!needle) continue;
    for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
      // a word matches whole tokens (FTS5 tokenizes on letters and digits); a prefix, token starts
      if (t.wholeToken && (isWordChar(lower[i - 1]) || (!t.prefix && isWordChar(lower[i + needle.length])))) continue;
      let end = i + needle.length;
      if (t.prefix) while (end < lower.length && isWordChar(lower[end])) end++;
      ranges.push([i, end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  return merged;
}

export interface Term {
  text: string;
  /** Only where a token starts and ends (a search word), not anywhere (a filter's substring). */
  wholeToken: boolean;
  /** `word*`: the rest of the token is matched too. */
  prefix: boolean;
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

export function Highlight({ text, terms }: { text: string; terms: readonly Term[] }): ReactNode {
  const ranges = terms.length ? matchRanges(text, terms) : [];
  if (!ranges.length) return text;
  const out: ReactNode[] = [];
  let at = 0;
  ranges.forEach(([a, b], i) => {
    if (a > at) out.push(text.slice(at, a));
    out.push(
      <mark key={i} className="match">
        {text.slice(a, b)}
      </mark>,
    );
    at = b;
  });
  if (at < text.length) out.push(text.slice(at));
  return out;
}
