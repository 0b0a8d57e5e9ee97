// The browser app: the files vite built, and index.html for every other page address (the app
// routes in the browser), so a reloaded or bookmarked /pod/… still opens the app.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Where vite builds the app (web/app/vite.config.ts): dist/app in the package. */
export function builtAppDir(): string {
  // from web/server (tests, sources) or dist/web/server (the build): the package root holds package.json
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'app');
}

export const hasBuiltApp = (dir: string | undefined): dir is string => dir !== undefined && existsSync(path.join(dir, 'index.html'));

export async function registerApp(app: FastifyInstance, dir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: true,
    redirect: false,
    cacheControl: false,
    setHeaders: (res, file) => {
      // vite names assets by their content hash: they never change under a name
      const immutable = path.relative(dir, file).startsWith(`assets${path.sep}`);
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

/** Any page address that is not a file: the app itself. */
export function sendAppPage(reply: FastifyReply): FastifyReply {
  return reply.sendFile('index.html');
}

export function sendAppMissing(reply: FastifyReply, dir: string | undefined): FastifyReply {
  return reply
    .code(503)
    .header('cache-control', 'no-store')
    .type('text/plain; charset=utf-8')
    .send(`The kubelog web app is not built${dir ? ` (no ${path.join(dir, 'index.html')})` : ''}: run \`npm run build\`, then start kubelog serve again. The JSON API under /api works meanwhile.\n`);
}
