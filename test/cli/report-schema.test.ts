// The `run --json` report is a contract: real output of every kind validates against
// schemas/run-report.schema.json, and the SDK's Result.toJSON() is the same object.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../../src/core/schemas.js';
import { Client } from '../../src/sdk/index.js';
import { cli, EXAMPLES, WAT } from '../helpers/cli.js';

async function report(args: string[]): Promise<Record<string, unknown>> {
  const r = await cli(['run', '--json', ...args]);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('run --json against its schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-report-'));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ version: '0.2', module: 'missing.wasm', memory_mb: 'lots' }));
  writeFileSync(join(dir, 'binary.wat'), '(module (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32))) (memory (export "memory") 1) (data (i32.const 16) "\\ff\\fe") (func (export "_start") (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 2)) (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))');
  const cases: [string, string[], string][] = [
    ['ok', ['--stdin', 'hi', join(EXAMPLES, 'hello', 'hello.wasm')], 'ok'],
    ['a trap', [join(WAT, 'unreachable.wat')], 'trap'],
    ['a timeout', ['--timeout', '0.3', join(WAT, 'loop.wat')], 'timeout'],
    ['a non-zero exit', [join(WAT, 'exit-42.wat')], 'exit'],
    ['binary output', [join(dir, 'binary.wat')], 'ok'],
    ['a broken manifest (refusal)', [join(dir, 'bad.json')], 'invalid'],
    ['a v0.1 receipt', ['--receipt-version', '0.1', join(WAT, 'hello.wat')], 'ok'],
  ];
  it.each(cases)('%s', async (_what, args, status) => {
    const data = await report(args);
    expect(data.status).toBe(status);
    expect(data.report_version).toBe(1);
    expect(schemaErrors('run-report', data, 'report')).toEqual([]);
  });

  it('the SDK result is the same report', async () => {
    const result = await new Client().createJob(join(WAT, 'exit-42.wat')).submit();
    const json = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
    expect(schemaErrors('run-report', json, 'sdk')).toEqual([]);
    expect(json).toMatchObject({ status: 'exit', exit_code: 42, report_version: 1 });
  });
});
