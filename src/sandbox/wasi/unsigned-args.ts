/**
 * WASI preview 1 has no signed 32-bit parameters: descriptors, pointers, lengths and flags are
 * all u32 (64-bit values arrive as BigInt). Called straight from wasm, Node's uvwasi bindings read
 * an i32 as that u32; called from JavaScript — as every wrapper of ours calls them — a negative
 * number is refused with EINVAL instead (fd -31337 must be EBADF). So the guest's calls go
 * through this first: each number becomes the u32 it stands for, and every layer below agrees.
 */
type WasiFunction = (...args: unknown[]) => unknown;
type Imports = Record<string, Record<string, unknown>>;

export function unsignedArgs(imports: Imports): Imports {
  const wasi = imports.wasi_snapshot_preview1 as Record<string, WasiFunction> | undefined;
  if (!wasi) return imports;
  const wrapped: Record<string, WasiFunction> = {};
  for (const [name, fn] of Object.entries(wasi)) {
    wrapped[name] = (...args: unknown[]) => fn(...args.map((arg) => (typeof arg === 'number' ? arg >>> 0 : arg)));
  }
  return { ...imports, wasi_snapshot_preview1: wrapped };
}
