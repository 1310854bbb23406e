/**
 * Just enough of the WebAssembly binary format to answer two questions before a sandbox is
 * started: is this a wasm binary at all, and how much memory does it ask for up front?
 */
export interface WasmHeaderInfo {
  /** Why the bytes are not a wasm binary, or null if the header is fine. */
  problem: string | null;
  /** The largest initial memory (in 64 KiB pages) the module defines or imports, if readable. */
  initialPages: number | null;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;

export function inspectWasm(bytes: Uint8Array): WasmHeaderInfo {
  if (bytes.length === 0) return { problem: 'the file is empty', initialPages: null };
  if (bytes.length < 8 || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    return { problem: 'the file is not a WebAssembly binary (it does not start with the \\0asm magic number)', initialPages: null };
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    return { problem: 'the file is a WebAssembly binary of an unsupported version (only version 1 is supported)', initialPages: null };
  }
  try {
    return { problem: null, initialPages: initialMemoryPages(bytes) };
  } catch {
    return { problem: null, initialPages: null }; // truncated or odd: the compiler will say precisely
  }
}

function initialMemoryPages(bytes: Uint8Array): number | null {
  let pos = 8;
  let largest: number | null = null;
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++];
      if (byte === undefined) throw new RangeError('truncated');
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const name = (): void => {
    const length = u32(); // not `pos += u32()`: that adds to pos as it was before the length was read
    pos += length;
  };
  const limits = (): number => {
    const flags = u32();
    const min = u32();
    if (flags & 1) u32();
    return min;
  };
  const note = (pages: number): void => {
    largest = Math.max(largest ?? 0, pages);
  };
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const end = pos + size;
    if (id === SECTION_MEMORY) {
      for (let count = u32(); count > 0; count--) note(limits());
    } else if (id === SECTION_IMPORT) {
      for (let count = u32(); count > 0; count--) {
        name();
        name();
        const kind = bytes[pos++];
        if (kind === 0) u32(); // function: type index
        else if (kind === 1) { pos++; limits(); } // table: element type, limits
        else if (kind === 2) note(limits()); // memory
        else if (kind === 3) pos += 2; // global: value type, mutability
        else throw new RangeError('unknown import kind');
      }
    }
    if (id !== undefined && id > SECTION_MEMORY && id !== 0) break; // memories come before these
    pos = end;
  }
  return largest;
}
