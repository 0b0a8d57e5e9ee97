// The real CLI as a subprocess for benchmarks: wall time, output, and the peak RSS and CPU time the
// command reports about itself on stderr (KUBELOG_RUSAGE=1: process.resourceUsage() in the child,
// worker threads included).
import { spawn } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const bin = path.join(root, 'cli/bin/run.js');

export interface Usage {
  maxRssKb: number;
  userUs: number;
  systemUs: number;
  /** ms since the process started. */
  atMs: number;
}

export interface Child {
  seconds: number;
  stdout: string;
  stderr: string;
  /** The `kubelog-rusage… {json}` line of this tag (`kubelog-rusage`: at exit). */
  usage(tag?: string): Usage;
}

/** `kubelog ARGS` until it exits; an error when it fails. */
export async function runKubelog(args: string[]): Promise<Child> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, KUBELOG_RUSAGE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const stderr = Buffer.concat(err).toString('utf8');
  if (code !== 0) throw new Error(`kubelog ${args.join(' ')} exited ${code}: ${stderr}`);
  return {
    seconds,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr,
    usage: (tag = 'kubelog-rusage') => JSON.parse(new RegExp(`${tag} (.*)`).exec(stderr)![1]!) as Usage,
  };
}
