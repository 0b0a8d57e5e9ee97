// Query-string parameters, checked: a value that cannot be what the API expects is a 400 naming
// the parameter, never a silent default. Numbers out of range are clamped (a limit too large is
// still a clear request).
import { badParameter } from './errors.js';

export type Query = Record<string, unknown>;

/** The parameter's text; empty counts as absent. */
export function textParam(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw badParameter(name, 'given more than once');
  return v;
}

export function intParam(q: Query, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  const s = textParam(q, name);
  if (s === undefined) return undefined;
  const n = /^-?\d{1,16}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n)) throw badParameter(name, `"${s}" is not an integer`);
  return Math.min(range.max ?? n, Math.max(range.min ?? n, n));
}

export function requiredIntParam(q: Query, name: string, range: { min?: number; max?: number } = {}): number {
  const n = intParam(q, name, range);
  if (n === undefined) throw badParameter(name, 'is required');
  return n;
}

export function boolParam(q: Query, name: string): boolean | undefined {
  const s = textParam(q, name);
  if (s === undefined) return undefined;
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw badParameter(name, `"${s}" is not true or false`);
}

export function enumParam<T extends string>(q: Query, name: string, values: readonly T[]): T | undefined {
  const s = textParam(q, name);
  if (s === undefined) return undefined;
  if (!(values as readonly string[]).includes(s)) throw badParameter(name, `"${s}" is not one of ${values.join(', ')}`);
  return s as T;
}
