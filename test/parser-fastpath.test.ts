// The flat-body fast path must give exactly what the full grammar (CST + visitor) gives.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStructuredBody, parseTokens } from '../parser/body/index.js';
import { bodyLexer } from '../parser/body/tokens.js';
import { parseText } from '../parser/index.js';
import { realSamples, realDir, repoRoot } from './helpers/samples.js';

function structuredBodies(): string[] {
  const bodies: string[] = [];
  const golden = path.join(repoRoot, 'test/fixtures/klog-golden');
  const files = [
    ...realSamples().map((f) => path.join(realDir, f)),
    ...['klog-v2.30.0.txt', 'klog-v2.80.1.txt', 'klog-v2.90.1.txt', 'klog-v2.100.1.txt'].map((f) => path.join(golden, f)),
  ];
  for (const f of files) {
    for (const r of parseText(readFileSync(f), { year: 2024 }).records) {
      if (!r.structured || r.format === 'json') continue;
      const i = r.raw.indexOf('] "');
      bodies.push(r.format === 'headerless' ? r.raw.trimStart() : r.raw.slice(i + 2));
    }
  }
  return bodies;
}

describe('flat-body fast path', () => {
  const bodies = structuredBodies();

  it('covers most real bodies, so the comparison means something', () => {
    const flat = bodies.filter((b) => {
      const toks = bodyLexer.tokenize(b).tokens;
      return toks.slice(1).every((t) => t.tokenType.name === 'PairString' || t.tokenType.name === 'PairBare');
    });
    expect(bodies.length).toBeGreaterThan(250);
    expect(flat.length).toBeGreaterThan(bodies.length / 3);
  });

  it('gives the same message, key/values and issues as the full grammar on every body', () => {
    for (const body of bodies) {
      expect(parseStructuredBody(body), body).toEqual(parseTokens(body, bodyLexer.tokenize(body)));
    }
  });
});
