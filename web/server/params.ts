// Query-string parameters, checked: a value that cannot be what the API expects is a 400 naming
// the parameter, never a silent default, a clamp or an echo. A parameter the route does not take
// is a 400 too: a typo (`limt=5`) would otherwise be answered as if it were not there.
import { badParameter } from './errors.js';

export type Query = Record<string, unknown>;

/** The query, once every parameter in it is one the route takes. */
export function takes(query: unknown, names: readonly string[]): Query {
  const q = (query ?? {}) as Query;
  for (const name of Object.keys(q)) {
    if (!names.includes(name)) throw badParameter(name.length > 64 ? `${name.slice(0, 64)}…` : name, names.length ? `not known here (this address takes ${names.join(', ')})` : 'not known here (this address takes no parameters)');
  }
  return q;
}

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
  if (!Number.isSafeInteger(n)) throw badParameter(name, `"${s.length > 64 ? `${s.slice(0, 64)}…` : s}" is not an integer`);
  if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
    const allowed = range.max === undefined ? `${range.min} or more` : range.min === undefined ? `${range.max} or less` : `${range.min} to ${range.max}`;
    throw badParameter(name, `${n} is out of range (${allowed})`);
  }
  return n;
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
