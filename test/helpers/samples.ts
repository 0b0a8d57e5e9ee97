import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseText, type LogRecord, type ParseOptions, type ParseResult } from '../../parser/index.js';
import { formatIsoUs } from '../../parser/time.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const realDir = path.join(repoRoot, 'samples/real');

export function realSamples(): string[] {
  return readdirSync(realDir).filter((f) => f.endsWith('.log')).sort();
}

export function samplePath(prefix: string): string {
  const name = realSamples().find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no sample ${prefix}`);
  return path.join(realDir, name);
}

export function parseSample(prefix: string, opts: ParseOptions = { year: 2024 }): ParseResult {
  return parseText(readFileSync(samplePath(prefix)), opts);
}

/** The record that starts at a physical line; fails loudly when there is none. */
export function recordAt(r: ParseResult, line: number): LogRecord {
  const rec = r.records.find((x) => x.line === line);
  if (!rec) throw new Error(`no record starts at line ${line}`);
  return rec;
}

export const iso = (us: number | undefined): string | undefined => (us === undefined ? undefined : formatIsoUs(us));
