// The JSON Schemas of schemas/ (every `--json` output and API answer), checked with ajv rather
// than a checker of our own: a well-kept validator knows all of JSON Schema 2020-12, and its
// strict mode refuses a keyword it does not know, so a schema cannot silently check less than it
// says. Every schema file is registered under its `$id`, and a `$ref` into another file
// (`../pod.schema.json#/$defs/state`) resolves against the `$id` of the schema it is written in.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

export const SCHEMAS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');

/** Paths under schemas/ of every JSON Schema there (`pods.schema.json`, `api/pod.schema.json`). */
export function schemaFiles(): string[] {
  return (readdirSync(SCHEMAS_DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

interface Registry {
  ajv: Ajv2020;
  /** `$id` by file under schemas/. */
  ids: Map<string, string>;
}
let registry: Registry | undefined;

/** Every schema of schemas/, registered under its `$id`. */
function schemas(): Registry {
  if (registry) return registry;
  // allowUnionTypes: the schemas say `"type": ["integer", "null"]` for a value that may be absent
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  const ids = new Map<string, string>();
  for (const file of schemaFiles()) {
    const schema = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, file), 'utf8')) as AnySchemaObject;
    if (typeof schema.$id !== 'string') throw new Error(`schemas/${file} has no $id: other schemas could not refer to it`);
    ajv.addSchema(schema);
    ids.set(file, schema.$id);
  }
  return (registry = { ajv, ids });
}

/** The compiled validator of a schema file under schemas/, every `$ref` in it resolved. */
export function schemaValidator(file: string): ValidateFunction {
  const { ajv, ids } = schemas();
  const id = ids.get(file);
  if (id === undefined) throw new Error(`schemas/${file}: no such schema (there are ${[...ids.keys()].join(', ')})`);
  const validate = ajv.getSchema(id);
  if (!validate) throw new Error(`schemas/${file}: not registered as ${id}`);
  return validate;
}

const describe = (e: ErrorObject): string => `${e.instancePath || '/'}: ${e.message ?? e.keyword}${Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`;

/**
 * Errors of `value` against the schema in `file` under schemas/ (`pods.schema.json`,
 * `api/overview.schema.json`); empty when it is valid.
 */
export function validateSchema(file: string, value: unknown): string[] {
  const validate = schemaValidator(file);
  return validate(value) ? [] : (validate.errors ?? []).map(describe);
}
