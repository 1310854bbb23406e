/**
 * A module that floods stdout: it fills 64 KiB with `pattern` repeated and writes that buffer to
 * fd 1 forever (errors ignored), so the sandbox's output cap is what ends it (`output_limit`).
 * `pattern` is UTF-8 text, at most 1 KiB: `'A'` (one endless line), `'\n'` (nothing but line
 * breaks), `'flood line\n'`, or multi-byte text. Returns WAT text; shared by the tests and
 * scripts/flood-time.mjs.
 */
export function floodWat(pattern) {
  const bytes = Buffer.from(pattern, 'utf8');
  if (bytes.length === 0 || bytes.length > 1024) throw new Error('the pattern must be 1 to 1024 bytes');
  const data = [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  ;; iovec at 0 -> {buf=64, len=65536}; nwritten at 8; the buffer at 64..65600
  (data (i32.const 64) "${data}")
  (func (export "_start")
    (local $size i32)
    ;; Double the pattern until it fills the buffer (the last copy is cut to fit).
    (local.set $size (i32.const ${bytes.length}))
    (block $full
      (loop $double
        (br_if $full (i32.ge_u (local.get $size) (i32.const 65536)))
        (memory.copy
          (i32.add (i32.const 64) (local.get $size))
          (i32.const 64)
          (select (local.get $size) (i32.sub (i32.const 65536) (local.get $size)) (i32.le_u (local.get $size) (i32.sub (i32.const 65536) (local.get $size)))))
        (local.set $size (i32.shl (local.get $size) (i32.const 1)))
        (br $double)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 65536))
    (loop $forever
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (br $forever))))
`;
}
