// What keeps a local log viewer local. The server answers only requests addressed to a name it
// was told about: a web page elsewhere that points its own host name at 127.0.0.1 (DNS
// rebinding) sends its own Host header and is refused. Every answer forbids framing, sniffing,
// referrers and any script or style not served by kubelog itself.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendApiError } from './errors.js';

export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A host name as the Host header spells it, without port: `[::1]`, `localhost`, `10.0.0.5`. */
export function normalizeHost(name: string): string {
  const h = name.trim().toLowerCase().replace(/\.$/, '');
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

/** The host name of a Host header value (`localhost:7780`, `[::1]:7780`). */
export function hostnameOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(0, end + 1) : h;
  }
  const colon = h.lastIndexOf(':');
  return normalizeHost(colon >= 0 ? h.slice(0, colon) : h);
}

export function isLoopback(host: string): boolean {
  const h = normalizeHost(host);
  return LOOPBACK_HOSTS.includes(h) || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** The onRequest hook: headers on every answer, and the Host check. */
export function guardRequests(allowedHosts: readonly string[]) {
  const allowed = new Set(allowedHosts.map(normalizeHost));
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    reply.headers(SECURITY_HEADERS);
    const host = request.headers.host;
    const name = host === undefined ? undefined : hostnameOf(host);
    if (name !== undefined && allowed.has(name)) return undefined;
    return sendApiError(reply, 403, {
      error:
        name === undefined
          ? 'the request names no Host: kubelog serve answers only requests addressed to it by name'
          : `Host ${JSON.stringify(name)} is not allowed: kubelog serve answers only to ${[...allowed].join(', ')} (protection against DNS rebinding). To browse to it by this name, start it with --allow-host ${name}`,
      code: 'forbidden-host',
    });
  };
}
