// Where a worker thread's script is: beside this module once compiled; from the sources (tests
// run the .ts files) the worker must still be the compiled JavaScript.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function workerUrl(script: string): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const js = path.resolve(path.dirname(here), '../dist/store', script);
    if (!existsSync(js)) throw new Error(`${js} is missing: run npm run build`);
    return new URL(`file://${js}`);
  }
  return new URL(`./${script}`, import.meta.url);
}
