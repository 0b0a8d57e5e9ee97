// JSON written as it is read: the text JSON.stringify(value, null, 2) would give (and as safe for a
// terminal as safeJson), but a list given as an iterable that is no array (a generator over a query)
// is read an item at a time, so an answer of millions of items is never one string in memory.
import { safeJson } from './terminal-text.js';

const isLazyList = (v: unknown): v is Iterable<unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Symbol.iterator in v;

/** A plain object or array with a lazy list somewhere among its own values: written part by part. */
function holdsLazyList(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  return Object.values(v).some((x) => isLazyList(x) || holdsLazyList(x));
}

/** The JSON text of `value` in pieces, indented as JSON.stringify(value, null, 2) at `depth`. */
export function* jsonPieces(value: unknown, depth = 0): Generator<string> {
  const pad = '  '.repeat(depth);
  if (isLazyList(value) || Array.isArray(value)) {
    if (Array.isArray(value) && !holdsLazyList(value)) {
      yield safeJson(value, 2).replaceAll('\n', `\n${pad}`);
      return;
    }
    let first = true;
    for (const item of value) {
      yield `${first ? '[' : ','}\n${pad}  `;
      // as JSON.stringify: an undefined item is null
      yield* jsonPieces(item === undefined ? null : item, depth + 1);
      first = false;
    }
    yield first ? '[]' : `\n${pad}]`;
    return;
  }
  if (!holdsLazyList(value)) {
    yield safeJson(value, 2).replaceAll('\n', `\n${pad}`);
    return;
  }
  let first = true;
  for (const [k, v] of Object.entries(value as object)) {
    if (v === undefined || typeof v === 'function') continue;
    yield `${first ? '{' : ','}\n${pad}  ${safeJson(k)}: `;
    yield* jsonPieces(v, depth + 1);
    first = false;
  }
  yield first ? '{}' : `\n${pad}}`;
}
