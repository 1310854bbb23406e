/**
 * The module's outline: its header and the position of every section, checked for order, plus
 * the few section contents the fuel meter needs to read (imported globals, export names).
 */
import { Reader, unmeterable } from './leb128.js';

export const SECTION = { custom: 0, type: 1, import: 2, function: 3, global: 6, export: 7, code: 10 } as const;

export interface Section {
  id: number;
  /** First byte of the section (its id byte). */
  start: number;
  /** First and past-the-end byte of its content. */
  contentStart: number;
  end: number;
}

// Sections must appear in this order (custom sections anywhere); tag (13) sits between memory
// and global, data count (12) between element and code.
const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

export function rank(id: number): number {
  return ORDER.indexOf(id);
}

export function readSections(wasm: Uint8Array): Section[] {
  if (wasm.length < 8 || wasm[0] !== 0x00 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) {
    throw unmeterable('it is not a WebAssembly binary (it does not start with the \\0asm magic number)');
  }
  if (wasm[4] !== 1 || wasm[5] !== 0 || wasm[6] !== 0 || wasm[7] !== 0) {
    throw unmeterable('it is a WebAssembly binary of an unsupported version (only version 1 is supported)');
  }
  const r = new Reader(wasm, 8, wasm.length);
  const sections: Section[] = [];
  let lastRank = -1;
  while (r.pos < r.end) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const contentStart = r.pos;
    if (size > r.end - contentStart) throw unmeterable(`section ${id} at byte ${start} runs past the end of the file`);
    r.pos += size;
    if (id !== SECTION.custom) {
      const here = rank(id);
      if (here < 0) throw unmeterable(`section id ${id} at byte ${start} is unknown`);
      if (here <= lastRank) throw unmeterable(`section ${id} at byte ${start} is out of order or repeated`);
      lastRank = here;
    }
    sections.push({ id, start, contentStart, end: r.pos });
  }
  return sections;
}

/** How many globals the import section brings in: they come first in the global index space. */
export function countImportedGlobals(wasm: Uint8Array, section: Section): number {
  const r = new Reader(wasm, section.contentStart, section.end);
  let globals = 0;
  for (let n = r.u32(); n > 0; n--) {
    r.name();
    r.name();
    const kind = r.byte();
    switch (kind) {
      case 0x00: // function: type index
        r.skipLeb(5);
        break;
      case 0x01: // table: reference type, limits
        r.valType();
        limits(r);
        break;
      case 0x02: // memory: limits
        limits(r);
        break;
      case 0x03: // global: value type, mutability
        r.valType();
        r.byte();
        globals++;
        break;
      case 0x04: // tag: attribute, type index
        r.byte();
        r.skipLeb(5);
        break;
      default:
        throw unmeterable(`an import at byte ${r.pos - 1} has an unknown kind`);
    }
  }
  return globals;
}

function limits(r: Reader): void {
  const flags = r.byte();
  r.skipLeb(10); // minimum (64-bit for memory64)
  if (flags & 1) r.skipLeb(10);
}

/** The count at the start of a vector section (globals, exports, function bodies). */
export function vectorCount(wasm: Uint8Array, section: Section): { count: number; itemsStart: number } {
  const r = new Reader(wasm, section.contentStart, section.end);
  const count = r.u32();
  return { count, itemsStart: r.pos };
}

export function exportNames(wasm: Uint8Array, section: Section): string[] {
  const r = new Reader(wasm, section.contentStart, section.end);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let n = r.u32(); n > 0; n--) {
    names.push(decoder.decode(r.name()));
    r.byte();
    r.skipLeb(5);
  }
  return names;
}

export function customName(wasm: Uint8Array, section: Section): string {
  try {
    return new TextDecoder().decode(new Reader(wasm, section.contentStart, section.end).name());
  } catch {
    return ''; // a custom section without a readable name is kept as it is
  }
}

/** The parameter count of every function type, by type index. */
export function typeParamCounts(wasm: Uint8Array, section: Section): number[] {
  const r = new Reader(wasm, section.contentStart, section.end);
  const counts: number[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const form = r.byte();
    if (form !== 0x60) throw unmeterable(`type ${counts.length} is not a function type (GC types are not supported)`);
    const params = r.u32();
    for (let i = 0; i < params; i++) r.valType();
    for (let results = r.u32(); results > 0; results--) r.valType();
    counts.push(params);
  }
  return counts;
}

/** The type index of every function the module defines, in code section order. */
export function functionTypes(wasm: Uint8Array, section: Section): number[] {
  const r = new Reader(wasm, section.contentStart, section.end);
  const types: number[] = [];
  for (let n = r.u32(); n > 0; n--) types.push(r.u32());
  return types;
}
