// The types of manifests, receipts, the config, portable jobs, events and the run report are
// generated from schemas/ (scripts/schema-types.mjs), never written beside them: this fails while
// a generated file differs from what the schemas give now, and while a runtime list restating a
// schema's enum (statuses, containment layers) differs from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LAYER_NAMES } from '../../src/sandbox/containment.js';
import { STATUSES } from '../../src/core/status.js';
import { ROOT } from '../helpers/cli.js';

it('src/core/schema-types/ is what scripts/schema-types.mjs makes of schemas/ now', async () => {
  const { schemaTypes, OUT, NAMES } = await import('../../scripts/schema-types.mjs');
  const files = await schemaTypes();
  expect(Object.keys(files).sort()).toEqual(Object.keys(NAMES).map((name) => `${name}.ts`).sort());
  for (const [file, source] of Object.entries(files)) expect(readFileSync(join(OUT, file), 'utf8'), `${file}: run node scripts/schema-types.mjs`).toBe(source);
}, 60_000);

it('the runtime lists of statuses and layers are the schemas\' enums', () => {
  const receipt = JSON.parse(readFileSync(join(ROOT, 'schemas', 'receipt-v0.2.schema.json'), 'utf8'));
  expect([...STATUSES].sort()).toEqual([...receipt.properties.status.enum].sort());
  expect([...LAYER_NAMES].sort()).toEqual([...receipt.properties.containment.items.properties.name.enum].sort());
});
