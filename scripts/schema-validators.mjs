#!/usr/bin/env node
// The validators of schemas/, compiled once at build time (ajv's standalone code) into
// <out>/core/schema-validators.cjs: a command that validates a manifest or a receipt then
// neither loads ajv nor compiles a schema (about 100 ms of every such command).
// src/core/schemas.ts uses the file only if it was made from the schemas as they are now (it
// carries their hash), and compiles them with ajv otherwise. Runs after tsc (scripts/build.mjs).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMAS = join(ROOT, 'schemas');
const require = createRequire(import.meta.url);
const { Ajv, _ } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const addFormats = require('ajv-formats');

/** The same hash as schemasHash() in src/core/schemas.ts: each schema file's name and bytes, in order. */
function schemasHash() {
  const hash = createHash('sha256');
  for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json')).sort()) hash.update(`${file}\n`).update(readFileSync(join(SCHEMAS, file))).update('\n');
  return hash.digest('hex');
}

const out = join(process.argv[2] ?? join(ROOT, 'dist'), 'core', 'schema-validators.cjs');
// The options src/core/schemas.ts gives ajv, so both report the same errors the same way.
const ajv = addFormats(new Ajv({ allErrors: true, strict: true, useDefaults: false, code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } }));
const names = {};
for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json')).sort()) {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8'));
  ajv.addSchema(schema);
  names[file.replace(/\.schema\.json$/, '')] = schema.$id;
}
writeFileSync(out, `${standaloneCode(ajv, names)}\nexports.schemasHash = ${JSON.stringify(schemasHash())};\n`);
