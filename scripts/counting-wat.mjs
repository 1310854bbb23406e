/**
 * A module that prints `line 0001` … `line NNNN` (stdout), one every `intervalMs`, then exits 0:
 * output that streams in over time, for the TUI's scrolling tests and scripts/frame-bytes.mjs.
 * With `stderrEvery`, every such line goes to stderr instead (`err  0003`). Returns WAT text.
 */
export function countingWat(lines, intervalMs, stderrEvery = 0) {
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; "line 0000\\n" at 256, "err  0000\\n" at 272; iovec at 200; nwritten at 208
  (data (i32.const 256) "line 0000\\n")
  (data (i32.const 272) "err  0000\\n")
  (func $sleep
    (i64.store (i32.const 0) (i64.const 1))
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const ${BigInt(intervalMs) * 1_000_000n}))
    (i64.store (i32.const 32) (i64.const 0))
    (i32.store16 (i32.const 40) (i32.const 0))
    (drop (call $poll_oneoff (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128))))
  (func $digits (param $at i32) (param $n i32)
    (i32.store8 (i32.add (local.get $at) (i32.const 8)) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
    (i32.store8 (i32.add (local.get $at) (i32.const 7)) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $n) (i32.const 10)) (i32.const 10))))
    (i32.store8 (i32.add (local.get $at) (i32.const 6)) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $n) (i32.const 100)) (i32.const 10))))
    (i32.store8 (i32.add (local.get $at) (i32.const 5)) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $n) (i32.const 1000)) (i32.const 10)))))
  (func (export "_start")
    (local $i i32) (local $at i32) (local $fd i32)
    (loop $again
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $at (i32.const 256))
      (local.set $fd (i32.const 1))
      ${stderrEvery > 0 ? `(if (i32.eqz (i32.rem_u (local.get $i) (i32.const ${stderrEvery}))) (then (local.set $at (i32.const 272)) (local.set $fd (i32.const 2))))` : ''}
      (call $digits (local.get $at) (local.get $i))
      (i32.store (i32.const 200) (local.get $at))
      (i32.store (i32.const 204) (i32.const 10))
      (drop (call $fd_write (local.get $fd) (i32.const 200) (i32.const 1) (i32.const 208)))
      ${intervalMs > 0 ? '(call $sleep)' : ''}
      (br_if $again (i32.lt_u (local.get $i) (i32.const ${lines}))))))
`;
}
