// A small WAT program for one WASI case: every preview 1 call a case may need is imported, and a
// few printing helpers are there, so a test holds only the calls it is about.
//
// Memory: 0..63 printing scratch; 64 a result u32 (an opened fd); 68 a second u32 (bytes used);
// 128 an fdstat (24 bytes); 192 a filestat (64 bytes); 1024..3071 a buffer; 4096.. the strings
// `text()` places.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cli.js';

const SIGNATURES: Record<string, string> = {
  fd_write: '(param i32 i32 i32 i32) (result i32)',
  fd_close: '(param i32) (result i32)',
  fd_readdir: '(param i32 i32 i32 i64 i32) (result i32)',
  fd_prestat_get: '(param i32 i32) (result i32)',
  fd_prestat_dir_name: '(param i32 i32 i32) (result i32)',
  fd_fdstat_get: '(param i32 i32) (result i32)',
  fd_fdstat_set_flags: '(param i32 i32) (result i32)',
  fd_filestat_get: '(param i32 i32) (result i32)',
  fd_filestat_set_times: '(param i32 i64 i64 i32) (result i32)',
  path_open: '(param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)',
  path_readlink: '(param i32 i32 i32 i32 i32 i32) (result i32)',
  path_symlink: '(param i32 i32 i32 i32 i32) (result i32)',
  path_create_directory: '(param i32 i32 i32) (result i32)',
  path_filestat_get: '(param i32 i32 i32 i32 i32) (result i32)',
  path_filestat_set_times: '(param i32 i32 i32 i32 i64 i64 i32) (result i32)',
  path_unlink_file: '(param i32 i32 i32) (result i32)',
};

const HELPERS = `
  (func $print (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $digits (param $n i64)
    (local $p i32)
    (local.set $p (i32.const 60))
    (loop $more
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $n) (i64.const 10)))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $more (i64.ne (local.get $n) (i64.const 0))))
    (call $print (local.get $p) (i32.sub (i32.const 60) (local.get $p))))
  (func $newline (i32.store8 (i32.const 61) (i32.const 10)) (call $print (i32.const 61) (i32.const 1)))
  ;; "<label><n>\\n"
  (func $say (param $label i32) (param $len i32) (param $n i64)
    (call $print (local.get $label) (local.get $len)) (call $digits (local.get $n)) (call $newline))
  ;; "<label><bytes>\\n"
  (func $show (param $label i32) (param $len i32) (param $p i32) (param $n i32)
    (call $print (local.get $label) (local.get $len)) (call $print (local.get $p) (local.get $n)) (call $newline))`;

/**
 * The module text for `body`, which runs as `_start` with locals $fd $e $i $p $n (i32) and $x
 * (i64). `text('…')` places a string in memory and stands for its `(i32.const ptr) (i32.const len)`.
 */
export function watCase(body: (text: (s: string) => string) => string): string {
  const strings: string[] = [];
  let at = 4096;
  const text = (s: string): string => {
    const bytes = Buffer.from(s, 'utf8');
    strings.push(`  (data (i32.const ${at}) "${[...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`);
    const ref = `(i32.const ${at}) (i32.const ${bytes.length})`;
    at += bytes.length;
    return ref;
  };
  const code = body(text);
  const imports = Object.entries(SIGNATURES).map(([name, sig]) => `  (import "wasi_snapshot_preview1" "${name}" (func $${name} ${sig}))`);
  return [
    '(module',
    ...imports,
    '  (memory (export "memory") 2)',
    ...strings,
    HELPERS,
    '  (func (export "_start")',
    '    (local $fd i32) (local $e i32) (local $i i32) (local $p i32) (local $n i32) (local $x i64)',
    code,
    '  ))',
  ].join('\n');
}

/**
 * Runs `wat` through the real binary with `grants` and returns its stdout lines, after checking
 * it ran to a clean exit 0.
 */
export async function runWatCase(wat: string, grants: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-wat-case-'));
  try {
    const file = join(dir, 'case.wat');
    writeFileSync(file, wat);
    const r = await cli(['run', '--json', ...grants, file]);
    const report = JSON.parse(String(r.stdout)) as { status: string; exit_code: number | null; message: string; stdout: string };
    if (report.status !== 'ok' || report.exit_code !== 0) throw new Error(`the case did not run cleanly: ${report.status} ${report.message}\n${String(r.stderr)}`);
    return report.stdout.split('\n').filter((line) => line !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
