// How deep a key/value may nest. Everything downstream of the parser walks values recursively
// (JSON.stringify of kv, structuredClone between threads, the lifecycle's identity joins), and so
// does the body grammar, so the depth is bounded where values are made: a composite nested deeper
// than this keeps its text (a string) from that level on. Real kubelet values (a Pod printed with
// %+v, a status patch) stay within a dozen levels.
import type { KvValue } from './types.js';

export const MAX_VALUE_DEPTH = 64;

/**
 * Whether `v` holds objects or arrays nested more than `max` levels. The recursion stops one level
 * past `max`, so any depth is safe; no allocation (it runs on every kubelet JSON line).
 */
export function deeperThan(v: KvValue, max: number): boolean {
  return v !== null && typeof v === 'object' && levelsExceed(v, max);
}

function levelsExceed(x: KvValue[] | { [key: string]: KvValue }, room: number): boolean {
  if (room <= 0) return true;
  if (Array.isArray(x)) {
    for (const c of x) if (c !== null && typeof c === 'object' && levelsExceed(c, room - 1)) return true;
    return false;
  }
  for (const k in x) {
    const c = x[k]!;
    if (c !== null && typeof c === 'object' && levelsExceed(c, room - 1)) return true;
  }
  return false;
}

/**
 * JSON text with every object or array that opens below level `max` replaced by a JSON string of
 * its own text, so that parsing it gives a value at most `max` levels deep. Text that is not
 * balanced past the cut is left as it is (JSON.parse then reports it). Linear and iterative.
 */
export function capJsonDepth(json: string, max: number): string {
  const out: string[] = [];
  let from = 0;
  let depth = 0;
  const n = json.length;
  for (let i = 0; i < n; i++) {
    const c = json.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(json, i);
      continue;
    }
    if (c === 123 || c === 91) {
      if (depth < max) {
        depth++;
        continue;
      }
      const end = closeOf(json, i);
      if (end < 0) break;
      out.push(json.slice(from, i), JSON.stringify(json.slice(i, end + 1)));
      from = end + 1;
      i = end;
    } else if ((c === 125 || c === 93) && depth > 0) depth--;
  }
  if (from === 0) return json;
  out.push(json.slice(from));
  return out.join('');
}

/** Index of the quote that closes the string opening at `i` (or the last index when unclosed). */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j;
  }
  return s.length - 1;
}

/** Index of the bracket that closes the one at `i`, or -1. */
function closeOf(s: string, i: number): number {
  let d = 0;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) j = stringEnd(s, j);
    else if (c === 123 || c === 91) d++;
    else if (c === 125 || c === 93) {
      if (--d === 0) return j;
    }
  }
  return -1;
}
