// `kubelog serve`'s HTTP server: the JSON API over a read-only database, the built app with its
// page fallback, and the guards every answer passes through (Host check, cross-site check,
// security headers, compression). Every answer passes them: the routes', the 404s', the static
// files', and Fastify's own refusals of a malformed URL or malformed HTTP. The answers come from
// query worker threads (query-pool.ts): this thread never waits on SQLite. It never logs per request.
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import type { Db } from '../../store/db.js';
import type { IngestStatus } from '../api/types.js';
import { handleError, sendApiError } from './errors.js';
import { apiRoutes } from './routes.js';
import { diffRoutes } from './diff-routes.js';
import { QueryPool, type QueryPoolOptions } from './query-pool.js';
import { answerClientError, guard, LOOPBACK_HOSTS, normalizeHost } from './security.js';
import { hasBuiltApp, registerApp, sendAppMissing, sendAppPage } from './static.js';

export interface ServerOptions {
  /** The database's path as the user gave it (shown in answers and messages); each query worker opens it read-only. */
  dbPath: string;
  /**
   * The connection the command opened to check the database. Not read: queries run in the
   * workers over their own connections. TODO(cli): drop it from `kubelog serve`.
   */
  db?: Db;
  /** The built app (vite's output); without its index.html, pages answer 503. */
  staticDir?: string;
  /** Host names the server answers to (default: the loopback names). */
  allowedHosts?: string[];
  /** The ingest the server runs while it serves (`kubelog serve FILE`): what /api/status says of it. */
  ingestStatus?: () => IngestStatus | null;
  /** Query workers: how many, deadlines, limits (query-pool.ts has the defaults). */
  queries?: Omit<QueryPoolOptions, 'dbPath'>;
}

/** How long answers in flight may take to finish once the server is asked to stop. */
const CLOSE_GRACE_MS = 1000;

/**
 * Ctrl-C must stop the server while a browser is open. Node's close() waits for every socket that
 * has not finished a request, and Chromium keeps a socket open that has sent none yet (a
 * preconnect): that held `kubelog serve` for up to 90 s (headersTimeout, checked every 30 s).
 * Answers in flight get the grace; then every socket left is closed.
 */
function closeStragglersAfter(app: FastifyInstance, graceMs: number): void {
  const timer = setTimeout(() => app.server.closeAllConnections(), graceMs);
  timer.unref();
  app.server.once('close', () => clearTimeout(timer));
}

export function createServer(opts: ServerOptions): FastifyInstance {
  const allowed = new Set((opts.allowedHosts ?? LOOPBACK_HOSTS).map(normalizeHost));
  const app = Fastify({
    logger: false,
    clientErrorHandler: answerClientError,
    // a URL Fastify cannot decode (`/%c0%ae`) never reaches the hooks: the same checks here
    frameworkErrors: (error, request, reply) =>
      guard(request, reply, allowed) ?? sendApiError(reply, error.statusCode ?? 400, { error: `${JSON.stringify(request.raw.url?.slice(0, 200))} is not a valid address (${error.message})`, code: 'bad-url' }),
  });
  const pool = new QueryPool({ ...opts.queries, dbPath: opts.dbPath });
  app.addHook('onClose', async () => pool.close());
  app.addHook('preClose', (done) => {
    closeStragglersAfter(app, CLOSE_GRACE_MS);
    done();
  });
  const withApp = hasBuiltApp(opts.staticDir);
  app.addHook('onRequest', async (request, reply) => guard(request, reply, allowed));
  app.setErrorHandler(handleError);
  // plugins load in order: compression first, so that it wraps every route registered after it
  app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
  app.register(apiRoutes, { prefix: '/api', pool, ...(opts.ingestStatus ? { ingestStatus: opts.ingestStatus } : {}) });
  app.register(diffRoutes, { prefix: '/api', pool });
  if (withApp) app.register(async (scope) => registerApp(scope, opts.staticDir!));
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    if (url === '/api' || url.startsWith('/api/')) {
      return sendApiError(reply, 404, { error: `no API at ${request.method} ${url} (the API: /api/status, /api/sources, /api/overview, /api/pods, /api/pod/KEY, /api/lines, /api/search, /api/diff, /api/diff/pods)`, code: 'not-found' });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendApiError(reply, 404, { error: `nothing answers ${request.method} ${url}`, code: 'not-found' });
    return withApp ? sendAppPage(reply) : sendAppMissing(reply, opts.staticDir);
  });
  return app;
}
