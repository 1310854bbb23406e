// schemas/ is the single source of truth: the types and constants kept in TypeScript are checked
// against it here, so the two cannot drift apart.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from '../../src/core/config.js';
import { PlasmError } from '../../src/core/errors.js';
import { loadAjv, PRECOMPILED, precompiledValidators, schemaErrors, schemasHash, type SchemaName } from '../../src/core/schemas.js';
import { STATUSES, STATUS_EXIT_CODES } from '../../src/core/status.js';
import { ROOT } from '../helpers/cli.js';

const SCHEMAS = join(ROOT, 'schemas');
interface JsonSchema {
  required?: string[];
  additionalProperties?: boolean;
  properties: Record<string, { default?: unknown; enum?: unknown[] } & Record<string, unknown>>;
}
const schema = (name: SchemaName): JsonSchema => JSON.parse(readFileSync(join(SCHEMAS, `${name}.schema.json`), 'utf8')) as JsonSchema;

test('every schema in schemas/ compiles under ajv strict mode', () => {
  const files = readdirSync(SCHEMAS).filter((name) => name.endsWith('.schema.json')).sort();
  expect(files).toEqual(['config', 'daemon', 'event', 'job', 'manifest-v0.1', 'manifest-v0.2', 'queue', 'receipt-v0.1', 'receipt-v0.2', 'receipt-v0.3', 'run-report'].map((name) => `${name}.schema.json`));
  // Schemas refer to each other by $id (a run report holds a receipt), so all are known first.
  const ajv = new Ajv({ strict: true, allErrors: true });
  (addFormats as unknown as (ajv: Ajv) => Ajv)(ajv);
  const all = files.map((file) => JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as { $id: string });
  for (const each of all) ajv.addSchema(each);
  for (const [i, each] of all.entries()) expect(() => ajv.getSchema(each.$id), files[i]).not.toThrow();
  for (const each of all) expect(ajv.getSchema(each.$id)).toBeTypeOf('function');
});

describe('config', () => {
  test('DEFAULT_CONFIG is exactly the schema\'s defaults', () => {
    const defaults = Object.fromEntries(Object.entries(schema('config').properties).map(([key, rule]) => [key, rule.default]));
    expect(Object.values(defaults)).not.toContain(undefined); // every key has a default
    expect({ ...DEFAULT_CONFIG }).toEqual(defaults);
  });

  test('DEFAULT_CONFIG validates against the schema', () => {
    expect(schemaErrors('config', { ...DEFAULT_CONFIG }, 'defaults')).toEqual([]);
  });

  test('loadConfig on a missing file gives the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-config-'));
    expect(loadConfig(join(dir, 'config.json'))).toEqual(DEFAULT_CONFIG);
  });

  test('loadConfig merges a partial file over the defaults', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'plasm-tui-config-')), 'config.json');
    writeFileSync(path, JSON.stringify({ memory_mb: 256, receipt_version: '0.1' }));
    expect(loadConfig(path)).toEqual({ ...DEFAULT_CONFIG, memory_mb: 256, receipt_version: '0.1' });
  });

  /** What loadConfig throws for a config file holding `content`. */
  function configError(content: string): { path: string; error: PlasmError } {
    const path = join(mkdtempSync(join(tmpdir(), 'plasm-tui-config-')), 'config.json');
    writeFileSync(path, content);
    let thrown: unknown;
    try {
      loadConfig(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlasmError);
    return { path, error: thrown as PlasmError };
  }

  test('loadConfig on an invalid file throws a PlasmError naming the file, the path and the rule', () => {
    const { path, error } = configError(JSON.stringify({ memory_mb: 'lots' }));
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe(`${path} is not a valid plasm-tui config.`);
    expect(error.details).toEqual([`${path}: /memory_mb must be integer (rule: type)`]);
  });

  test('loadConfig on broken JSON throws a PlasmError naming the file, line and column', () => {
    const { path, error } = configError('{"memory_mb": 64,\n  "cpu_cores": lots}');
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe(`${path} is not valid JSON at line 2, column 16: unexpected "l".`);
  });
});

describe('statuses', () => {
  test('STATUSES are exactly the receipt-v0.2 status enum, in order', () => {
    expect([...STATUSES]).toEqual(schema('receipt-v0.2').properties.status?.enum);
  });

  test('every status but ok and exit has its own exit code', () => {
    expect(Object.keys(STATUS_EXIT_CODES).sort()).toEqual(STATUSES.filter((s) => s !== 'ok' && s !== 'exit').sort());
  });
});

describe('manifest v0.1 is the seed\'s schema exactly', () => {
  const seedKeys = ['version', 'module_hash', 'cpu_cores', 'memory_mb', 'timeout_seconds'];

  test('it requires exactly the five seed keys and allows nothing else', () => {
    const v01 = schema('manifest-v0.1');
    expect([...(v01.required ?? [])].sort()).toEqual([...seedKeys].sort());
    expect(Object.keys(v01.properties).sort()).toEqual([...seedKeys].sort());
    expect(v01.additionalProperties).toBe(false);
  });

  test('the seed\'s example manifest validates, and one more key does not', () => {
    const seed = { version: '0.1', module_hash: `sha256:${'ab'.repeat(32)}`, cpu_cores: 1, memory_mb: 64, timeout_seconds: 5 };
    expect(schemaErrors('manifest-v0.1', seed, 'seed.json')).toEqual([]);
    expect(schemaErrors('manifest-v0.1', { ...seed, module: 'hello.wasm' }, 'seed.json')).toEqual([
      'seed.json: / has unknown key "module" (rule: additionalProperties)',
    ]);
  });
});

describe('receipts', () => {
  test('the receipt schemas require every key they define', () => {
    for (const name of ['receipt-v0.1', 'receipt-v0.2'] as const) {
      const receipt = schema(name);
      expect([...(receipt.required ?? [])].sort(), name).toEqual(Object.keys(receipt.properties).sort());
      expect(receipt.additionalProperties, name).toBe(false);
    }
  });

  test('receipt v0.1 has exactly the seed\'s seven keys', () => {
    expect(Object.keys(schema('receipt-v0.1').properties).sort()).toEqual(
      ['version', 'module_hash', 'exit_code', 'wall_time_ms', 'timestamp', 'node_pubkey', 'signature'].sort(),
    );
  });
});

describe('the validators compiled at build time (dist/core/schema-validators.cjs)', () => {
  const samples = (): unknown[] => {
    const manifests = readdirSync(join(ROOT, 'wasm-examples'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.manifest.json'))
      .map((file) => JSON.parse(readFileSync(join(ROOT, 'wasm-examples', file), 'utf8')) as Record<string, unknown>);
    // Each valid document, then broken in the ways users break them.
    const broken = manifests.flatMap((m) => [{ ...m, extra: 1 }, { ...m, version: 2 }, { ...m, memory_mb: 'lots' }, { ...m, timeout_seconds: -1 }, { ...m, env: { A: 1 } }, Object.fromEntries(Object.entries(m).slice(1))]);
    const configs = [{}, { memory_mb: 0 }, { memory_mb: 'x' }, { timeout_seconds: 3 }, { nope: true }];
    const events = [{ event_version: 1, at: 'not a date', type: 'stopped', reason: 'x' }, { event_version: 1, at: '2026-12-06T14:00:00.000Z', type: 'stopped', reason: 'x' }];
    return [...manifests, ...broken, ...configs, ...events, null, 'text', [], 42];
  };

  test('give the very errors ajv gives, for every schema', () => {
    const built = precompiledValidators();
    expect(built, 'npm run build makes them').not.toBeNull();
    const ajv = loadAjv();
    for (const file of readdirSync(SCHEMAS).filter((name) => name.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
    let compared = 0;
    for (const name of ['config', 'event', 'job', 'manifest-v0.1', 'manifest-v0.2', 'receipt-v0.1', 'receipt-v0.2', 'receipt-v0.3', 'run-report'] as const) {
      const fresh = ajv.getSchema(`https://plasm-tui.dev/schemas/${name}.schema.json`)!;
      const ahead = built![name]!;
      for (const sample of samples()) {
        expect(ahead(sample), `${name} ${JSON.stringify(sample)}`).toBe(fresh(sample));
        expect(ahead.errors ?? null).toEqual(fresh.errors ?? null);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  test('are not used once a schema has changed since the build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-schemas-'));
    for (const file of readdirSync(SCHEMAS)) writeFileSync(join(dir, file), readFileSync(join(SCHEMAS, file)));
    expect(precompiledValidators(PRECOMPILED, dir)).not.toBeNull();
    writeFileSync(join(dir, 'config.schema.json'), readFileSync(join(SCHEMAS, 'config.schema.json'), 'utf8').replace('"maximum": 65536', '"maximum": 1024'));
    expect(precompiledValidators(PRECOMPILED, dir)).toBeNull();
    expect(schemasHash(dir)).not.toBe(schemasHash());
  });
});
