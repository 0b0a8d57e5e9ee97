#!/usr/bin/env node
// node dist/samples/generator/cli.js --out FILE [--size 300MB | --pods N] [--seed N] [--version 1.28]
//   [--format text|json] [--envelope journal-short] [--verbosity 4] [--tz +00:00]
//   [--start 2024-06-07T00:00:00Z] [--node node-1] [--gzip] [--restarts 1] [--crashes N]
//   [--evictions N] [--scenario default|incidents] [--concurrency 40] [--iso-offset basic|extended]
//   [--no-klog-header]
// Writes FILE (FILE.gz with --gzip unless FILE already ends in .gz) and FILE.truth.json.

import { parseArgs } from 'node:util';
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { generateLog, parseSize, VERSIONS, ENVELOPES } from './index.js';
import type { Envelope, GeneratorOptions, KubeletVersion, LogFormat } from './types.js';

const USAGE = `usage: node dist/samples/generator/cli.js --out FILE [--size 300MB | --pods N] [--seed N]
  [--version ${VERSIONS.join('|')}] [--format text|json] [--envelope ${ENVELOPES.join('|')}]
  [--verbosity 0-10] [--tz +00:00] [--start 2024-06-07T00:00:00Z] [--node node-1] [--gzip]
  [--restarts N] [--crashes N] [--evictions N] [--scenario default|incidents] [--concurrency N]
  [--iso-offset basic|extended] [--no-klog-header]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', short: 'o' },
      size: { type: 'string' },
      pods: { type: 'string' },
      seed: { type: 'string' },
      version: { type: 'string' },
      format: { type: 'string' },
      envelope: { type: 'string' },
      verbosity: { type: 'string' },
      tz: { type: 'string' },
      'tz-name': { type: 'string' },
      start: { type: 'string' },
      node: { type: 'string' },
      gzip: { type: 'boolean' },
      restarts: { type: 'string' },
      crashes: { type: 'string' },
      evictions: { type: 'string' },
      scenario: { type: 'string' },
      concurrency: { type: 'string' },
      'iso-offset': { type: 'string' },
      'no-klog-header': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !values.out) {
    process.stderr.write(USAGE + '\n');
    process.exit(values.help ? 0 : 2);
  }
  const opts: GeneratorOptions = {};
  if (values.size !== undefined) opts.targetBytes = parseSize(values.size);
  if (values.pods !== undefined) opts.pods = Number(values.pods);
  if (values.seed !== undefined) opts.seed = Number(values.seed);
  if (values.version !== undefined) opts.kubeletVersion = values.version as KubeletVersion;
  if (values.format !== undefined) opts.logFormat = values.format as LogFormat;
  if (values.envelope !== undefined) opts.envelope = values.envelope as Envelope;
  if (values.verbosity !== undefined) opts.verbosity = Number(values.verbosity);
  if (values.tz !== undefined) opts.tz = values.tz;
  if (values['tz-name'] !== undefined) opts.tzName = values['tz-name'];
  if (values.start !== undefined) opts.start = values.start;
  if (values.node !== undefined) opts.node = values.node;
  if (values.restarts !== undefined) opts.restarts = Number(values.restarts);
  if (values.crashes !== undefined || values.evictions !== undefined) {
    opts.nodeIncidents = {};
    if (values.crashes !== undefined) opts.nodeIncidents.crashes = Number(values.crashes);
    if (values.evictions !== undefined) opts.nodeIncidents.evictions = Number(values.evictions);
  }
  if (values.scenario !== undefined) opts.scenario = values.scenario as GeneratorOptions['scenario'];
  if (values.concurrency !== undefined) opts.concurrency = Number(values.concurrency);
  if (values['iso-offset'] !== undefined) opts.isoOffset = values['iso-offset'] === 'extended' ? 'extended' : 'basic';
  if (values['no-klog-header']) opts.klogFileHeader = false;

  let outPath = values.out;
  if (values.gzip && !outPath.endsWith('.gz')) outPath += '.gz';
  const file = createWriteStream(outPath);
  let stream: Writable = file;
  if (values.gzip) {
    const gz = createGzip({ level: 6 });
    gz.pipe(file);
    stream = gz;
  }
  const write = async (chunk: string): Promise<void> => {
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  const t0 = process.hrtime.bigint();
  const truth = await generateLog(opts, write);
  stream.end();
  await once(file, 'close');
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  writeFileSync(`${outPath}.truth.json`, JSON.stringify(truth));
  const t = truth.totals;
  const mb = t.bytes / 1e6;
  process.stdout.write(
    `wrote ${outPath}: ${mb.toFixed(1)} MB, ${t.lines} lines, ${t.records} records, ${t.pods} pods (${t.podsOpenAtEnd} open at end), ` +
      `${truth.restarts.length} restarts, ${truth.anomalies.length} anomalies, kubelet ${truth.options.kubeletVersion} ${truth.options.logFormat} v${truth.options.verbosity} ${truth.options.envelope}, ` +
      `${secs.toFixed(1)} s (${(mb / secs).toFixed(1)} MB/s); truth: ${outPath}.truth.json\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
