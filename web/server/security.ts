// What keeps a local log viewer local. The server answers only requests addressed to a name it
// was told about: a web page elsewhere that points its own host name at 127.0.0.1 (DNS
// rebinding) sends its own Host header and is refused. The API answers only the app itself: a
// page of another site that makes the browser ask (fetch, <script src>, <img>) is refused by its
// Origin or Sec-Fetch-Site. Every answer, Fastify's own refusals included, forbids framing,
// sniffing, referrers and any script or style not served by kubelog itself.
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../api/types.js';
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

// RFC 9110 Host = uri-host [ ":" port ]: an IP literal in brackets, or a name of letters, digits,
// dots and dashes (an IPv4 address is one). Nothing else: `localhost:7780@evil.com` is not a host.
const HOST = /^(?:(\[[0-9a-f:.]+\])|([a-z0-9-]+(?:\.[a-z0-9-]+)*\.?))(?::(\d{1,5}))?$/i;

/** The host name of a Host header value (`localhost:7780`, `[::1]:7780`), or undefined when the value is not exactly a host and port. */
export function hostnameOf(header: string): string | undefined {
  const m = HOST.exec(header);
  if (!m || (m[3] !== undefined && Number(m[3]) > 65535)) return undefined;
  return normalizeHost(m[1] ?? m[2]!);
}

export function isLoopback(host: string): boolean {
  const h = normalizeHost(host);
  return LOOPBACK_HOSTS.includes(h) || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Every Host header as sent (Node keeps only the first in `headers`). */
function hostHeaders(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') out.push(rawHeaders[i + 1]!);
  return out;
}

/**
 * Whether a request is for the API: by the route it found, or by its path as the router reads it
 * (percent-decoded: `/%61pi/sources` is /api/sources).
 */
function isApi(request: FastifyRequest, url: string): boolean {
  if (request.routeOptions.url?.startsWith('/api')) return true;
  let path = url.split('?')[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    // not decodable: the router refuses it too (frameworkErrors)
  }
  return path === '/api' || path.startsWith('/api/');
}

export interface Refusal {
  status: number;
  body: ApiError;
}

/** Why the server will not answer a request, or undefined when it will. */
export function refusal(request: FastifyRequest, allowed: ReadonlySet<string>): Refusal | undefined {
  const hosts = hostHeaders(request.raw.rawHeaders);
  if (hosts.length !== 1) {
    return {
      status: 400,
      body: {
        error: hosts.length ? `the request has ${hosts.length} Host headers: kubelog serve answers only a request that names one host` : 'the request names no Host: kubelog serve answers only requests addressed to it by name',
        code: 'bad-host',
      },
    };
  }
  const host = hosts[0]!;
  const name = hostnameOf(host);
  if (name === undefined) return { status: 400, body: { error: `Host ${JSON.stringify(host)} is not a host name with an optional port`, code: 'bad-host' } };
  if (!allowed.has(name)) {
    return {
      status: 403,
      body: {
        error: `Host ${JSON.stringify(name)} is not allowed: kubelog serve answers only to ${[...allowed].join(', ')} (protection against DNS rebinding). To browse to it by this name, start it with --allow-host ${name}`,
        code: 'forbidden-host',
      },
    };
  }
  const url = request.raw.url ?? '';
  // an absolute URL (`GET http://other/…`) names a host of its own: only proxies are sent those
  if (!url.startsWith('/')) return { status: 400, body: { error: `the request target ${JSON.stringify(url.slice(0, 200))} is not a path: kubelog serve is not a proxy`, code: 'bad-url' } };
  if (isApi(request, url)) {
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    const sameOrigin = origin === undefined || [`http://${host}`, `https://${host}`].includes(origin.toLowerCase());
    if ((site !== undefined && site !== 'same-origin' && site !== 'none') || !sameOrigin) {
      return {
        status: 403,
        body: {
          error: `the API answers only kubelog's own pages, not a request from ${origin !== undefined ? `the page at ${JSON.stringify(origin)}` : `another site (Sec-Fetch-Site: ${JSON.stringify(site)})`}: open the app at http://${host}/ instead`,
          code: 'cross-site',
        },
      };
    }
  }
  return undefined;
}

/** Headers, and the refusal if there is one (sent); undefined when the request may go on. */
export function guard(request: FastifyRequest, reply: FastifyReply, allowed: ReadonlySet<string>): FastifyReply | undefined {
  reply.headers(SECURITY_HEADERS);
  const no = refusal(request, allowed);
  return no ? sendApiError(reply, no.status, no.body) : undefined;
}

/**
 * Node's answer to bytes that are not an HTTP request (no request exists to check a Host of):
 * an ApiError with the security headers, then the connection closes.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const [status, body]: [number, ApiError] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, { error: 'the request did not arrive in time', code: 'timeout' }]
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, { error: 'the request headers are too large', code: 'headers-too-large' }]
        : [400, { error: `the request is not valid HTTP (${err.code ?? err.message})`, code: 'bad-request' }];
  const json = JSON.stringify(body);
  const headers = { ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(json)), connection: 'close' };
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${json}`);
}
