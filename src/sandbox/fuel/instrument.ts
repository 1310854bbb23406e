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
 * - in every function, one more i64 local (appended after its locals, so no index moves) that
 *   holds the fuel while the function runs: charging a block is then register arithmetic,
 *   not a load and a store. The local is loaded from
 *   the global at entry and after each call, and written back before each call, `return`,
 *   branch out of the function, final `end` and `unreachable` (see ./blocks.ts). Code inserted:
 *     entry:        global.get $fuel; i64.const COST; i64.sub; local.tee $f; CHECK
 *     loop header:  local.get $f;     i64.const COST; i64.sub; local.tee $f; CHECK
 *     other blocks: local.get $f;     i64.const COST; i64.sub; local.set $f
 *     a block that may trap (a memory access, a division …) also writes its charge back at once:
 *                   local.get $f;     i64.const COST; i64.sub; local.tee $f; global.set $fuel
 *     after a call: global.get $fuel; i64.const COST; i64.sub; local.set $f
 *     write-back:   local.get $f; global.set $fuel
 *     CHECK = i64.const 0; i64.lt_s; if; local.get $f; global.set $fuel; unreachable; end
 * Every other section is copied byte for byte, except DWARF (`.debug_*`) custom sections,
 * which are dropped because their code offsets would no longer be true.
 *
 * Cost model, wasmtime's: each instruction of the original module counts 1, but for structure
 * and no-ops, which count 0 (block, loop, else, end, nop, drop, unreachable, return); the
 * metering code itself counts nothing; time spent in host functions such as WASI calls counts
 * nothing. A block is charged in full when it is entered.
 * The count therefore depends only on the module and the path its execution takes, never on
 * the engine, the Node version or timing: the same module and input consume the same fuel.
 *
 * Exhaustion: a check traps with `unreachable` as soon as the remaining fuel is negative, so a
 * loop or a recursion cannot outrun the budget. A run whose last blocks overdraw the fuel after
 * its last check may still finish; the rule for the host is the global alone: remaining < 0
 * means fuel_exhausted, whatever the exit or trap. That makes the threshold exact: a run that
 * needs N passes with a budget of N and is exhausted with N − 1. A run that ends by returning,
 * by proc_exit (a call) or by a fuel check has its global exact, and so has one that ends in
 * another trap (out of bounds, divide by zero): the block holding the trapping instruction wrote
 * its charge back on entry. So the fuel a trapped run reports is the budget it needs: with
 * exactly that budget it traps the same way, with one less it runs out. (A stack overflow traps
 * as a function is entered, before its charge: that charge is not counted, on any run.)
 *
 * Refused with a PlasmError('invalid') and a one-sentence message: bytes that are not a wasm
 * module, truncated or malformed sections and bodies, an existing `__plasm_fuel` export,
 * instructions of proposals the decoder does not know (exceptions, GC, typed references), and
 * code that names a local or a global past the last one: that index would be the fuel's.
 * The input must be valid as written (./meter.ts validates it first): the added local and
 * global would make some invalid modules valid, with the guest's own code on the fuel.
 */
import { Reader, Writer, encodeS64Padded, encodeU32, unmeterable } from './leb128.js';
import { Insert, insertionsOf } from './blocks.js';
import { SECTION, countImportedGlobals, customName, exportNames, functionTypes, rank, readSections, typeParamCounts, vectorCount, type Section } from './sections.js';

export const FUEL_EXPORT = '__plasm_fuel';

/** The largest budget: it must survive a trip through a JSON number unchanged. */
export const MAX_FUEL = Number.MAX_SAFE_INTEGER;

export interface FuelInstrumented {
  /** The metered module. */
  bytes: Uint8Array;
  /** The budget written into the fuel global's initial value. */
  budget: number;
  /**
   * Where that value is in `bytes`: a signed LEB128 padded to BUDGET_WIDTH bytes, so the same
   * metered module takes another budget by rewriting those bytes alone (see withBudget): metered
   * bytes can be cached by the module's hash, whatever the budget.
   */
  budgetOffset: number;
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

  let budgetOffset = -1;
  let globalIndex = 0; // imported globals, then (once the global section is passed) defined ones
  let globalDone = false;
  let exportDone = false;
  const stats: Stats = { functions: 0, blocks: 0, checks: 0, sites: [] };
  let typeParams: number[] = [];
  let paramCounts: number[] = []; // of each defined function, in code section order

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
    const at = content.length;
    content.bytes(encodeS64Padded(BigInt(budget), BUDGET_WIDTH));
    content.byte(0x0b);
    out.byte(SECTION.global);
    out.u32(content.length);
    budgetOffset = out.length + at;
    out.append(content);
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
      case SECTION.type:
        typeParams = typeParamCounts(wasm, section);
        out.bytes(wasm, section.start, section.end);
        break;
      case SECTION.function:
        paramCounts = functionTypes(wasm, section).map((type) => {
          const params = typeParams[type];
          if (params === undefined) throw unmeterable(`a function has type ${type}, which does not exist`);
          return params;
        });
        out.bytes(wasm, section.start, section.end);
        break;
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
        const content = meterCode(wasm, section, paramCounts, globalIndex, stats);
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
  return { bytes: out.result(), budget, budgetOffset, exportName: FUEL_EXPORT, globalIndex, exhaustionSites: sites, ...counts };
}

/** The budget's width in the fuel global's initial value: any budget up to MAX_FUEL fits. */
export const BUDGET_WIDTH = 10;

/** The same metered module with another budget: only the fuel global's initial value changes. */
export function withBudget<T extends Pick<FuelInstrumented, 'bytes' | 'budget' | 'budgetOffset'>>(metered: T, budget: number): T {
  if (!Number.isSafeInteger(budget) || budget < 0) {
    throw unmeterable(`the fuel budget must be a whole number from 0 to ${MAX_FUEL}, not ${budget}`);
  }
  const bytes = Uint8Array.from(metered.bytes);
  bytes.set(encodeS64Padded(BigInt(budget), BUDGET_WIDTH), metered.budgetOffset);
  return { ...metered, bytes, budget };
}

interface Stats {
  functions: number;
  blocks: number;
  checks: number;
  /** Offsets of the checks' `unreachable`, first within the code section's content, then in the module. */
  sites: number[];
}

const I64 = 0x7e;
const GLOBAL_GET = 0x23;
const GLOBAL_SET = 0x24;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I64_CONST = 0x42;
const I64_SUB = 0x7d;
const I64_LT_S = 0x53;
const IF_EMPTY = [0x04, 0x40];
const UNREACHABLE = 0x00;
const END = 0x0b;

function meterCode(wasm: Uint8Array, section: Section, paramCounts: number[], globalIndex: number, stats: Stats): Writer {
  const fuel = [...encodeU32(globalIndex)];
  const r = new Reader(wasm, section.contentStart, section.end);
  const content = new Writer(section.end - section.contentStart + ((section.end - section.contentStart) >> 1));
  const body = new Writer(4096);
  const count = r.u32();
  if (count !== paramCounts.length) throw unmeterable('the code section and the function section disagree on the number of functions');
  content.u32(count);
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const bodyStart = r.pos;
    if (size > r.end - bodyStart) throw unmeterable(`function body ${i} runs past the end of the code section`);
    const bodyEnd = bodyStart + size;
    const fn = new Reader(wasm, bodyStart, bodyEnd);
    const groups = fn.u32();
    const groupsStart = fn.pos;
    let localIndex = paramCounts[i]!;
    for (let g = 0; g < groups; g++) {
      localIndex += fn.u32();
      fn.valType();
    }
    const groupsEnd = fn.pos;
    const insertions = insertionsOf(fn, { local: localIndex, global: globalIndex });

    // The fuel lives in one more i64 local while the function runs: registers, not memory.
    body.length = 0;
    body.u32(groups + 1);
    body.bytes(wasm, groupsStart, groupsEnd);
    body.byte(0x01);
    body.byte(I64);
    // The fuel global and the new local by index, as the LEB bytes the inserted code uses.
    const fuelGet = Uint8Array.from([GLOBAL_GET, ...fuel]);
    const fuelSet = Uint8Array.from([GLOBAL_SET, ...fuel]);
    const local = encodeU32(localIndex);
    const localOp = (op: number): void => {
      body.byte(op);
      body.bytes(local);
    };
    const firstSite = stats.sites.length;
    let copied = groupsEnd;
    for (const insertion of insertions) {
      body.bytes(wasm, copied, insertion.at);
      copied = insertion.at;
      const kind = insertion.kind;
      if (kind === Insert.Sync) {
        localOp(LOCAL_GET);
        body.bytes(fuelSet);
        continue;
      }
      // A block of free instructions only (see ./blocks.ts) has nothing to charge.
      if (kind === Insert.Block && insertion.cost === 0) continue;
      // Charge: fuel − COST into the local.
      if (kind === Insert.Entry || kind === Insert.Resume) body.bytes(fuelGet);
      else localOp(LOCAL_GET);
      body.byte(I64_CONST);
      body.s32(insertion.cost);
      body.byte(I64_SUB);
      stats.blocks++;
      if (kind === Insert.Block || kind === Insert.Resume) {
        if (insertion.traps) {
          localOp(LOCAL_TEE);
          body.bytes(fuelSet);
        } else localOp(LOCAL_SET);
        continue;
      }
      // Check: below zero, write the overdraft back (the host reads it) and trap.
      localOp(LOCAL_TEE);
      body.byte(I64_CONST);
      body.byte(0);
      body.byte(I64_LT_S);
      body.byte(IF_EMPTY[0]!);
      body.byte(IF_EMPTY[1]!);
      localOp(LOCAL_GET);
      body.bytes(fuelSet);
      stats.sites.push(body.length); // within the body, for now
      body.byte(UNREACHABLE);
      body.byte(END);
      stats.checks++;
      if (insertion.traps) {
        localOp(LOCAL_GET);
        body.bytes(fuelSet);
      }
    }
    body.bytes(wasm, copied, bodyEnd);
    const bodyBase = content.length + encodeU32(body.length).length; // after the body's size prefix
    for (let s = firstSite; s < stats.sites.length; s++) stats.sites[s]! += bodyBase;
    content.sized(body);
    r.pos = bodyEnd;
    stats.functions++;
  }
  if (r.pos !== r.end) throw unmeterable('the code section holds more bytes than its function bodies');
  return content;
}
