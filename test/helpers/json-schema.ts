// A small, strict JSON Schema (2020-12) checker for the schemas in schemas/: the keywords they
// use, and an exception for any other keyword, so a schema cannot silently check less than it says.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Schema = boolean | { [k: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs', '$comment', 'examples', 'default']);
const KEYWORDS = new Set(['type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'minimum', 'maximum', 'oneOf', 'anyOf', 'allOf', '$ref', 'minItems', 'maxItems', 'pattern']);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const SCHEMAS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');

/** A schema of schemas/ by its `$id` (`kubelog/api/pod.schema.json` is schemas/api/pod.schema.json). */
export function schemaById(id: string): Schema {
  if (!id.startsWith('kubelog/')) throw new Error(`schema id ${id} is not one of kubelog's`);
  return JSON.parse(readFileSync(path.join(SCHEMAS, id.slice('kubelog/'.length)), 'utf8')) as Schema;
}

/**
 * Errors of `value` against `root` (empty when valid). `$ref`s are `#/…` within a schema, or
 * `other.schema.json#/…` into another schema, resolved against the `$id` of the schema the ref is
 * written in, as a standard validator does, and read by `load` (schemas/ by default).
 */
export function validateSchema(root: Schema, value: unknown, load: (id: string) => Schema = schemaById): string[] {
  // a ref resolves against the schema it is written in: `check` carries that schema along
  const resolve = (ref: string, base: Schema): { node: Schema; base: Schema } => {
    const hash = ref.indexOf('#/');
    if (hash < 0) throw new Error(`unsupported $ref ${ref}`);
    const baseId = typeof base === 'object' && typeof base.$id === 'string' ? base.$id : null;
    if (hash > 0 && !baseId) throw new Error(`$ref ${ref} names another schema, but its schema has no $id to resolve it against`);
    const doc = hash > 0 ? load(new URL(ref.slice(0, hash), `file:///${baseId}`).pathname.slice(1)) : base;
    let node: unknown = doc;
    for (const part of ref.slice(hash + 2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    return { node: node as Schema, base: doc };
  };
  let base = root;
  const check = (s: Schema, v: unknown, at: string, errors: string[]): void => {
    if (s === true) return;
    if (s === false) {
      errors.push(`${at}: not allowed`);
      return;
    }
    for (const k of Object.keys(s)) if (!ANNOTATIONS.has(k) && !KEYWORDS.has(k)) throw new Error(`schema keyword ${k} at ${at} is not supported by this checker`);
    if (typeof s.$ref === 'string') {
      const r = resolve(s.$ref, base);
      const outer = base;
      base = r.base;
      try {
        check(r.node, v, at, errors);
      } finally {
        base = outer;
      }
    }
    const t = typeOf(v);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((x) => x === t || (x === 'number' && t === 'integer'))) errors.push(`${at}: ${t} is not ${types.join('|')}`);
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => e === v)) errors.push(`${at}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
    if ('const' in s && s.const !== v) errors.push(`${at}: ${JSON.stringify(v)} is not ${JSON.stringify(s.const)}`);
    if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum) errors.push(`${at}: ${v} < ${s.minimum}`);
    if (typeof s.maximum === 'number' && typeof v === 'number' && v > s.maximum) errors.push(`${at}: ${v} > ${s.maximum}`);
    if (typeof s.pattern === 'string' && typeof v === 'string' && !new RegExp(s.pattern, 'u').test(v)) errors.push(`${at}: ${JSON.stringify(v)} does not match ${s.pattern}`);
    if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) check(sub, v, at, errors);
    for (const key of ['oneOf', 'anyOf'] as const) {
      if (!Array.isArray(s[key])) continue;
      const ok = (s[key] as Schema[]).filter((sub) => {
        const e: string[] = [];
        check(sub, v, at, e);
        return e.length === 0;
      }).length;
      if (key === 'oneOf' ? ok !== 1 : ok === 0) errors.push(`${at}: matches ${ok} of the ${key} schemas`);
    }
    if (t === 'object') {
      const obj = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      if (Array.isArray(s.required)) for (const r of s.required as string[]) if (!(r in obj)) errors.push(`${at}: missing ${r}`);
      for (const [k, val] of Object.entries(obj)) {
        if (k in props) check(props[k]!, val, `${at}.${k}`, errors);
        else if (s.additionalProperties !== undefined) check(s.additionalProperties as Schema, val, `${at}.${k}`, errors);
      }
    }
    if (t === 'array') {
      const arr = v as unknown[];
      if (typeof s.minItems === 'number' && arr.length < s.minItems) errors.push(`${at}: fewer than ${s.minItems} items`);
      if (typeof s.maxItems === 'number' && arr.length > s.maxItems) errors.push(`${at}: more than ${s.maxItems} items`);
      if (s.items !== undefined) arr.forEach((x, i) => check(s.items as Schema, x, `${at}[${i}]`, errors));
    }
  };
  const errors: string[] = [];
  check(root, value, '$', errors);
  return errors;
}
