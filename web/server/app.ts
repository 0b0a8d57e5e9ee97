// `kubelog serve`'s HTTP server: the JSON API over a read-only database, the built app with its
// page fallback, and the guards every answer passes through (Host check, security headers,
// compression). It never logs per request.
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import type { Db } from '../../store/db.js';
import { handleError, sendApiError } from './errors.js';
import { apiRoutes } from './routes.js';
import { diffRoutes } from './diff-routes.js';
import { guardRequests, LOOPBACK_HOSTS } from './security.js';
import { hasBuiltApp, registerApp, sendAppMissing, sendAppPage } from './static.js';

export interface ServerOptions {
  db: Db;
  /** The database's path as the user gave it (shown in answers and messages). */
  dbPath: string;
  /** The built app (vite's output); without its index.html, pages answer 503. */
  staticDir?: string;
  /** Host names the server answers to (default: the loopback names). */
  allowedHosts?: string[];
}

export function createServer(opts: ServerOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const withApp = hasBuiltApp(opts.staticDir);
  app.addHook('onRequest', guardRequests(opts.allowedHosts ?? LOOPBACK_HOSTS));
  app.setErrorHandler(handleError);
  // plugins load in order: compression first, so that it wraps every route registered after it
  app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
  app.register(apiRoutes, { prefix: '/api', db: opts.db, dbPath: opts.dbPath });
  app.register(diffRoutes, { prefix: '/api', db: opts.db, dbPath: opts.dbPath });
  if (withApp) app.register(async (scope) => registerApp(scope, opts.staticDir!));
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    if (url === '/api' || url.startsWith('/api/')) {
      return sendApiError(reply, 404, { error: `no API at ${request.method} ${url} (the API: /api/sources, /api/overview, /api/pods, /api/pod/KEY, /api/lines, /api/search, /api/diff, /api/diff/pods)`, code: 'not-found' });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendApiError(reply, 404, { error: `nothing answers ${request.method} ${url}`, code: 'not-found' });
    return withApp ? sendAppPage(reply) : sendAppMissing(reply, opts.staticDir);
  });
  return app;
}
