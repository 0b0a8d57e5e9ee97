// Where a worker thread's script is: beside this module once compiled; from the sources (tests
// run the .ts files) the worker must still be the compiled JavaScript.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A compiled worker script of `dir` (a folder of the package: ingest, pipeline, web/server). */
export function workerUrl(script: string, dir: string): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const js = path.resolve(path.dirname(here), '../dist', dir, script);
    if (!existsSync(js)) throw new Error(`${js} is missing: run npm run build`);
    return pathToFileURL(js);
  }
  return pathToFileURL(path.resolve(path.dirname(here), '..', dir, script));
}
