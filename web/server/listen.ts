// Starting the server on an address, with errors that say what to do.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7780;

export class ListenError extends Error {}

/** Listen on host:port (port 0: any free port) and return the URL to browse to. */
export async function listen(app: FastifyInstance, host = DEFAULT_HOST, port = DEFAULT_PORT): Promise<string> {
  try {
    await app.listen({ host, port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ListenError(`port ${port} on ${host} is in use (another kubelog serve?): stop it, or choose another with --port (0: any free port)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ListenError(`cannot listen on ${host}: this machine has no such address (--host takes one of its addresses, or 0.0.0.0 for all)`);
    if (code === 'EACCES') throw new ListenError(`not allowed to listen on ${host}:${port} (ports below 1024 need privileges): choose another with --port`);
    throw e;
  }
  const { port: bound } = app.server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`;
}
