/**
 * Deterministic fuel metering: rewrites a wasm module so that it counts the instructions it
 * executes and traps once a budget is spent. One streaming pass over the bytes, no binaryen
 * (which costs seconds per run to load and reparse a large module).
 *
 *   const metered = instrumentFuel(wasm, budget);
 *   const instance = await WebAssembly.instantiate(metered.bytes, imports);
 *   ... run _start; whether it returns, exits or traps:
 *   const { consumed, exhausted } = fuelUsage(instance, metered);   // ./usage.ts
 *
 * What the rewrite adds, and nothing else:
 * - one mutable i64 global holding the fuel remaining, initialised to `budget` (so a start
 *   function is metered too) and exported as `__plasm_fuel`. It is appended after every
 *   defined global, so no existing global index moves; no function, import or type is added,
 *   so no function index moves either, and the name section stays right.
 * - in every function body, before each basic block (see ./blocks.ts):
 *     global.get $fuel; i64.const COST; i64.sub; global.set $fuel
 *   and, at function entries and loop headers, a check after it:
 *     global.get $fuel; i64.const 0; i64.lt_s; if; unreachable; end
 * Every other section is copied byte for byte, except DWARF (`.debug_*`) custom sections,
 * which are dropped because their code offsets would no longer be true.
 *
 * Cost model: each instruction of the original module counts 1 (structural ones — block, loop,
 * if, else, end — included; the metering code itself counts nothing; time spent in host
 * functions such as WASI calls counts nothing). A block is charged in full when it is entered.
 * The count therefore depends only on the module and the path its execution takes, never on
 * the engine, the Node version or timing: the same module and input consume the same fuel.
 *
 * Exhaustion: a check traps with `unreachable` as soon as the remaining fuel is negative, so a
 * loop or a recursion cannot outrun the budget. A run whose last blocks overdraw the fuel after
 * its last check may still finish; the rule for the host is the global alone: remaining < 0
 * means fuel_exhausted, whatever the exit or trap. That makes the threshold exact: a run that
 * needs N passes with a budget of N and is exhausted with N − 1.
 *
 * Refused with a PlasmError('invalid') and a one-sentence message: bytes that are not a wasm
 * module, truncated or malformed sections and bodies, an existing `__plasm_fuel` export, and
 * instructions of proposals the decoder does not know (exceptions, GC, typed references).
 * The output is not otherwise validated: compile it, and the engine reports what is wrong.
 */
import { Reader, Writer, encodeS64, encodeU32, unmeterable } from './leb128.js';
import { chargesOf } from './blocks.js';
import { SECTION, countImportedGlobals, customName, exportNames, rank, readSections, vectorCount, type Section } from './sections.js';

export const FUEL_EXPORT = '__plasm_fuel';

/** The largest budget: it must survive a trip through a JSON number unchanged. */
export const MAX_FUEL = Number.MAX_SAFE_INTEGER;

export interface FuelInstrumented {
  /** The metered module. */
  bytes: Uint8Array;
  /** The budget written into the fuel global's initial value. */
  budget: number;
  /** The export name of the fuel global (a mutable i64: the fuel remaining). */
  exportName: string;
  /** The fuel global's index in the module's global index space. */
  globalIndex: number;
  /**
   * Module offsets of the `unreachable` of every exhaustion check, ascending. V8 names the
   * offset of a trapping instruction in the stack, so a trap in a start function (which leaves
   * no instance whose global could be read) can still be told apart: see ./usage.ts.
   */
  exhaustionSites: number[];
  /** What was instrumented: function bodies, charged blocks, and checks among them. */
  functions: number;
  blocks: number;
  checks: number;
}

export function instrumentFuel(wasm: Uint8Array, budget: number): FuelInstrumented {
  if (!Number.isSafeInteger(budget) || budget < 0) {
    throw unmeterable(`the fuel budget must be a whole number from 0 to ${MAX_FUEL}, not ${budget}`);
  }
  const sections = readSections(wasm);
  const out = new Writer(wasm.length + (wasm.length >> 2));
  out.bytes(wasm, 0, 8);

  let globalIndex = 0; // imported globals, then (once the global section is passed) defined ones
  let globalDone = false;
  let exportDone = false;
  const stats: Stats = { functions: 0, blocks: 0, checks: 0, sites: [] };

  const emitGlobal = (section?: Section): void => {
    const content = new Writer();
    if (section) {
      const { count, itemsStart } = vectorCount(wasm, section);
      globalIndex += count;
      content.u32(count + 1);
      content.bytes(wasm, itemsStart, section.end);
    } else {
      content.u32(1);
    }
    content.byte(0x7e); // i64
    content.byte(0x01); // mutable
    content.byte(0x42); // i64.const budget
    content.bytes(encodeS64(BigInt(budget)));
    content.byte(0x0b);
    out.byte(SECTION.global);
    out.sized(content);
    globalDone = true;
  };

  const emitExport = (section?: Section): void => {
    const content = new Writer();
    if (section) {
      if (exportNames(wasm, section).includes(FUEL_EXPORT)) throw unmeterable(`it already exports ${FUEL_EXPORT}`);
      const { count, itemsStart } = vectorCount(wasm, section);
      content.u32(count + 1);
      content.bytes(wasm, itemsStart, section.end);
    } else {
      content.u32(1);
    }
    const name = new TextEncoder().encode(FUEL_EXPORT);
    content.u32(name.length);
    content.bytes(name);
    content.byte(0x03); // global
    content.u32(globalIndex);
    out.byte(SECTION.export);
    out.sized(content);
    exportDone = true;
  };

  for (const section of sections) {
    const here = rank(section.id);
    if (section.id !== SECTION.custom) {
      if (!globalDone && here > rank(SECTION.global)) emitGlobal();
      if (!exportDone && here > rank(SECTION.export)) emitExport();
    }
    switch (section.id) {
      case SECTION.import:
        globalIndex = countImportedGlobals(wasm, section);
        out.bytes(wasm, section.start, section.end);
        break;
      case SECTION.global:
        emitGlobal(section);
        break;
      case SECTION.export:
        emitExport(section);
        break;
      case SECTION.code: {
        const content = meterCode(wasm, section, globalIndex, stats);
        out.byte(SECTION.code);
        out.u32(content.length);
        for (let i = 0; i < stats.sites.length; i++) stats.sites[i]! += out.length;
        out.append(content);
        break;
      }
      case SECTION.custom:
        if (!customName(wasm, section).startsWith('.debug_')) out.bytes(wasm, section.start, section.end);
        break;
      default:
        out.bytes(wasm, section.start, section.end);
    }
  }
  if (!globalDone) emitGlobal();
  if (!exportDone) emitExport();
  const { sites, ...counts } = stats;
  return { bytes: out.result(), budget, exportName: FUEL_EXPORT, globalIndex, exhaustionSites: sites, ...counts };
}

interface Stats {
  functions: number;
  blocks: number;
  checks: number;
  /** Offsets of the checks' `unreachable`, first within the code section's content, then in the module. */
  sites: number[];
}

function meterCode(wasm: Uint8Array, section: Section, globalIndex: number, stats: Stats): Writer {
  const fuel = encodeU32(globalIndex);
  const check = Uint8Array.from([0x23, ...fuel, 0x42, 0x00, 0x53, 0x04, 0x40, 0x00, 0x0b]);
  const r = new Reader(wasm, section.contentStart, section.end);
  const content = new Writer(section.end - section.contentStart + ((section.end - section.contentStart) >> 1));
  const body = new Writer(4096);
  const count = r.u32();
  content.u32(count);
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const bodyStart = r.pos;
    if (size > r.end - bodyStart) throw unmeterable(`function body ${i} runs past the end of the code section`);
    const bodyEnd = bodyStart + size;
    const fn = new Reader(wasm, bodyStart, bodyEnd);
    for (let groups = fn.u32(); groups > 0; groups--) {
      fn.u32();
      fn.valType();
    }
    const charges = chargesOf(fn);
    body.length = 0;
    const firstSite = stats.sites.length;
    let copied = bodyStart;
    for (const charge of charges) {
      body.bytes(wasm, copied, charge.at);
      copied = charge.at;
      body.byte(0x23);
      body.bytes(fuel);
      body.byte(0x42);
      body.bytes(encodeS64(BigInt(charge.cost)));
      body.byte(0x7d); // i64.sub
      body.byte(0x24);
      body.bytes(fuel);
      if (charge.check) {
        stats.sites.push(body.length + check.length - 2); // within the body, for now
        body.bytes(check);
      }
    }
    body.bytes(wasm, copied, bodyEnd);
    const bodyBase = content.length + encodeU32(body.length).length; // after the body's size prefix
    for (let s = firstSite; s < stats.sites.length; s++) stats.sites[s]! += bodyBase;
    content.sized(body);
    r.pos = bodyEnd;
    stats.functions++;
    stats.blocks += charges.length;
    stats.checks += charges.filter((c) => c.check).length;
  }
  if (r.pos !== r.end) throw unmeterable('the code section holds more bytes than its function bodies');
  return content;
}
