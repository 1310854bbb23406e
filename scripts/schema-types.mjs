#!/usr/bin/env node
// The TypeScript types of schemas/, generated from the schemas themselves (json-schema-to-
// typescript) into src/core/schema-types/, so no hand-written type restates a schema. Run after
// editing a schema: `node scripts/schema-types.mjs`; test/core/schema-types.test.ts fails while
// a generated file is not what the schemas give.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMAS = join(ROOT, 'schemas');
export const OUT = join(ROOT, 'src', 'core', 'schema-types');

/** Each schema's root type name. */
export const NAMES = {
  config: 'ConfigFile',
  daemon: 'DaemonMessage',
  event: 'WatchEvent',
  job: 'PortableJob',
  'manifest-v0.1': 'ManifestV01',
  'manifest-v0.2': 'ManifestV02',
  queue: 'QueueMessage',
  'receipt-v0.1': 'ReceiptV01',
  'receipt-v0.2': 'ReceiptV02',
  'receipt-v0.3': 'ReceiptV03',
  'run-report': 'RunReport',
};

const HASH_PATTERN = '^sha256:[a-f0-9]{64}$';

/** A copy of `schema` in which every hash is typed as one (`sha256:…`), not as any string. */
function typedHashes(schema) {
  if (Array.isArray(schema)) return schema.map(typedHashes);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, typedHashes(value)]));
  if (out.pattern === HASH_PATTERN) out.tsType = '`sha256:${string}`';
  return out;
}

const readSchema = (file) => typedHashes(JSON.parse(readFileSync(join(SCHEMAS, basename(file)), 'utf8')));

/** A schema as another refers to it: titled with its type name. */
function named(file) {
  const schema = readSchema(file);
  const name = NAMES[basename(file).replace(/\.schema\.json$/, '')];
  return name ? { ...schema, title: name } : schema;
}

/** The generated source of every schema, by file name. */
export async function schemaTypes() {
  const files = {};
  for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json')).sort()) {
    const name = file.replace(/\.schema\.json$/, '');
    const schema = readSchema(file);
    if (!NAMES[name]) throw new Error(`schemas/${file}: give its type a name in scripts/schema-types.mjs`);
    // The root type is named here; its title stays the doc comment.
    const { title, $id: _id, ...rest } = schema;
    const source = await compile({ ...rest, description: [title, rest.description].filter(Boolean).join('\n\n') }, NAMES[name], {
      cwd: SCHEMAS,
      // Schemas name each other by $id: read those from schemas/, never from the network.
      $refOptions: {
        resolve: {
          http: false,
          file: false,
          // A schema another refers to keeps its own type name there too.
          schemas: { order: 1, canRead: /\.schema\.json$/, read: (ref) => JSON.stringify(named(ref.url.split('#')[0])) },
        },
      },
      bannerComment: `/* Generated from schemas/${file} by scripts/schema-types.mjs: do not edit. */`,
      additionalProperties: false,
      ignoreMinAndMaxItems: true,
      unknownAny: true,
      format: true,
      style: { singleQuote: true, printWidth: 140 },
    });
    files[`${name}.ts`] = source;
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, source] of Object.entries(await schemaTypes())) writeFileSync(join(OUT, file), source);
  console.log(`wrote ${Object.keys(NAMES).length} files to src/core/schema-types/`);
}
