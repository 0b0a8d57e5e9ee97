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

/** `kubelog serve` (of the build `kubelog`, a cli/bin/run.js) on a free port, once it prints its URL. */
export function serveDb(kubelog: string, db: string): Promise<{ url: string; pid: number; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kubelog, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+?)\/?\s/.exec(out);
      // a server busy with requests given up on may not get to SIGTERM for a while
      const stop = (): void => {
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
      };
      if (m) resolve({ url: m[1]!, pid: child.pid!, stop });
    });
    child.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
}
