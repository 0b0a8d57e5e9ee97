#!/usr/bin/env node
// Regenerates the small committed fixtures in test/generator-fixtures/ (log + .truth.json each):
//   npm run build && node dist/samples/generator/fixtures.js [DIR]
// test/generator.test.ts checks that the first one still reproduces byte for byte, so any change to
// the generator's output shows up as a failing test until the fixtures are regenerated on purpose.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateLog } from './index.js';
import type { GeneratorOptions } from './types.js';

export const FIXTURES: Array<{ file: string; opts: GeneratorOptions }> = [
  { file: 'seed7-1.26-syslog.log', opts: { seed: 7, targetBytes: 120_000, kubeletVersion: '1.26', envelope: 'syslog', tz: '+08:00', tzName: 'CST' } },
  { file: 'seed7-1.20-klog.log', opts: { seed: 7, targetBytes: 120_000, kubeletVersion: '1.20', envelope: 'klog' } },
  { file: 'seed7-1.23-journal-short.log', opts: { seed: 7, targetBytes: 120_000, kubeletVersion: '1.23', envelope: 'journal-short' } },
  { file: 'seed7-1.28-journal-json.log', opts: { seed: 7, targetBytes: 120_000, kubeletVersion: '1.28', envelope: 'journal-json' } },
  { file: 'seed7-1.28-v2-rfc3339.log', opts: { seed: 7, targetBytes: 120_000, kubeletVersion: '1.28', verbosity: 2, envelope: 'rfc3339', tz: '-05:00' } },
  { file: 'seed7-json-prefixed.log', opts: { seed: 7, targetBytes: 120_000, kubeletVersion: 'json', envelope: 'json-prefixed' } },
  // the incident scenarios (crash, eviction, OOM, rejects, …) on 1.32, and 1.21's JSON at -v=2
  { file: 'seed7-1.32-incidents-journal-short.log', opts: { seed: 7, targetBytes: 150_000, kubeletVersion: '1.32', envelope: 'journal-short', scenario: 'incidents' } },
  { file: 'seed7-1.21-json-v2-syslog.log', opts: { seed: 7, targetBytes: 120_000, kubeletVersion: '1.21', logFormat: 'json', verbosity: 2, envelope: 'syslog' } },
];

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? 'test/generator-fixtures');
  mkdirSync(dir, { recursive: true });
  for (const f of FIXTURES) {
    const parts: string[] = [];
    const truth = await generateLog(f.opts, (c) => {
      parts.push(c);
    });
    writeFileSync(join(dir, f.file), parts.join(''));
    writeFileSync(join(dir, `${f.file}.truth.json`), JSON.stringify(truth, null, 1) + '\n');
    process.stdout.write(`${f.file}: ${truth.totals.bytes} bytes, ${truth.totals.records} records, ${truth.totals.pods} pods\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]).replace(/\.ts$/, '.js') === resolve(new URL(import.meta.url).pathname).replace(/\.ts$/, '.js')) {
  main().catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
