#!/usr/bin/env node
// The validators of schemas/, compiled once at build time (ajv's standalone code) into
// <out>/core/schema-validators.cjs: a command that validates a manifest or a receipt then
// neither loads ajv nor compiles a schema (about 100 ms of every such command).
// src/core/schemas.ts uses the file only if it was made from the schemas as they are now (it
// carries their hash), and compiles them with ajv otherwise. Runs after tsc (scripts/build.mjs).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const OUT = process.argv[2];
if (!OUT) throw new Error('usage: schema-validators.mjs <folder tsc built into>');
// The tsc-built schemas.ts: the same ajv options and the same schema hash the program uses.
const { loadAjv, schemasHash } = await import(pathToFileURL(join(OUT, 'core', 'schemas.js')).href);
const { SCHEMAS_DIR: SCHEMAS } = await import(pathToFileURL(join(OUT, 'core', 'paths.js')).href);
const require = createRequire(import.meta.url);
const { _ } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;

const ajv = loadAjv({ source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` });
const names = {};
for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json')).sort()) {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8'));
  ajv.addSchema(schema);
  names[file.replace(/\.schema\.json$/, '')] = schema.$id;
}
writeFileSync(join(OUT, 'core', 'schema-validators.cjs'), `${standaloneCode(ajv, names)}\nexports.schemasHash = ${JSON.stringify(schemasHash())};\n`);
