// What the search page marks in a hit: the terms of an FTS5 query (search/terms.ts) found in the
// text as FTS5 tokenizes it (components/Highlight.tsx matchRanges).
import { describe, expect, it } from 'vitest';
import { queryTerms } from '../web/app/src/search/terms.js';
import { matchRanges } from '../web/app/src/components/Highlight.js';

describe('search terms', () => {
  it('words, "phrases" and prefix* are terms; operators, parentheses, columns and what NOT excludes are not', () => {
    expect(queryTerms('"Killing container" AND cart* NOT redis OR (probe msg:liveness) ^sync')).toEqual([
      { text: 'Killing container', wholeToken: true, prefix: false },
      { text: 'cart', wholeToken: true, prefix: true },
      { text: 'probe', wholeToken: true, prefix: false },
      { text: 'liveness', wholeToken: true, prefix: false },
      { text: 'sync', wholeToken: true, prefix: false },
    ]);
    expect(queryTerms('"say ""hi"""')).toEqual([{ text: 'say "hi"', wholeToken: true, prefix: false }]);
    expect(queryTerms('AND OR')).toEqual([]);
  });

  it('marks whole tokens for words, the rest of the token for a prefix, anywhere for a filter; case-insensitively, merged', () => {
    const text = 'Killing container cart-api in pod shop/cart-api-x; cartography, SyncPod';
    expect(matchRanges(text, queryTerms('cart*')).map(([a, b]) => text.slice(a, b))).toEqual(['cart', 'cart', 'cartography']);
    expect(matchRanges(text, queryTerms('cart')).map(([a, b]) => text.slice(a, b))).toEqual(['cart', 'cart']);
    expect(matchRanges(text, queryTerms('sync')).map(([a, b]) => text.slice(a, b))).toEqual([]);
    expect(matchRanges(text, [{ text: 'sync', wholeToken: false, prefix: false }]).map(([a, b]) => text.slice(a, b))).toEqual(['Sync']);
    expect(matchRanges(text, queryTerms('"killing container" container')).map(([a, b]) => text.slice(a, b))).toEqual(['Killing container']);
  });
});
