// Run the real `kubelog` binary as a subprocess, as a user would.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './samples.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const kubelogBin = path.join(repoRoot, 'cli/bin/run.js');

export function runCli(args: string[], opts: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kubelogBin, ...args], { cwd: opts.cwd ?? repoRoot, env: { ...process.env, ...opts.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined); // the command may exit before reading all of it
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * A log's text written to a fresh temporary directory and ingested there by the real CLI
 * (`--year 2024`); fails loudly unless the ingest is clean. Returns the directory and database.
 */
export async function ingestTextWithCli(text: string, prefix: string): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const log = path.join(dir, 'kubelet.log');
  writeFileSync(log, text);
  const db = path.join(dir, 'k.db');
  const r = await runCli(['ingest', '-q', '--db', db, '--year', '2024', log]);
  if (r.code !== 0 || r.stderr !== '') throw new Error(`kubelog ingest exited ${r.code}: ${r.stderr}`);
  return { dir, db };
}
