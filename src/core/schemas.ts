import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv as AjvType, ErrorObject, ValidateFunction } from 'ajv';
import { SCHEMAS_DIR } from './paths.js';

/** The schemas in `schemas/`, the single source of truth for every file format. */
export type SchemaName = 'manifest-v0.1' | 'manifest-v0.2' | 'receipt-v0.1' | 'receipt-v0.2' | 'config' | 'run-report' | 'event';

// ajv costs ~50 ms to load: it is required on first use, so running a bare module never pays it.
const require = createRequire(import.meta.url);
let ajv: AjvType | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function loadAjv(): AjvType {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as (ajv: AjvType) => AjvType;
  return addFormats(new Ajv({ allErrors: true, strict: true, useDefaults: false }));
}

function validator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
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
