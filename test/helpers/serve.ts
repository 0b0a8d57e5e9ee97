// `kubelog serve` as a real subprocess on a free loopback port: the URL it prints, and a stop that
// waits for its exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { kubelogBin } from './cli.js';
import { repoRoot } from './samples.js';
import type { StatusResponse } from '../../web/api/types.js';

export interface Served {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * `kubelog serve ARGS`. Given logs, it listens before it has ingested them: by default this waits
 * until /api/status says its ingest is done, the search index included (`ingested: false` does not).
 */
export async function serve(args: string[], timeoutMs = 60_000, o: { ingested?: boolean } = {}): Promise<Served> {
  const served = await listening(args, timeoutMs);
  if (o.ingested !== false) await untilIngested(served.url, timeoutMs);
  return served;
}

/** Polls /api/status until the server's own ingest has ended (done, or how it ended otherwise). */
export async function untilIngested(url: string, timeoutMs = 60_000): Promise<StatusResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = (await (await fetch(`${url}/api/status`)).json()) as StatusResponse;
    if (!s.ingest || (s.ingest.step !== 'records' && s.ingest.step !== 'lifecycles' && s.ingest.step !== 'indexes')) return s;
    if (Date.now() > deadline) throw new Error(`kubelog serve's ingest did not end within ${timeoutMs} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function listening(args: string[], timeoutMs: number): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kubelogBin, 'serve', '--port', '0', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kubelog serve printed no URL in ${timeoutMs} ms; stdout: ${out} stderr: ${err}`));
    }, timeoutMs);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving .* at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!.replace(/\/$/, ''),
          child,
          stderr: () => err,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubelog serve exited (${code}) before serving; stderr: ${err}`));
    });
  });
}
