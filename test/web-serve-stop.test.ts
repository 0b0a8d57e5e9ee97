// `kubelog serve` stops when asked, whatever its clients hold open. Chromium opens a socket before
// it has a request to send (a preconnect); Node's close() waited for such a socket until its
// headersTimeout, so SIGTERM or Ctrl-C left the server running for 60–90 s while a browser was
// open (found as a hung `kubelog serve` in test/web-busy-pod.test.ts, 1 run in ~20). The real CLI
// as a subprocess; raw sockets in each state a browser leaves them.
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { samplePath } from './helpers/samples.js';
import { serve } from './helpers/serve.js';

/** Far below the 60 s a held socket kept the server; far above its 1 s grace for answers in flight. */
const STOPS_WITHIN_MS = 10_000;

let db: string;

beforeAll(async () => {
  db = path.join(mkdtempSync(path.join(tmpdir(), 'kubelog-serve-stop-')), 'stop.db');
  const r = await runCli(['ingest', '-q', '--db', db, samplePath('08')]);
  expect(r.code, r.stderr).toBe(0);
});

/** A socket to the server that has written `sent` and reads whatever comes back. */
async function socketTo(url: string, sent: string): Promise<{ socket: net.Socket; received: () => string }> {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.on('error', () => {});
  if (sent) socket.write(sent);
  return { socket, received: () => text };
}

async function stopTimed(stop: () => Promise<number | null>): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  const code = await Promise.race([stop(), new Promise<'held'>((r) => setTimeout(() => r('held'), STOPS_WITHIN_MS))]);
  const ms = Date.now() - t0;
  if (code === 'held') throw new Error(`kubelog serve was still running ${STOPS_WITHIN_MS} ms after SIGTERM`);
  return { code, ms };
}

describe('kubelog serve stops on SIGTERM', () => {
  const states: Array<[string, (host: string) => string]> = [
    ['a socket that has sent nothing yet (a browser preconnect)', () => ''],
    ['a request whose headers are not finished', (host) => `GET /api/status HTTP/1.1\r\nHost: ${host}\r\n`],
    ['an idle keep-alive socket after an answer', (host) => `GET /api/status HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ];
  for (const [state, request] of states) {
    it(`with ${state} open: exit 0 within seconds`, async () => {
      const served = await serve(['--db', db]);
      try {
        const host = new URL(served.url).host;
        const { socket, received } = await socketTo(served.url, request(host));
        if (request(host).endsWith('\r\n\r\n')) {
          await expect.poll(received).toMatch(/^HTTP\/1\.1 200 /);
          expect(received()).not.toMatch(/connection: close/i);
        }
        const { code } = await stopTimed(served.stop);
        expect(code).toBe(0);
        await expect.poll(() => socket.destroyed || socket.readableEnded).toBe(true);
        socket.destroy();
      } finally {
        served.child.kill('SIGKILL');
      }
    });
  }
});
