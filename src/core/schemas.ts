import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv as AjvType, ErrorObject, Options, ValidateFunction } from 'ajv';
import { PACKAGE_ROOT, SCHEMAS_DIR } from './paths.js';

/** The schemas in `schemas/`, the single source of truth for every file format. */
export type SchemaName = 'daemon' | 'manifest-v0.1' | 'manifest-v0.2' | 'receipt-v0.1' | 'receipt-v0.2' | 'receipt-v0.3' | 'job' | 'config' | 'run-report' | 'event' | 'queue';

// ajv costs ~50 ms to load and as much to compile the schemas: the build compiles them ahead
// (scripts/schema-validators.mjs), and ajv is required only when that file is missing or was made
// from other schemas (a checkout edited since its last build), so running a bare module never
// pays for it and validating rarely does.
const require = createRequire(import.meta.url);
let ajv: AjvType | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();
export const PRECOMPILED = join(PACKAGE_ROOT, 'dist', 'core', 'schema-validators.cjs');
let precompiled: Partial<Record<SchemaName, ValidateFunction>> | null | undefined;

/** Each schema file's name and bytes, in order: what the build's compiled validators were made from. */
export function schemasHash(dir = SCHEMAS_DIR): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort()) hash.update(`${file}\n`).update(readFileSync(join(dir, file))).update('\n');
  return hash.digest('hex');
}

/** The build's validators, if they were made from the schemas as they are now; else null. */
export function precompiledValidators(path = PRECOMPILED, dir = SCHEMAS_DIR): Partial<Record<SchemaName, ValidateFunction>> | null {
  if (!existsSync(path)) return null;
  const module = require(path) as Partial<Record<SchemaName, ValidateFunction>> & { schemasHash?: string };
  return module.schemasHash === schemasHash(dir) ? module : null;
}

/** ajv as every schema is checked with; `code` is for the build's compiled validators (scripts/schema-validators.mjs). */
export function loadAjv(code?: Options['code']): AjvType {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as (ajv: AjvType) => AjvType;
  return addFormats(new Ajv({ allErrors: true, strict: true, useDefaults: false, ...(code ? { code } : {}) }));
}

function validator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    if (precompiled === undefined) precompiled = precompiledValidators();
    validate = precompiled?.[name];
    if (validate) {
      compiled.set(name, validate);
      return validate;
    }
    ajv ??= loadAjv();
    // Schemas refer to each other by $id (a run report holds a receipt): all are known to ajv.
    for (const file of readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.schema.json'))) {
      const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, file), 'utf8')) as { $id: string };
      if (!ajv.getSchema(schema.$id)) ajv.addSchema(schema);
    }
    const id = `https://plasm-tui.dev/schemas/${name}.schema.json`;
    validate = ajv.getSchema(id);
    if (!validate) throw new Error(`schema ${name} is missing from ${SCHEMAS_DIR}`);
    compiled.set(name, validate);
  }
  return validate;
}

/** Validates `data`; returns one line per problem, each naming the file, the JSON path and the rule. */
export function schemaErrors(name: SchemaName, data: unknown, file: string): string[] {
  const validate = validator(name);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error) => formatError(error, file));
}

function formatError(error: ErrorObject, file: string): string {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') message = `has unknown key "${String(params.additionalProperty)}"`;
  else if (error.keyword === 'const') message = `must be ${JSON.stringify(params.allowedValue)}`;
  else if (error.keyword === 'enum') message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${file}: ${path} ${message} (rule: ${error.keyword})`;
}
